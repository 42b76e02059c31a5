package io.aibroker.app;

import static org.assertj.core.api.Assertions.assertThat;

import io.aibroker.app.config.ConfigLoader;
import io.aibroker.client.AiBrokerClient;
import io.aibroker.records.ChatMessage;
import io.aibroker.records.CircuitState;
import io.aibroker.records.InferenceRequest;
import io.aibroker.records.InferenceResult;
import io.aibroker.records.ProviderHealth;
import io.aibroker.records.ResultStatus;
import io.aibroker.records.Task;
import io.aibroker.topics.Topics;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A deployment in an outage: the workers' breaker for it opens and is published on provider-health,
 * every request still succeeds through the second route, and once the broker has read the open
 * circuit it routes new requests straight to the healthy deployment.
 */
class FailoverIT {

  @TempDir Path dir;

  @Test
  void aFailingDeploymentsBreakerOpensAndTheBrokerFailsOverToTheSecondRoute() throws Exception {
    Path file = dir.resolve("failover.yaml");
    Files.writeString(
        file,
        """
        connectors:
          simulated:
            latency: 5ms
            failing-deployments: [east]
        workers:
          retry:
            max-attempts: 1
        models:
          - name: chat-default
            task: CHAT
            max-output-tokens: 256
            routes:
              - {provider: simulated, deployment: east, provider-model: sim-chat-1, priority: 0}
              - {provider: simulated, deployment: west, provider-model: sim-chat-1, priority: 1}
        """);
    var config = ConfigLoader.load(file, Map.of(), TestPlatforms.freePorts(dir.resolve("data")));
    try (Platform platform = Platform.start(config, Clock.systemUTC())) {
      List<InferenceResult> firstWave = submit(platform, "first", 30);
      assertThat(firstWave)
          .allSatisfy(r -> assertThat(r.getStatus()).isEqualTo(ResultStatus.SUCCEEDED));
      assertThat(firstWave).anySatisfy(r -> assertThat(r.getAttempts()).isEqualTo(2));

      Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> eastIsOpen(platform));
      Thread.sleep(1_000); // the broker's global table follows the topic

      List<InferenceResult> secondWave = submit(platform, "second", 10);
      assertThat(secondWave)
          .allSatisfy(
              r -> {
                assertThat(r.getStatus()).isEqualTo(ResultStatus.SUCCEEDED);
                assertThat(r.getAttempts()).as("routed straight to west").isEqualTo(1);
              });
    }
  }

  private static boolean eastIsOpen(Platform platform) {
    var deserializer =
        ExternalPlatform.serdes(platform.schemaRegistryUrl()).health().deserializer();
    return TopicReader.readAll(platform.bootstrapServers(), Topics.defaults().providerHealth())
        .stream()
        .map(r -> (ProviderHealth) deserializer.deserialize("", r.value()))
        .anyMatch(h -> h.getDeployment().equals("east") && h.getState() == CircuitState.OPEN);
  }

  private static List<InferenceResult> submit(Platform platform, String wave, int count)
      throws Exception {
    try (var client =
        new AiBrokerClient(
            platform.clientProperties(),
            ExternalPlatform.serdes(platform.schemaRegistryUrl()),
            Topics.defaults())) {
      List<CompletableFuture<InferenceResult>> futures = new ArrayList<>();
      for (int i = 0; i < count; i++) {
        InferenceRequest request =
            InferenceRequest.newBuilder()
                .setRequestId(wave + "-" + i)
                .setTenantId("acme")
                .setTask(Task.CHAT)
                .setModel("chat-default")
                .setMessages(List.of(new ChatMessage("user", wave + " question " + i, null)))
                .setCreatedAt(Instant.now())
                .build();
        futures.add(client.submit(request, Duration.ofSeconds(90)));
      }
      List<InferenceResult> results = new ArrayList<>();
      for (var future : futures) {
        results.add(future.get());
      }
      return results;
    }
  }
}
