package io.aibroker.app;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.aibroker.records.InferenceRequest;
import io.aibroker.records.PriceList;
import io.aibroker.registry.SchemaRegistryClient;
import io.aibroker.topics.Topics;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A fresh install owns its contracts: the platform registers every topic's value schema when it
 * provisions the topics, before any record is produced, so a Confluent Python service that takes
 * the latest registered schema and never registers one can publish a request and get its result.
 */
class SchemaRegistrationIT {

  private static final String PYTHON = "/usr/bin/python3";
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Topics TOPICS = Topics.defaults();

  @TempDir Path dir;

  @Test
  void aFreshPlatformRegistersEveryTopicsSchemaBeforeAnyRequestAndAPythonClientUsesTheLatest()
      throws Exception {
    try (Platform platform =
        Platform.start(
            TestPlatforms.config(TestPlatforms.freePorts(dir.resolve("data"))),
            Clock.systemUTC())) {
      SchemaRegistryClient registry = ExternalPlatform.registry(platform.schemaRegistryUrl());
      // nothing has been produced to the requests topic yet
      assertThat(TopicReader.readAll(platform.bootstrapServers(), TOPICS.requests())).isEmpty();
      assertThat(registry.subjects())
          .contains(
              "aibroker.requests-value",
              "aibroker.requests.by-tenant-value",
              "aibroker.dispatch.simulated-value",
              "aibroker.dispatch.simulated.batch-value",
              "aibroker.outcomes-value",
              "aibroker.results-value",
              "aibroker.results.stream-value",
              "aibroker.usage-value",
              "aibroker.usage.rollups-value",
              "aibroker.tenants-value",
              "aibroker.provider-health-value",
              "aibroker.cache.shared-value",
              "aibroker.prices-value")
          .doesNotContain("aibroker.dlq-value");
      assertThat(registry.getLatest("aibroker.requests-value").schema())
          .isEqualTo(InferenceRequest.getClassSchema());
      assertThat(registry.getLatest("aibroker.prices-value").schema())
          .isEqualTo(PriceList.getClassSchema());

      JsonNode produced =
          JSON.readTree(
              python(
                  "produce",
                  platform.bootstrapServers(),
                  platform.schemaRegistryUrl(),
                  TOPICS.requests(),
                  "py-latest-1",
                  "acme",
                  "Hello from a service that does not own the contract"));
      assertThat(produced.get("schemaId").asInt())
          .isEqualTo(registry.getLatest("aibroker.requests-value").id());

      JsonNode result =
          JSON.readTree(
              python(
                  "result",
                  platform.bootstrapServers(),
                  platform.schemaRegistryUrl(),
                  TOPICS.results(),
                  "py-latest",
                  "py-latest-1"));
      assertThat(result.get("requestId").asText()).isEqualTo("py-latest-1");
      assertThat(result.get("status").asText()).isEqualTo("SUCCEEDED");
    }
  }

  @Test
  void restartingRegistersNothingNew() throws Exception {
    var settings = TestPlatforms.freePorts(dir.resolve("data"));
    List<Integer> versions;
    try (Platform platform = Platform.start(TestPlatforms.config(settings), Clock.systemUTC())) {
      versions =
          ExternalPlatform.registry(platform.schemaRegistryUrl())
              .versions("aibroker.requests-value");
    }
    var again = TestPlatforms.freePorts(dir.resolve("data"));
    try (Platform platform = Platform.start(TestPlatforms.config(again), Clock.systemUTC())) {
      assertThat(
              ExternalPlatform.registry(platform.schemaRegistryUrl())
                  .versions("aibroker.requests-value"))
          .isEqualTo(versions)
          .hasSize(1);
    }
  }

  private String python(String... args) throws IOException, InterruptedException {
    Path script = dir.resolve("confluent_latest_schema.py");
    try (InputStream in =
        SchemaRegistrationIT.class.getResourceAsStream("/interop/confluent_latest_schema.py")) {
      Files.copy(in, script, StandardCopyOption.REPLACE_EXISTING);
    }
    List<String> command = new ArrayList<>(List.of(PYTHON, script.toString()));
    command.addAll(List.of(args));
    Path errorFile = dir.resolve("python-" + args[0] + ".err");
    Process process = new ProcessBuilder(command).redirectError(errorFile.toFile()).start();
    String stdout = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(process.waitFor(150, TimeUnit.SECONDS)).as("python finished").isTrue();
    assertThat(process.exitValue())
        .as(
            "python %s failed (needs python3-confluent-kafka, python3-avro, python3-requests):%n%s",
            args[0], Files.readString(errorFile))
        .isZero();
    return stdout.strip();
  }
}
