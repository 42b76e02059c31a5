package io.aibroker.app.config;

import static org.assertj.core.api.Assertions.assertThat;

import io.aibroker.topics.Topics;
import io.aibroker.workers.WorkerConfig;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class WorkerSettingsTest {

  @Test
  void theBuiltInWorkerSettingsAreTheWorkerDefaults() {
    AppConfig config = ConfigLoader.load(null, Map.of());

    assertThat(ComponentConfigs.worker(config, "worker-1"))
        .isEqualTo(
            WorkerConfig.builder(
                    Topics.defaults(), "aibroker-workers", "worker-1", List.of("simulated"))
                .build());
  }

  @Test
  void nestedWorkerSettingsCanBeOverriddenOneByOne() {
    AppConfig config =
        ConfigLoader.load(
            null,
            Map.of("AIBROKER_WORKERS_RETRY_MAX_ATTEMPTS", "7"),
            Map.of(
                "workers.breaker.wait-in-open-state-ms", "5000",
                "workers.max-in-flight-per-deployment", "32",
                "workers.providers", "bedrock,simulated"));

    WorkerConfig worker = ComponentConfigs.worker(config, "worker-1");

    assertThat(worker.retry().maxAttempts()).isEqualTo(7);
    assertThat(worker.breaker().waitInOpenState()).isEqualTo(Duration.ofSeconds(5));
    assertThat(worker.maxInFlightPerDeployment()).isEqualTo(32);
    assertThat(worker.providers()).containsExactly("bedrock", "simulated");
  }

  @Test
  void consumersZeroMeansOnePerCoreAndAnyOtherCountIsKept() {
    int cores = Runtime.getRuntime().availableProcessors();
    assertThat(ComponentConfigs.worker(ConfigLoader.load(null, Map.of()), "w").consumers())
        .isEqualTo(cores);
    assertThat(
            ComponentConfigs.worker(
                    ConfigLoader.load(null, Map.of("AIBROKER_WORKERS_CONSUMERS", "8")), "w")
                .consumers())
        .isEqualTo(8);
  }
}
