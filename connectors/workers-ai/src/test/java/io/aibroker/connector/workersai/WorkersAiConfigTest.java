package io.aibroker.connector.workersai;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.aibroker.connector.ConnectorFactory;
import io.aibroker.connector.Connectors;
import java.net.URI;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

class WorkersAiConfigTest {

  private static final String ACCOUNT = "0123456789abcdef0123456789abcdef";

  @Test
  void defaultsToTheCloudflareApiAndSensibleTimeouts() {
    WorkersAiConfig config = WorkersAiConfig.of(ACCOUNT, "tok");

    assertThat(config.baseUrl()).isEqualTo(URI.create("https://api.cloudflare.com/client/v4"));
    assertThat(config.connectTimeout()).isEqualTo(Duration.ofSeconds(10));
    assertThat(config.requestTimeout()).isEqualTo(Duration.ofSeconds(60));
    assertThat(config.gateway()).isFalse();
  }

  @Test
  void toStringRedactsTheToken() {
    WorkersAiConfig config = WorkersAiConfig.of(ACCOUNT, "super-secret-token");

    assertThat(config.toString()).doesNotContain("super-secret-token").contains("apiToken=***");
    assertThat(new WorkersAiConnector(config, java.time.Clock.systemUTC()).toString())
        .doesNotContain("super-secret-token");
  }

  @Test
  void tokenComesFromTheEnvironmentWhenNotConfigured() {
    assertThat(WorkersAiConfig.resolveToken(null, name -> name + "-value"))
        .isEqualTo("CLOUDFLARE_API_TOKEN-value");
    assertThat(WorkersAiConfig.resolveToken(" ", name -> "from-env")).isEqualTo("from-env");
    assertThat(WorkersAiConfig.resolveToken("configured", name -> "from-env"))
        .isEqualTo("configured");
  }

  @Test
  void missingTokenNamesTheEnvironmentVariable() {
    assertThatThrownBy(() -> WorkersAiConfig.resolveToken(null, name -> null))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("CLOUDFLARE_API_TOKEN");
  }

  @Test
  void tokenWithWhitespaceInsideIsRejectedWithoutEchoingIt() {
    assertThatThrownBy(() -> WorkersAiConfig.of(ACCOUNT, "abc def-secret"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageNotContaining("def-secret");
  }

  @Test
  void accountIdIsRequiredForTheRestApi() {
    assertThatThrownBy(() -> WorkersAiConfig.of(null, "tok"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("accountId");
    assertThatThrownBy(() -> WorkersAiConfig.of("../x", "tok"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("accountId");
  }

  @Test
  void gatewayUrlNeedsNoAccountId() {
    WorkersAiConfig config =
        new WorkersAiConfig(
            null,
            "tok",
            URI.create("https://gateway.ai.cloudflare.com/v1/" + ACCOUNT + "/my-gw/workers-ai/"),
            null,
            null);

    assertThat(config.gateway()).isTrue();
    assertThat(config.baseUrl())
        .isEqualTo(
            URI.create("https://gateway.ai.cloudflare.com/v1/" + ACCOUNT + "/my-gw/workers-ai"));
  }

  @Test
  void baseUrlMustBeHttp() {
    assertThatThrownBy(
            () -> new WorkersAiConfig(ACCOUNT, "tok", URI.create("ftp://example.com"), null, null))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("baseUrl");
    assertThatThrownBy(
            () ->
                new WorkersAiConfig(
                    ACCOUNT, "tok", URI.create("https://example.com/v4?key=x"), null, null))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("query");
  }

  @Test
  void timeoutsMustBePositive() {
    assertThatThrownBy(() -> new WorkersAiConfig(ACCOUNT, "tok", null, Duration.ZERO, null))
        .hasMessageContaining("connectTimeout");
    assertThatThrownBy(
            () -> new WorkersAiConfig(ACCOUNT, "tok", null, null, Duration.ofSeconds(-1)))
        .hasMessageContaining("requestTimeout");
  }

  @Test
  void factoryIsFoundByNameAndReadsYamlShapedConfig() {
    ConnectorFactory<?> factory = Connectors.factory("workers-ai");
    assertThat(factory).isInstanceOf(WorkersAiConnectorFactory.class);

    WorkersAiConfig config =
        Connectors.config(
            new WorkersAiConnectorFactory(),
            Map.of("accountId", ACCOUNT, "apiToken", "tok", "requestTimeout", "30s"));

    assertThat(config.requestTimeout()).isEqualTo(Duration.ofSeconds(30));
  }

  @Test
  void batchWindowDefaultsToADayAndIsReadFromYaml() {
    assertThat(WorkersAiConfig.of(ACCOUNT, "tok").batchWindow()).isEqualTo(Duration.ofHours(24));

    WorkersAiConfig config =
        Connectors.config(
            new WorkersAiConnectorFactory(),
            Map.of("accountId", ACCOUNT, "apiToken", "tok", "batchWindow", "6h"));

    assertThat(config.batchWindow()).isEqualTo(Duration.ofHours(6));
    assertThat(new WorkersAiConnector(config, java.time.Clock.systemUTC()).batch())
        .hasValueSatisfying(batch -> assertThat(batch.window()).isEqualTo(Duration.ofHours(6)));
  }

  @Test
  void batchWindowMustBePositive() {
    assertThatThrownBy(() -> new WorkersAiConfig(ACCOUNT, "tok", null, null, null, Duration.ZERO))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("batchWindow");
    assertThatThrownBy(
            () ->
                Connectors.config(
                    new WorkersAiConnectorFactory(),
                    Map.of("accountId", ACCOUNT, "apiToken", "tok", "batchWindow", "-1h")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("batchWindow");
  }

  @Test
  void invalidYamlConfigNamesTheConnectorAndProperty() {
    assertThatThrownBy(
            () ->
                Connectors.config(
                    new WorkersAiConnectorFactory(),
                    Map.of("accountId", ACCOUNT, "apiToken", "tok", "requestTimout", "5s")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("workers-ai")
        .hasMessageContaining("requestTimout");
  }
}
