package io.aibroker.workers;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.aibroker.topics.Topics;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class WorkerConfigTest {

  static WorkerConfig.Builder builder() {
    return WorkerConfig.builder(Topics.defaults(), "group", "worker", List.of("simulated"));
  }

  @Test
  void defaultsAreTheDocumentedOnes() {
    WorkerConfig config = builder().build();

    assertThat(config.maxInFlightPerDeployment()).isEqualTo(256);
    assertThat(config.deliveryLimit()).isEqualTo(5);
    assertThat(config.drainTimeout()).isEqualTo(Duration.ofSeconds(10));
    assertThat(config.renewInterval()).isEqualTo(Duration.ofSeconds(15));
    assertThat(config.retry().maxAttempts()).isEqualTo(4);
    assertThat(config.retry().backoffBase()).isEqualTo(Duration.ofMillis(200));
    assertThat(config.retry().backoffCap()).isEqualTo(Duration.ofSeconds(10));
    assertThat(config.breaker().failureRateThreshold()).isEqualTo(50f);
    assertThat(config.dispatchTopics()).containsExactly("aibroker.dispatch.simulated");
    assertThat(config.batchDispatchTopics()).containsExactly("aibroker.dispatch.simulated.batch");
    assertThat(config.batchConsumers()).isPositive();
  }

  @Test
  void theShortConstructorKeepsTheDefaults() {
    WorkerConfig config =
        new WorkerConfig(
            Topics.defaults(), "group", "worker", List.of("simulated"), 100, Duration.ofSeconds(5));

    assertThat(config)
        .isEqualTo(builder().maxPollRecords(100).callTimeout(Duration.ofSeconds(5)).build());
    assertThat(config.toBuilder().build()).isEqualTo(config);
  }

  @Test
  void rejectsSettingsThatCannotWork() {
    assertThatThrownBy(() -> builder().maxInFlightPerDeployment(0).build())
        .hasMessageContaining("maxInFlightPerDeployment");
    assertThatThrownBy(() -> builder().deliveryLimit(1).build())
        .hasMessageContaining("deliveryLimit");
    assertThatThrownBy(() -> builder().drainTimeout(Duration.ZERO).build())
        .hasMessageContaining("drainTimeout");
    assertThatThrownBy(
            () -> new WorkerConfig.RetrySettings(4, Duration.ofSeconds(2), Duration.ofSeconds(1)))
        .hasMessageContaining("backoffCap");
    assertThatThrownBy(() -> new WorkerConfig.BreakerSettings(0, 10, 5, Duration.ofSeconds(1), 1))
        .hasMessageContaining("failureRateThreshold");
    assertThatThrownBy(() -> WorkerConfig.builder(Topics.defaults(), "g", "w", List.of()).build())
        .hasMessageContaining("provider");
  }
}
