package io.aibroker.app.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.aibroker.app.config.AppConfig;
import io.aibroker.app.config.ConfigLoader;
import io.aibroker.registry.SchemaRegistryConfig;
import java.net.URI;
import java.util.Map;
import org.junit.jupiter.api.Test;

class EndpointsTest {

  @Test
  void theEmbeddedRegistryIsAddressedAsBound() {
    assertThat(Endpoints.registryUrl(config(Map.of()))).isEqualTo("http://127.0.0.1:8081");
  }

  @Test
  void aWildcardBoundEmbeddedRegistryIsAddressedByALoopbackName() {
    // Its changes are accepted only from clients addressing it by a loopback name.
    assertThat(
            Endpoints.registryUrl(
                config(Map.of("AIBROKER_SCHEMA_REGISTRY_EMBEDDED_HOST", "0.0.0.0"))))
        .isEqualTo("http://localhost:8081");
    assertThat(
            Endpoints.registryUrl(config(Map.of("AIBROKER_SCHEMA_REGISTRY_EMBEDDED_HOST", "::"))))
        .isEqualTo("http://localhost:8081");
  }

  @Test
  void theEmbeddedRegistrysWriteCredentialTravelsAsUserInfoTheClientSends() {
    String credential = "ci bot:p@ss/w:rd%";
    String url =
        Endpoints.registryUrl(
            config(Map.of("AIBROKER_SCHEMA_REGISTRY_EMBEDDED_WRITE_CREDENTIAL", credential)));

    SchemaRegistryConfig client = SchemaRegistryConfig.of(url);

    assertThat(client.basicAuthUserInfo()).isEqualTo(credential);
    assertThat(client.urls()).containsExactly(URI.create("http://127.0.0.1:8081"));
  }

  @Test
  void anExternalRegistryIsAddressedByItsConfiguredUrl() {
    assertThat(
            Endpoints.registryUrl(
                config(Map.of("AIBROKER_SCHEMA_REGISTRY_URL", "http://u:pw@registry:8081"))))
        .isEqualTo("http://u:pw@registry:8081");
  }

  private static AppConfig config(Map<String, String> env) {
    return ConfigLoader.load(null, env);
  }
}
