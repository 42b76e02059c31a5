package io.aibroker.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.aibroker.embedded.EmbeddedKafka;
import io.aibroker.embedded.EmbeddedKafkaConfig;
import io.aibroker.embedded.EmbeddedSchemaRegistry;
import io.aibroker.registry.IncompatibleSchemaException;
import io.aibroker.registry.InvalidCompatibilityLevelException;
import io.aibroker.registry.RestSchemaRegistryClient;
import io.aibroker.registry.SchemaNotFoundException;
import io.aibroker.registry.SchemaRegistryClient;
import io.aibroker.registry.SchemaRegistryConfig;
import io.aibroker.registry.SubjectNotFoundException;
import java.nio.file.Path;
import org.apache.avro.Schema;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** aibroker's Schema Registry client against the embedded Confluent-compatible registry. */
class SchemaRegistryClientIT {

  private static final Schema V1 =
      new Schema.Parser()
          .parse(
              "{\"type\":\"record\",\"name\":\"Order\",\"namespace\":\"t\",\"fields\":"
                  + "[{\"name\":\"id\",\"type\":\"string\"}]}");
  private static final Schema V2 =
      new Schema.Parser()
          .parse(
              "{\"type\":\"record\",\"name\":\"Order\",\"namespace\":\"t\",\"fields\":"
                  + "[{\"name\":\"id\",\"type\":\"string\"},"
                  + "{\"name\":\"note\",\"type\":\"string\",\"default\":\"\"}]}");
  private static final Schema INCOMPATIBLE =
      new Schema.Parser()
          .parse(
              "{\"type\":\"record\",\"name\":\"Order\",\"namespace\":\"t\",\"fields\":"
                  + "[{\"name\":\"id\",\"type\":\"long\"}]}");

  @TempDir static Path dir;
  static EmbeddedKafka kafka;
  static EmbeddedSchemaRegistry registry;
  static SchemaRegistryClient client;

  @BeforeAll
  static void start() {
    kafka = new EmbeddedKafka(EmbeddedKafkaConfig.builder(dir).port(0).build());
    kafka.start();
    registry = EmbeddedSchemaRegistry.builder(kafka.bootstrapServers()).port(0).build();
    registry.start();
    client = new RestSchemaRegistryClient(SchemaRegistryConfig.of(registry.url()));
  }

  @AfterAll
  static void stop() {
    registry.close();
    kafka.close();
  }

  @Test
  void registersLooksUpAndEvolvesASchema() {
    int id1 = client.register("orders-value", V1);
    assertThat(client.register("orders-value", V1)).isEqualTo(id1);
    assertThat(client.getId("orders-value", V1)).isEqualTo(id1);
    assertThat(client.getById(id1)).isEqualTo(V1);

    assertThat(client.testCompatibility("orders-value", V2)).isTrue();
    assertThat(client.testCompatibility("orders-value", INCOMPATIBLE)).isFalse();
    int id2 = client.register("orders-value", V2);
    assertThat(id2).isNotEqualTo(id1);
    assertThat(client.getLatest("orders-value").version()).isEqualTo(2);
    assertThat(client.versions("orders-value")).containsExactly(1, 2);
    assertThat(client.subjects()).contains("orders-value");
  }

  @Test
  void mapsConfluentErrorCodesToExceptions() {
    client.register("payments-value", V1);
    assertThatThrownBy(() -> client.register("payments-value", INCOMPATIBLE))
        .isInstanceOf(IncompatibleSchemaException.class);
    assertThatThrownBy(() -> client.getLatest("no-such-subject"))
        .isInstanceOf(SubjectNotFoundException.class)
        .hasMessageContaining("no-such-subject");
    assertThatThrownBy(() -> client.getId("payments-value", V2))
        .isInstanceOf(SchemaNotFoundException.class);
    assertThatThrownBy(() -> client.setCompatibility("payments-value", "SOMETIMES"))
        .isInstanceOf(InvalidCompatibilityLevelException.class);
  }

  @Test
  void readsAndChangesCompatibilityConfig() {
    assertThat(client.getCompatibility(null)).isEqualTo("BACKWARD");
    client.register("audit-value", V1);
    client.setCompatibility("audit-value", "NONE");
    assertThat(client.getCompatibility("audit-value")).isEqualTo("NONE");
    assertThat(client.register("audit-value", INCOMPATIBLE)).isPositive();
  }
}
