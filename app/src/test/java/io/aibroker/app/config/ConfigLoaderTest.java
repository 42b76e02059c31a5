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
  void topicsAreSizedToTheKafkaUnlessTheirPartitionsAreSet() {
    AppConfig embedded = ConfigLoader.load(null, Map.of());
    AppConfig cluster =
        ConfigLoader.load(null, Map.of("AIBROKER_KAFKA_BOOTSTRAP_SERVERS", "kafka:9092"));
    AppConfig set =
        ConfigLoader.load(
            null,
            Map.of(
                "AIBROKER_KAFKA_BOOTSTRAP_SERVERS",
                "kafka:9092",
                "AIBROKER_TOPICS_PARTITIONS",
                "12"));

    assertThat(embedded.topicPartitions()).isEqualTo(2);
    assertThat(cluster.topicPartitions()).isEqualTo(6);
    assertThat(set.topicPartitions()).isEqualTo(12);
  }

  @Test
  void aNegativePartitionCountIsAClearError() {
    assertThatThrownBy(() -> ConfigLoader.load(null, Map.of("AIBROKER_TOPICS_PARTITIONS", "-1")))
        .hasMessageContaining("topics.partitions must be 0 (sized to the Kafka) or more");
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
  void kafkaClientVariablesBecomeClientPropertiesOverTheFilesOwn() throws Exception {
    Path file = dir.resolve("aibroker.yaml");
    Files.writeString(
        file,
        "kafka:\n"
            + "  bootstrap-servers: kafka:19092\n"
            + "  client:\n"
            + "    security.protocol: PLAINTEXT\n"
            + "    client.dns.lookup: use_all_dns_ips\n");
    String jaas =
        "org.apache.kafka.common.security.scram.ScramLoginModule required"
            + " username=\"aibroker\" password=\"from-the-environment\";";
    Map<String, String> env =
        Map.of(
            "AIBROKER_KAFKA_CLIENT_SECURITY_PROTOCOL", "SASL_PLAINTEXT",
            "AIBROKER_KAFKA_CLIENT_SASL_JAAS_CONFIG", jaas,
            "AIBROKER_KAFKA_BOOTSTRAP_SERVERS", "kafka:29092",
            "UNRELATED_SASL_MECHANISM", "PLAIN");

    AppConfig config =
        ConfigLoader.load(file, env, Map.of("kafka.client.sasl.mechanism", "SCRAM-SHA-512"));

    assertThat(config.kafka().client())
        .containsExactlyInAnyOrderEntriesOf(
            Map.of(
                "security.protocol", "SASL_PLAINTEXT",
                "sasl.mechanism", "SCRAM-SHA-512",
                "sasl.jaas.config", jaas,
                "client.dns.lookup", "use_all_dns_ips"));
    assertThat(config.kafka().bootstrapServers()).isEqualTo("kafka:29092");
    // every Kafka client of a CLI verb (and of the platform) starts from these properties
    assertThat(io.aibroker.app.cli.Endpoints.kafkaClient(config))
        .containsEntry("sasl.jaas.config", jaas)
        .containsEntry("bootstrap.servers", "kafka:29092");
  }

  @Test
  void kafkaClientVariablesWithoutDefaultsOrFileStillMakeTheMap() {
    AppConfig config =
        ConfigLoader.load(null, Map.of("AIBROKER_KAFKA_CLIENT_SASL_MECHANISM", "SCRAM-SHA-512"));

    assertThat(config.kafka().client())
        .containsExactly(Map.entry("sasl.mechanism", "SCRAM-SHA-512"));
    assertThat(ConfigLoader.kafkaClientProperty("AIBROKER_KAFKA_CLIENT_SSL_TRUSTSTORE_LOCATION"))
        .contains("ssl.truststore.location");
    assertThat(ConfigLoader.kafkaClientProperty("AIBROKER_KAFKA_BOOTSTRAP_SERVERS")).isEmpty();
    assertThat(ConfigLoader.kafkaClientProperty("KAFKA_CLIENT_SASL_MECHANISM")).isEmpty();
  }

  @Test
  void aKafkaClientVariableNamingNoPropertyIsAClearError() {
    for (String name :
        java.util.List.of(
            "AIBROKER_KAFKA_CLIENT_",
            "AIBROKER_KAFKA_CLIENT_SASL__MECHANISM",
            "AIBROKER_KAFKA_CLIENT_SASL.MECHANISM")) {
      assertThatThrownBy(() -> ConfigLoader.load(null, Map.of(name, "x")))
          .as(name)
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining(name)
          .hasMessageContaining("names no Kafka client property");
    }
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
  void theBedrockBatchSettingsLoadUnderTheirDocumentedNamesAndGiveTheConnectorABatchApi(
      @org.junit.jupiter.api.io.TempDir Path dir) throws Exception {
    Path file = dir.resolve("batch.yaml");
    java.nio.file.Files.writeString(
        file,
        """
        connectors:
          bedrock:
            region: us-east-1
            batch:
              endpoint-override: http://127.0.0.1:1
              s3-endpoint-override: http://127.0.0.1:2
              input-s3-uri: s3://bucket/prefix/
              output-s3-uri: s3://bucket/prefix/
              role-arn: arn:aws:iam::123456789012:role/bedrock-batch
        """);
    AppConfig config = ConfigLoader.load(file, Map.of());
    var factory = io.aibroker.connector.Connectors.factory("bedrock");

    var bedrock =
        (io.aibroker.connector.bedrock.BedrockConfig)
            io.aibroker.connector.Connectors.config(
                factory, ComponentConfigs.connectorSettings(config, "bedrock"));

    assertThat(bedrock.batch()).isNotNull();
    assertThat(bedrock.batch().roleArn()).isEqualTo("arn:aws:iam::123456789012:role/bedrock-batch");
    assertThat(bedrock.batch().inputS3Uri()).isEqualTo("s3://bucket/prefix/");
    try (var connector =
        io.aibroker.connector.Connectors.create(
            "bedrock",
            ComponentConfigs.connectorSettings(config, "bedrock"),
            io.aibroker.connector.ConnectorContext.defaults())) {
      assertThat(connector.batch()).isPresent();
      assertThat(connector.batch().orElseThrow().window())
          .isEqualTo(java.time.Duration.ofHours(24));
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
