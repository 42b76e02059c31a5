package io.aibroker.app.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConfigLoaderTest {

  @TempDir Path dir;

  @Test
  void defaultsRunEverythingEmbeddedOnLoopback() {
    AppConfig config = ConfigLoader.load(null, Map.of());

    assertThat(config.kafka().embedded()).isTrue();
    assertThat(config.schemaRegistry().embedded()).isTrue();
    assertThat(config.kafka().embeddedHost()).isEqualTo("127.0.0.1");
    assertThat(config.http().host()).isEqualTo("127.0.0.1");
    assertThat(config.http().port()).isEqualTo(8080);
    assertThat(config.broker().processingGuarantee()).isEqualTo("exactly_once_v2");
    assertThat(ComponentConfigs.models(config).resolve("chat-default")).isPresent();
  }

  @Test
  void aFileIsMergedOverTheDefaults() throws Exception {
    Path file = dir.resolve("aibroker.yaml");
    Files.writeString(file, "http:\n  port: 9999\ntopics:\n  prefix: acme\n");

    AppConfig config = ConfigLoader.load(file, Map.of());

    assertThat(config.http().port()).isEqualTo(9999);
    assertThat(config.http().host()).isEqualTo("127.0.0.1");
    assertThat(ComponentConfigs.topics(config).requests()).isEqualTo("acme.requests");
  }

  @Test
  void environmentVariablesOverrideTheFileAndOverridesWin() throws Exception {
    Path file = dir.resolve("aibroker.yaml");
    Files.writeString(file, "http:\n  port: 9999\n");
    Map<String, String> env =
        Map.of(
            "AIBROKER_HTTP_PORT", "7000",
            "AIBROKER_KAFKA_BOOTSTRAP_SERVERS", "kafka:9092",
            "AIBROKER_WORKERS_PROVIDERS", "simulated, bedrock");

    AppConfig config = ConfigLoader.load(file, env, Map.of("http.port", "7100"));

    assertThat(config.http().port()).isEqualTo(7100);
    assertThat(config.kafka().bootstrapServers()).isEqualTo("kafka:9092");
    assertThat(config.kafka().embedded()).isFalse();
    assertThat(config.workers().providers()).containsExactly("simulated", "bedrock");
  }

  @Test
  void aTypoInTheFileIsAClearError() throws Exception {
    Path file = dir.resolve("aibroker.yaml");
    Files.writeString(file, "http:\n  prot: 9999\n");

    assertThatThrownBy(() -> ConfigLoader.load(file, Map.of()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("prot");
  }

  @org.junit.jupiter.params.ParameterizedTest
  @org.junit.jupiter.params.provider.ValueSource(
      strings = {"aibroker.yaml", "providers-example.yaml"})
  void theExampleConfigurationsInTheRepoLoadAndTheirConnectorsAcceptThem(String file) {
    Path example = Path.of("..", "config", file);

    AppConfig config = ConfigLoader.load(example, Map.of());

    ComponentConfigs.broker(config);
    for (String provider : config.workers().providers()) {
      var factory = io.aibroker.connector.Connectors.factory(provider);
      var settings = ComponentConfigs.connectorSettings(config, provider);
      if (provider.equals("workers-ai")) {
        settings.put("apiToken", "from-the-environment"); // CLOUDFLARE_API_TOKEN in production
      }
      assertThat(io.aibroker.connector.Connectors.config(factory, settings)).isNotNull();
    }
  }

  @Test
  void listsTheEnvironmentVariablesItUnderstands() {
    assertThat(ConfigLoader.environmentVariables())
        .contains(
            "AIBROKER_KAFKA_BOOTSTRAP_SERVERS",
            "AIBROKER_SCHEMA_REGISTRY_URL",
            "AIBROKER_HTTP_PORT");
  }
}
