package io.aibroker.app.security;

import static org.assertj.core.api.Assertions.assertThat;

import io.aibroker.app.Platform;
import io.aibroker.app.TestPlatforms;
import io.aibroker.app.cli.Endpoints;
import io.aibroker.app.config.AppConfig;
import io.aibroker.client.AiBrokerClient;
import io.aibroker.records.CacheMode;
import io.aibroker.records.CacheOptions;
import io.aibroker.records.ChatMessage;
import io.aibroker.records.InferenceRequest;
import io.aibroker.records.InferenceResult;
import io.aibroker.records.ResultStatus;
import io.aibroker.records.Task;
import io.aibroker.registry.RestSchemaRegistryClient;
import io.aibroker.registry.SchemaRegistryConfig;
import io.aibroker.schemas.RecordSerdes;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * With {@code schema-registry.embedded-write-credential} set, the embedded registry takes changes
 * only with the credential, even from this machine; the platform's own serializers and the CLI's
 * (through {@link Endpoints#registryUrl}) send it, so requests still go through end to end.
 */
class RegistryWriteCredentialIT {

  private static final String CREDENTIAL = "aibroker:" + Canaries.MARKER + "-registry-write";

  @TempDir static Path dir;
  static AppConfig config;
  static Platform platform;

  @BeforeAll
  static void start() throws Exception {
    Map<String, String> settings = TestPlatforms.freePorts(dir.resolve("data"));
    settings.put("schema-registry.embedded-write-credential", CREDENTIAL);
    config = TestPlatforms.config(settings);
    platform = Platform.start(config, Clock.systemUTC());
    Awaitility.await().atMost(Duration.ofSeconds(60)).until(platform::ready);
  }

  @AfterAll
  static void stop() {
    if (platform != null) {
      platform.close();
    }
  }

  @Test
  void requestsGoThroughWithTheCredentialTheCliAndThePlatformSend() throws Exception {
    var serdes =
        new RecordSerdes(
            new RestSchemaRegistryClient(SchemaRegistryConfig.of(Endpoints.registryUrl(config))));
    try (AiBrokerClient client =
        AiBrokerClient.builder(Endpoints.kafkaClient(config), serdes)
            .clientId("credential-test")
            .build()) {
      InferenceResult result = client.submit(request()).get(60, TimeUnit.SECONDS);

      assertThat(result.getStatus()).isEqualTo(ResultStatus.SUCCEEDED);
    }
  }

  @Test
  void changesWithoutTheCredentialAreRefusedEvenFromLoopbackAndReadsAreOpen() throws Exception {
    HttpClient http = HttpClient.newHttpClient();
    String url = platform.schemaRegistryUrl();
    assertThat(url).doesNotContain(Canaries.MARKER);

    HttpResponse<String> register =
        http.send(
            HttpRequest.newBuilder(URI.create(url + "/subjects/intruder-value/versions"))
                .header("Content-Type", "application/vnd.schemaregistry.v1+json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"schema\":\"\\\"string\\\"\"}"))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    HttpResponse<String> subjects =
        http.send(
            HttpRequest.newBuilder(URI.create(url + "/subjects")).build(),
            HttpResponse.BodyHandlers.ofString());

    assertThat(register.statusCode()).isEqualTo(403);
    assertThat(register.body()).contains("40301");
    assertThat(subjects.statusCode()).isEqualTo(200);
    assertThat(subjects.body()).doesNotContain("intruder-value");
  }

  private static InferenceRequest request() {
    return InferenceRequest.newBuilder()
        .setRequestId("credential-" + System.nanoTime())
        .setTenantId("acme")
        .setTask(Task.CHAT)
        .setModel("chat-default")
        .setMessages(List.of(new ChatMessage("user", "hello", null)))
        .setCache(new CacheOptions(CacheMode.BYPASS, null, null))
        .setCreatedAt(Instant.now())
        .build();
  }
}
