package io.aibroker.connector.bedrock;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.aibroker.connector.Connectors;
import java.net.URI;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class BedrockConfigTest {

  private final BedrockConnectorFactory factory = new BedrockConnectorFactory();

  @Test
  void defaultsFillInTimeoutsAndConcurrency() {
    BedrockConfig config = BedrockConfig.defaults("us-east-1");

    assertThat(config.connectTimeout())
        .isEqualTo(Duration.ofSeconds(BedrockConfig.DEFAULT_CONNECT_TIMEOUT_SECONDS));
    assertThat(config.requestTimeout())
        .isEqualTo(Duration.ofSeconds(BedrockConfig.DEFAULT_REQUEST_TIMEOUT_SECONDS));
    assertThat(config.maxConcurrency()).isEqualTo(BedrockConfig.DEFAULT_MAX_CONCURRENCY);
    assertThat(config.endpointOverride()).isNull();
    assertThat(config.apiKey()).isNull();
  }

  @Test
  void readsHumanDurationsFromRawConfig() {
    BedrockConfig config =
        Connectors.config(
            factory,
            Map.of(
                "region", "eu-central-1",
                "endpointOverride", "https://bedrock.internal:8443",
                "apiKey", "key",
                "connectTimeout", "750ms",
                "requestTimeout", "2m",
                "maxConcurrency", 64));

    assertThat(config)
        .isEqualTo(
            new BedrockConfig(
                "eu-central-1",
                URI.create("https://bedrock.internal:8443"),
                "key",
                Duration.ofMillis(750),
                Duration.ofMinutes(2),
                64));
  }

  @Test
  void regionIsRequired() {
    assertThatThrownBy(() -> Connectors.config(factory, Map.of()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("bedrock")
        .hasMessageContaining("region");
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "useast1", "us_east_1", "https://us-east-1", "us-east"})
  void malformedRegionsAreRejected(String region) {
    assertThatThrownBy(() -> BedrockConfig.defaults(region))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("region");
  }

  @ParameterizedTest
  @ValueSource(strings = {"us-east-1", "us-gov-west-1", "ap-southeast-2", "eu-central-1"})
  void realRegionsAreAccepted(String region) {
    assertThat(BedrockConfig.defaults(region).region()).isEqualTo(region);
  }

  @ParameterizedTest
  @ValueSource(strings = {"/relative", "ftp://host", "http:///path", "http://user:pw@host"})
  void endpointMustBeAnAbsoluteHttpUriWithoutUserInfo(String endpoint) {
    assertThatThrownBy(
            () -> BedrockConfig.defaults("us-east-1").withEndpointOverride(URI.create(endpoint)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("endpointOverride");
  }

  @Test
  void blankApiKeyIsRejectedRatherThanSentEmpty() {
    assertThatThrownBy(() -> BedrockConfig.defaults("us-east-1").withApiKey(" "))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("apiKey");
  }

  @Test
  void timeoutsMustBePositive() {
    assertThatThrownBy(() -> BedrockConfig.defaults("us-east-1").withRequestTimeout(Duration.ZERO))
        .hasMessageContaining("requestTimeout");
    assertThatThrownBy(
            () -> new BedrockConfig("us-east-1", null, null, Duration.ofSeconds(-1), null, 0))
        .hasMessageContaining("connectTimeout");
  }

  @Test
  void negativeConcurrencyIsRejected() {
    assertThatThrownBy(() -> new BedrockConfig("us-east-1", null, null, null, null, -1))
        .hasMessageContaining("maxConcurrency");
  }

  @Test
  void toStringShowsThatAKeyIsSetButNotTheKey() {
    BedrockConfig config = BedrockConfig.defaults("us-east-1").withApiKey("very-secret-key");

    assertThat(config.toString()).contains("apiKey=***").doesNotContain("very-secret-key");
    assertThat(BedrockConfig.defaults("us-east-1").toString()).contains("apiKey=null");
  }
}
