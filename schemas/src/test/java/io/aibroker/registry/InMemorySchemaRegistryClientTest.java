package io.aibroker.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.apache.avro.Schema;
import org.junit.jupiter.api.Test;

class InMemorySchemaRegistryClientTest {

  private static final Schema V1 = record("{\"name\": \"a\", \"type\": \"string\"}");
  private static final Schema V2_WITH_DEFAULT =
      record(
          "{\"name\": \"a\", \"type\": \"string\"},"
              + " {\"name\": \"b\", \"type\": \"int\", \"default\": 0}");
  private static final Schema V3_B_WITHOUT_DEFAULT =
      record("{\"name\": \"a\", \"type\": \"string\"}, {\"name\": \"b\", \"type\": \"int\"}");
  private static final Schema WITHOUT_A =
      record("{\"name\": \"c\", \"type\": \"long\", \"default\": 1}");

  private final InMemorySchemaRegistryClient registry = new InMemorySchemaRegistryClient();

  @Test
  void identicalSchemasGetTheSameIdUnderEverySubject() {
    int first = registry.register("x-value", V1);
    int again = registry.register("x-value", new Schema.Parser().parse(V1.toString()));
    int elsewhere = registry.register("y-value", V1);
    int other = registry.register("x-value", V2_WITH_DEFAULT);

    assertThat(first).isEqualTo(1);
    assertThat(again).isEqualTo(first);
    assertThat(elsewhere).isEqualTo(first);
    assertThat(other).isEqualTo(2);
    assertThat(registry.versions("x-value")).containsExactly(1, 2);
    assertThat(registry.versions("y-value")).containsExactly(1);
    assertThat(registry.getById(2)).isEqualTo(V2_WITH_DEFAULT);
  }

  @Test
  void versionsAndLookupsDescribeTheSubject() {
    registry.register("x-value", V1);
    registry.register("x-value", V2_WITH_DEFAULT);

    assertThat(registry.getLatest("x-value"))
        .isEqualTo(new SchemaMetadata(2, "x-value", 2, V2_WITH_DEFAULT));
    assertThat(registry.getVersion("x-value", 1))
        .isEqualTo(new SchemaMetadata(1, "x-value", 1, V1));
    assertThat(registry.getVersion("x-value", SchemaRegistryClient.LATEST_VERSION).version())
        .isEqualTo(2);
    assertThat(registry.lookup("x-value", V1).version()).isEqualTo(1);
    assertThat(registry.getId("x-value", V2_WITH_DEFAULT)).isEqualTo(2);
    assertThat(registry.subjects()).containsExactly("x-value");
  }

  @Test
  void backwardByDefaultAcceptsFieldWithDefaultAndRejectsFieldWithout() {
    registry.register("x-value", V1);

    assertThat(registry.getCompatibility(null)).isEqualTo("BACKWARD");
    assertThat(registry.testCompatibility("x-value", V2_WITH_DEFAULT)).isTrue();
    assertThat(registry.testCompatibility("x-value", V3_B_WITHOUT_DEFAULT)).isFalse();
    assertThatThrownBy(() -> registry.register("x-value", V3_B_WITHOUT_DEFAULT))
        .isInstanceOf(IncompatibleSchemaException.class)
        .hasMessageContaining("subject 'x-value' (BACKWARD)")
        .hasMessageContaining("READER_FIELD_MISSING_DEFAULT_VALUE")
        .satisfies(e -> assertThat(((SchemaRegistryException) e).errorCode()).isEqualTo(409));
    assertThat(registry.versions("x-value")).containsExactly(1);
  }

  @Test
  void transitiveLevelChecksEveryEarlierVersion() {
    registry.register("plain", V1);
    registry.register("plain", V2_WITH_DEFAULT);
    registry.setCompatibility("transitive", "BACKWARD_TRANSITIVE");
    registry.register("transitive", V1);
    registry.register("transitive", V2_WITH_DEFAULT);

    // v3 reads v2 data (b present) but not v1 data (b missing, no default).
    assertThat(registry.register("plain", V3_B_WITHOUT_DEFAULT)).isPositive();
    assertThatThrownBy(() -> registry.register("transitive", V3_B_WITHOUT_DEFAULT))
        .isInstanceOf(IncompatibleSchemaException.class);
  }

