package io.aibroker.app;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.aibroker.app.config.ConfigLoader;
import io.aibroker.app.http.ApiKeys;
import io.aibroker.records.InferenceResult;
import io.aibroker.records.ProviderErrorKind;
import io.aibroker.records.ProviderOutcome;
import io.aibroker.records.ReasonCode;
import io.aibroker.records.ResultStatus;
import io.aibroker.topics.Topics;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * One error path, end to end: a provider that answers slower than the worker's call timeout (the
 * simulated connector hangs) is a TIMEOUT in the worker's outcome, a FAILED result with reason
 * PROVIDER_TIMEOUT at the broker, and a 504 with an OpenAI-shaped {@code provider_timeout} error at
 * the HTTP API.
 */
class ProviderTimeoutIT {

  private static final String KEY = "sk-test-timeouts-0123456789";
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir Path dir;

  @Test
  void aProviderSlowerThanTheCallTimeoutIsA504ProviderTimeout() throws Exception {
    Path file = dir.resolve("timeout.yaml");
    Files.writeString(
        file,
        """
        http:
          api-keys:
            %s: timeouts
        connectors:
          simulated:
            latency: 5ms
            faults:
              - {kind: hang, length: 1h}
        workers:
          call-timeout-ms: 300
          retry:
            max-attempts: 1
        """
            .formatted(ApiKeys.sha256(KEY)));
    var config = ConfigLoader.load(file, Map.of(), TestPlatforms.freePorts(dir.resolve("data")));
    try (Platform platform = Platform.start(config, Clock.systemUTC())) {
      Awaitility.await().atMost(Duration.ofSeconds(60)).until(platform::ready);

      HttpResponse<String> response =
          HttpClient.newHttpClient()
              .send(
                  HttpRequest.newBuilder(URI.create(platform.httpUrl() + "/v1/chat/completions"))
                      .header("Authorization", "Bearer " + KEY)
                      .header("Content-Type", "application/json")
                      .timeout(Duration.ofSeconds(60))
                      .POST(
                          HttpRequest.BodyPublishers.ofString(
                              "{\"model\":\"chat-default\","
                                  + "\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}"))
                      .build(),
                  HttpResponse.BodyHandlers.ofString());

      assertThat(response.statusCode()).as(response.body()).isEqualTo(504);
      JsonNode error = JSON.readTree(response.body()).path("error");
      assertThat(error.path("code").asText()).isEqualTo("provider_timeout");
      assertThat(error.path("type").asText()).isEqualTo("server_error");
      assertThat(error.path("message").asText()).contains("call timeout (300 ms)");

      var serdes = ExternalPlatform.serdes(platform.schemaRegistryUrl());
      var outcomes = serdes.outcomes().deserializer();
      assertThat(TopicReader.readAll(platform.bootstrapServers(), Topics.defaults().outcomes()))
          .map(r -> (ProviderOutcome) outcomes.deserialize("", r.value()))
          .isNotEmpty()
          .allSatisfy(
              outcome -> {
                assertThat(outcome.getError().getKind()).isEqualTo(ProviderErrorKind.TIMEOUT);
                assertThat(outcome.getError().getHttpStatus()).isNull();
              });
      var results = serdes.results().deserializer();
      assertThat(TopicReader.readAll(platform.bootstrapServers(), Topics.defaults().results()))
          .map(r -> (InferenceResult) results.deserialize("", r.value()))
          .isNotEmpty()
          .allSatisfy(
              result -> {
                assertThat(result.getStatus()).isEqualTo(ResultStatus.FAILED);
                assertThat(result.getReason()).isEqualTo(ReasonCode.PROVIDER_TIMEOUT);
              });
    }
  }
}
