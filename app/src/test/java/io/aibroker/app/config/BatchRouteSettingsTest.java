package io.aibroker.app.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.aibroker.broker.BatchSettings;
import io.aibroker.broker.RouteOption;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The {@code batch} keys of a model's route, from YAML to the broker's route option. */
class BatchRouteSettingsTest {

  @TempDir Path dir;

  private RouteOption firstRoute(String model, String yaml) throws Exception {
    Path file = dir.resolve("aibroker.yaml");
    Files.writeString(file, yaml);
    AppConfig config = ConfigLoader.load(file, Map.of());
    return ComponentConfigs.models(config).resolve(model).orElseThrow().routes().getFirst();
  }

  private static String model(String batch) {
    // the file's models replace the defaults': the default alias must point at one of them
    return "aliases: {default: chat-batch}\n"
        + "models:\n"
        + "  - name: chat-batch\n"
        + "    task: CHAT\n"
        + "    max-output-tokens: 100\n"
        + "    routes:\n"
        + "      - {provider: bedrock, deployment: bedrock-batch, provider-model: m,\n"
        + "         batch: "
        + batch
        + "}\n";
  }

  @Test
  void theDefaultsHaveABatchModelOnTheSimulatedProvider() {
    AppConfig config = ConfigLoader.load(null, Map.of());

    RouteOption route =
        ComponentConfigs.models(config).resolve("chat-batch").orElseThrow().routes().getFirst();

    assertThat(route.route().getProvider()).isEqualTo("simulated");
    assertThat(route.route().getBatch()).isNull();
    assertThat(route.batch())
        .isEqualTo(new BatchSettings(Duration.ofSeconds(2), 1, 1000, Duration.ofHours(24)));
  }

  @Test
  void readsEveryKeyWithDurationsInEitherForm() throws Exception {
    RouteOption route =
        firstRoute(
            "chat-batch",
            model("{enabled: true, max-wait: PT2S, min-lines: 10, max-lines: 500, window: 12h}"));

    assertThat(route.batch())
        .isEqualTo(new BatchSettings(Duration.ofSeconds(2), 10, 500, Duration.ofHours(12)));
  }

  @Test
  void theWindowIsADayUnlessSet() throws Exception {
    RouteOption route =
        firstRoute(
            "chat-batch", model("{enabled: true, max-wait: 2s, min-lines: 1, max-lines: 9}"));

    assertThat(route.batch().window()).isEqualTo(Duration.ofHours(24));
  }

  @Test
  void aRouteWithoutBatchOrWithBatchDisabledOnlyCallsInRealTime() throws Exception {
    RouteOption disabled =
        firstRoute("chat-batch", model("{enabled: false, max-wait: 2s, max-lines: 9}"));
    RouteOption plain = firstRoute("chat-default", "http:\n  port: 9999\n");

    assertThat(disabled.batch()).isNull();
    assertThat(plain.batch()).isNull();
  }

  @Test
  void settingsOutOfBoundsAreAnErrorNamingTheModelAndRoute() throws Exception {
    Path file = dir.resolve("aibroker.yaml");
    Files.writeString(file, model("{enabled: true, max-wait: 2s, min-lines: 1, max-lines: 50001}"));
    AppConfig config = ConfigLoader.load(file, Map.of());

    assertThatThrownBy(() -> ComponentConfigs.models(config))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("chat-batch")
        .hasMessageContaining("bedrock/bedrock-batch")
        .hasMessageContaining("max-lines");
  }

  @Test
  void aMissingSettingIsAnError() throws Exception {
    Path file = dir.resolve("aibroker.yaml");
    Files.writeString(file, model("{enabled: true, min-lines: 1, max-lines: 10}"));
    AppConfig config = ConfigLoader.load(file, Map.of());

    assertThatThrownBy(() -> ComponentConfigs.models(config)).hasMessageContaining("max-wait");
  }
}