  @Test
  void forwardLevelRequiresOldSchemaToReadNewData() {
    registry.setCompatibility("x-value", "FORWARD");
    registry.register("x-value", V1);

    // Old readers need 'a', which WITHOUT_A no longer writes.
    assertThat(registry.testCompatibility("x-value", WITHOUT_A)).isFalse();
    assertThat(registry.testCompatibility("x-value", V3_B_WITHOUT_DEFAULT)).isTrue();
  }

  @Test
  void noneAcceptsAnything() {
    registry.setCompatibility(null, "none");
    registry.register("x-value", V1);

    assertThat(registry.register("x-value", WITHOUT_A)).isEqualTo(2);
  }

  @Test
  void subjectLevelOverridesGlobalLevel() {
    registry.setCompatibility("x-value", "FULL");

    assertThat(registry.getCompatibility("x-value")).isEqualTo("FULL");
    assertThat(registry.getCompatibility("y-value")).isEqualTo("BACKWARD");
  }

  @Test
  void unknownCompatibilityLevelIsRejected() {
    assertThatThrownBy(() -> registry.setCompatibility(null, "SIDEWAYS"))
        .isInstanceOf(InvalidCompatibilityLevelException.class)
        .satisfies(e -> assertThat(((SchemaRegistryException) e).errorCode()).isEqualTo(42203));
  }

  @Test
  void missingThingsRaiseTheRegistrysErrors() {
    registry.register("x-value", V1);

    assertThatThrownBy(() -> registry.getLatest("nope"))
        .isInstanceOf(SubjectNotFoundException.class);
    assertThatThrownBy(() -> registry.getVersion("x-value", 9))
        .isInstanceOf(VersionNotFoundException.class);
    assertThatThrownBy(() -> registry.getVersion("x-value", 0))
        .isInstanceOf(InvalidVersionException.class);
    assertThatThrownBy(() -> registry.getById(99))
        .isInstanceOf(SchemaNotFoundException.class)
        .hasMessageContaining("99");
    assertThatThrownBy(() -> registry.getId("x-value", V2_WITH_DEFAULT))
        .isInstanceOf(SchemaNotFoundException.class);
    assertThatThrownBy(() -> registry.getId("nope", V1))
        .isInstanceOf(SubjectNotFoundException.class);
    assertThat(registry.testCompatibility("nope", V1)).isTrue();
  }

  @Test
  void deletedSubjectDisappearsAndVersionsAreNotReused() {
    registry.register("x-value", V1);
    registry.register("x-value", V2_WITH_DEFAULT);

    assertThat(registry.deleteSubject("x-value")).containsExactly(1, 2);
    assertThat(registry.subjects()).isEmpty();
    assertThatThrownBy(() -> registry.versions("x-value"))
        .isInstanceOf(SubjectNotFoundException.class);

    registry.register("x-value", WITHOUT_A);
    assertThat(registry.versions("x-value")).containsExactly(3);
    assertThat(registry.getById(1)).isEqualTo(V1);
  }

  @Test
  void scopesAreSharedByNameUntilDropped() {
    InMemorySchemaRegistryClient scoped = InMemorySchemaRegistryClient.forScope("in-memory-test");
    scoped.register("x-value", V1);

    assertThat(InMemorySchemaRegistryClient.forScope("in-memory-test")).isSameAs(scoped);
    assertThat(
            SchemaRegistryClient.fromProperties(
                java.util.Map.of("schema.registry.url", "mock://in-memory-test")))
        .isSameAs(scoped);

    InMemorySchemaRegistryClient.dropScope("in-memory-test");
    assertThat(InMemorySchemaRegistryClient.forScope("in-memory-test").subjects()).isEmpty();
    InMemorySchemaRegistryClient.dropScope("in-memory-test");
  }

  private static Schema record(String fields) {
    return new Schema.Parser()
        .parse(
            "{\"type\": \"record\", \"name\": \"R\", \"namespace\": \"t\", \"fields\": ["
                + fields
                + "]}");
  }
}
