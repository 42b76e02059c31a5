package io.aibroker.connector.simulated;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.aibroker.connector.Connectors;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SimulatedConfigTest {

  private final SimulatedConnectorFactory factory = new SimulatedConnectorFactory();

  @Test
  void defaultsAreFastReliableAndNeverThrottle() {
    SimulatedConfig config = SimulatedConfig.defaults();

    assertThat(config.latency()).isEqualTo(Duration.ofMillis(20));
    assertThat(config.jitter()).isZero();
    assertThat(config.failureRate()).isZero();
    assertThat(config.throttleEvery()).isZero();
    assertThat(config.throttleFor()).isZero();
    assertThat(config.retryAfter()).isEqualTo(Duration.ofSeconds(1));
    assertThat(config.maxOutputTokens()).isEqualTo(256);
  }

  @Test
  void buildsFromAYamlShapedMapWithSimpleAndIsoDurations() {
    SimulatedConfig config =
        Connectors.config(
            factory,
            Map.of(
                "latency", "200ms",
                "jitter", "PT0.05S",
                "failureRate", 0.1,
                "throttleEvery", "30s",
                "throttleFor", "2s",
                "retryAfter", "500ms",
                "seed", 7,
                "maxOutputTokens", 64));

    assertThat(config)
        .isEqualTo(
            SimulatedConfig.builder()
                .latency(Duration.ofMillis(200))
                .jitter(Duration.ofMillis(50))
                .failureRate(0.1)
                .throttleEvery(Duration.ofSeconds(30))
                .throttleFor(Duration.ofSeconds(2))
                .retryAfter(Duration.ofMillis(500))
                .seed(7)
                .maxOutputTokens(64)
                .build());
  }

  @Test
  void emptyMapGivesTheDefaults() {
    assertThat(Connectors.config(factory, Map.of())).isEqualTo(SimulatedConfig.defaults());
  }

  @Test
  void misspelledPropertyIsNamedWithTheConnector() {
    assertThatThrownBy(() -> Connectors.config(factory, Map.of("latncy", "20ms")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("connector 'simulated'")
        .hasMessageContaining("unknown property 'latncy'")
        .hasMessageContaining("latency");
  }

  @Test
  void rejectsAFailureRateOutsideZeroToOne() {
    assertThatThrownBy(() -> SimulatedConfig.builder().failureRate(1.5).build())
        .hasMessage("failureRate must be between 0 and 1, was 1.5");
    assertThatThrownBy(() -> SimulatedConfig.builder().failureRate(Double.NaN).build())
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> Connectors.config(factory, Map.of("failureRate", -0.1)))
        .hasMessage(
            "Invalid configuration for connector 'simulated': "
                + "failureRate must be between 0 and 1, was -0.1");
  }

  @Test
  void rejectsNegativeDurations() {
    assertThatThrownBy(() -> SimulatedConfig.builder().latency(Duration.ofMillis(-1)).build())
        .hasMessageContaining("latency must not be negative");
    assertThatThrownBy(
            () ->
                SimulatedConfig.builder()
                    .latency(Duration.ZERO)
                    .jitter(Duration.ofMillis(-1))
                    .build())
        .hasMessageContaining("jitter must not be negative");
  }

  @Test
  void rejectsAThrottleWindowLongerThanItsPeriod() {
    assertThatThrownBy(
            () ->
                SimulatedConfig.builder()
                    .throttleEvery(Duration.ofSeconds(1))
                    .throttleFor(Duration.ofSeconds(2))
                    .build())
        .hasMessageContaining("throttleFor (PT2S) must not exceed throttleEvery (PT1S)");
    assertThatThrownBy(
            () ->
                SimulatedConfig.builder()
                    .throttleEvery(Duration.ZERO)
                    .throttleFor(Duration.ofSeconds(2))
                    .build())
        .hasMessageContaining("set throttleEvery");
  }

  @Test
  void rejectsNegativeMaxOutputTokens() {
    assertThatThrownBy(() -> SimulatedConfig.builder().maxOutputTokens(-1).build())
        .hasMessageContaining("maxOutputTokens");
  }
}
