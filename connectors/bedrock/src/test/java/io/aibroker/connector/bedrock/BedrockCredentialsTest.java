package io.aibroker.connector.bedrock;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;

class BedrockCredentialsTest {

  private final BedrockConfig withoutKey = BedrockConfig.defaults("us-east-1");

  @Test
  void configuredApiKeyWinsOverTheEnvironment() {
    BedrockCredentials credentials =
        BedrockCredentials.resolve(
            withoutKey.withApiKey("from-config"),
            Map.of(BedrockCredentials.API_KEY_ENV, "from-env")::get);

    assertThat(credentials.usesApiKey()).isTrue();
    assertThat(credentials.secret()).contains("from-config");
  }

  @Test
  void systemPropertyComesBeforeTheEnvironmentVariable() {
    BedrockCredentials credentials =
        BedrockCredentials.resolve(
            withoutKey,
            Map.of(
                    BedrockCredentials.API_KEY_PROPERTY, "from-property",
                    BedrockCredentials.API_KEY_ENV, "from-env")
                ::get);

    assertThat(credentials.secret()).contains("from-property");
  }

  @Test
  void environmentVariableIsUsedWithoutAConfiguredKey() {
    BedrockCredentials credentials =
        BedrockCredentials.resolve(
            withoutKey, Map.of(BedrockCredentials.API_KEY_ENV, "from-env")::get);

    assertThat(credentials.secret()).contains("from-env");
  }

  @Test
  void withoutAnyKeyFallsBackToSigV4() {
    BedrockCredentials credentials =
        BedrockCredentials.resolve(withoutKey, Map.of(BedrockCredentials.API_KEY_ENV, "  ")::get);

    assertThat(credentials.usesApiKey()).isFalse();
    assertThat(credentials.secret()).isEmpty();
    credentials.close();
  }

  @Test
  void toStringNeverShowsTheKey() {
    assertThat(BedrockCredentials.apiKey("the-key").toString())
        .contains("***")
        .doesNotContain("the-key");
  }
}
