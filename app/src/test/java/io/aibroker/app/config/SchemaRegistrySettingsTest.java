package io.aibroker.app.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Test;

class SchemaRegistrySettingsTest {

  // Contains the canary marker: the build fails if it is ever logged.
  private static final String CREDENTIAL = "schemas:cn7ry-q8x-registry-write";

  @Test
  void theEmbeddedRegistryHasNoWriteCredentialByDefault() {
    var settings = ConfigLoader.load(null, Map.of()).schemaRegistry();

    assertThat(settings.embeddedWriteCredential()).isEmpty();
    assertThat(settings.hasEmbeddedWriteCredential()).isFalse();
  }

  @Test
  void theWriteCredentialComesFromItsEnvironmentVariable() {
    var settings =
        ConfigLoader.load(
                null, Map.of("AIBROKER_SCHEMA_REGISTRY_EMBEDDED_WRITE_CREDENTIAL", CREDENTIAL))
            .schemaRegistry();

    assertThat(settings.embeddedWriteCredential()).isEqualTo(CREDENTIAL);
    assertThat(settings.hasEmbeddedWriteCredential()).isTrue();
    assertThat(ConfigLoader.environmentVariables())
        .contains("AIBROKER_SCHEMA_REGISTRY_EMBEDDED_WRITE_CREDENTIAL");
  }

  @Test
  void aWriteCredentialWithoutUserIsRejectedWithoutShowingIt() {
    assertThatThrownBy(
            () ->
                ConfigLoader.load(
                    null,
                    Map.of(
                        "AIBROKER_SCHEMA_REGISTRY_EMBEDDED_WRITE_CREDENTIAL", "cn7ry-q8x-no-user")))
        .hasMessageContaining("user:password")
        .hasMessageNotContaining("cn7ry-q8x");
  }

  @Test
  void toStringShowsNeitherTheCredentialNorTheUserInfoOfTheUrl() {
    var external =
        new AppConfig.SchemaRegistrySettings(
            "http://alice:cn7ry-q8x-url@registry:8081", "127.0.0.1", 8081, CREDENTIAL);

    assertThat(external.toString())
        .doesNotContain("cn7ry-q8x", "alice", "schemas:")
        .contains("url=http://registry:8081", "embeddedWriteCredential=[hidden]");
  }
}
