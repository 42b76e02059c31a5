package io.aibroker.embedded;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.aibroker.embedded.SchemaRegistryService.SchemaRequest;
import io.aibroker.registry.CompatibilityLevel;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Registry rules over an in-memory log that stores records exactly as the Kafka topic would. */
class SchemaRegistryServiceTest {

  private final RecordingLog log = new RecordingLog();
  private final SchemaRegistryService registry =
      new SchemaRegistryService(new RegistryState(), log);

  private static SchemaRequest avro(String schema) {
    return new SchemaRequest(schema, null, 0);
  }

  private static final String USER =
      "{\"type\":\"record\",\"name\":\"User\",\"fields\":[{\"name\":\"id\",\"type\":\"string\"}]}";
  private static final String USER_SPACED =
      "{ \"name\" : \"User\", \"type\" : \"record\",\n \"fields\" : [ {\"type\":\"string\","
          + " \"name\":\"id\"} ] }";
  private static final String USER_V2 =
      "{\"type\":\"record\",\"name\":\"User\",\"fields\":[{\"name\":\"id\",\"type\":\"string\"},"
          + "{\"name\":\"email\",\"type\":[\"null\",\"string\"],\"default\":null}]}";
  private static final String USER_BREAKING =
      "{\"type\":\"record\",\"name\":\"User\",\"fields\":[{\"name\":\"id\",\"type\":\"string\"},"
          + "{\"name\":\"age\",\"type\":\"int\"}]}";

  @Test
  void reRegisteringTheSameSchemaReturnsTheSameIdWithoutANewVersion() {
    int id = registry.register("users-value", avro(USER));
    assertThat(registry.register("users-value", avro(USER))).isEqualTo(id);
    assertThat(registry.register("users-value", avro(USER_SPACED))).isEqualTo(id);
    assertThat(registry.versions("users-value", false)).containsExactly(1);
  }

  @Test
  void theSameSchemaInAnotherSubjectSharesTheIdAndStartsAtVersionOne() {
    int id = registry.register("a", avro(USER));
    assertThat(registry.register("b", avro(USER))).isEqualTo(id);
    assertThat(registry.version("b", "latest", false).version()).isEqualTo(1);
    assertThat(registry.versionsById(id, false))
        .extracting(RegisteredSchema::subject)
        .containsExactly("a", "b");
  }

  @Test
  void idsIncreaseFromOne() {
    assertThat(registry.register("a", avro(USER))).isEqualTo(1);
    assertThat(registry.register("a", avro(USER_V2))).isEqualTo(2);
    assertThat(registry.register("c", avro("\"string\""))).isEqualTo(3);
  }

  @Test
  void anIncompatibleSchemaIsRefusedWith409AndNothingIsStored() {
    registry.register("users", avro(USER));
    int before = log.records.size();
    assertThatThrownBy(() -> registry.register("users", avro(USER_BREAKING)))
        .isInstanceOfSatisfying(
            RegistryException.class,
            e -> {
              assertThat(e.errorCode()).isEqualTo(409);
              assertThat(e.getMessage()).contains("READER_FIELD_MISSING_DEFAULT_VALUE");
            });
    assertThat(log.records).hasSize(before);
    assertThat(registry.versions("users", false)).containsExactly(1);
  }

  @Test
  void aFailedWriteLeavesMemoryUnchanged() {
    registry.register("users", avro(USER));
    log.failing = true;
    assertThatThrownBy(() -> registry.register("users", avro(USER_V2)))
        .isInstanceOfSatisfying(
            RegistryException.class, e -> assertThat(e.errorCode()).isEqualTo(50001));
    assertThat(registry.versions("users", false)).containsExactly(1);
    log.failing = false;
    assertThat(registry.register("users", avro(USER_V2))).isEqualTo(2);
  }

  @Test
  void softDeletedVersionsKeepTheirNumbersAndIdsForNewRegistrations() {
    int id = registry.register("s", avro(USER));
    assertThat(registry.deleteSubject("s", false)).containsExactly(1);
    assertThat(registry.subjects(false, null)).doesNotContain("s");
    assertThat(registry.subjects(true, null)).contains("s");
    assertThat(registry.register("s", avro(USER))).isEqualTo(id);
    assertThat(registry.versions("s", false)).containsExactly(2);
    assertThat(registry.versions("s", true)).containsExactly(1, 2);
  }

  @Test
  void permanentDeleteNeedsASoftDeleteFirst() {
    registry.register("s", avro(USER));
    assertThatThrownBy(() -> registry.deleteSubject("s", true))
        .isInstanceOfSatisfying(
            RegistryException.class, e -> assertThat(e.errorCode()).isEqualTo(40405));
    registry.deleteSubject("s", false);
    assertThatThrownBy(() -> registry.deleteSubject("s", false))
        .isInstanceOfSatisfying(
            RegistryException.class, e -> assertThat(e.errorCode()).isEqualTo(40404));
    assertThat(registry.deleteSubject("s", true)).containsExactly(1);
    assertThat(registry.subjects(true, null)).doesNotContain("s");
    assertThatThrownBy(() -> registry.schemaById(1))
        .isInstanceOfSatisfying(
            RegistryException.class, e -> assertThat(e.errorCode()).isEqualTo(40403));
  }

  @Test
  void versionNumbersAreValidated() {
    registry.register("s", avro(USER));
    for (String bad : List.of("0", "-2", "abc", "")) {
      assertThatThrownBy(() -> registry.version("s", bad, false))
          .isInstanceOfSatisfying(
              RegistryException.class, e -> assertThat(e.errorCode()).isEqualTo(42202));
    }
    assertThat(registry.version("s", "-1", false).version()).isEqualTo(1);
    assertThatThrownBy(() -> registry.version("s", "7", false))
        .isInstanceOfSatisfying(
            RegistryException.class, e -> assertThat(e.errorCode()).isEqualTo(40402));
  }

  @Test
  void invalidSchemasUnsupportedTypesAndReferencesAreRefusedWith42201() {
    for (SchemaRequest bad :
        List.of(
            avro("{\"type\":\"record\""),
            avro("{\"type\":\"nonsense\"}"),
            avro(""),
            new SchemaRequest(USER, "PROTOBUF", 0),
            new SchemaRequest(USER, "AVRO", 1))) {
      assertThatThrownBy(() -> registry.register("s", bad))
          .isInstanceOfSatisfying(
              RegistryException.class, e -> assertThat(e.errorCode()).isEqualTo(42201));
    }
  }

  @Test
  void stateRebuiltFromTheLogHasTheSameIdsVersionsDeletesAndConfig() {
    registry.register("a", avro(USER));
    registry.register("a", avro(USER_V2));
    registry.register("b", avro("\"long\""));
    registry.deleteVersion("a", "1", false);
    registry.register("gone", avro("\"int\""));
    registry.deleteSubject("gone", false);
    registry.deleteSubject("gone", true);
    registry.setGlobalLevel("FULL");
    registry.setSubjectLevel("b", "none");

    SchemaRegistryService restarted = log.restart();

    assertThat(restarted.subjects(false, null)).containsExactly("a", "b");
    assertThat(restarted.versions("a", false)).containsExactly(2);
    assertThat(restarted.versions("a", true)).containsExactly(1, 2);
    assertThat(restarted.version("a", "2", false).id()).isEqualTo(2);
    assertThat(restarted.version("b", "1", false).id()).isEqualTo(3);
    assertThat(restarted.globalLevel()).isEqualTo(CompatibilityLevel.FULL);
    assertThat(restarted.subjectLevel("b", false)).isEqualTo(CompatibilityLevel.NONE);
    assertThat(restarted.register("c", avro("\"bytes\""))).isEqualTo(5);
  }

  @Test
  void subjectConfigFallsBackToGlobalOnlyWhenAsked() {
    assertThatThrownBy(() -> registry.subjectLevel("s", false))
        .isInstanceOfSatisfying(
            RegistryException.class, e -> assertThat(e.errorCode()).isEqualTo(40408));
    assertThat(registry.subjectLevel("s", true)).isEqualTo(CompatibilityLevel.BACKWARD);
    assertThatThrownBy(() -> registry.setSubjectLevel("s", "SIDEWAYS"))
        .isInstanceOfSatisfying(
            RegistryException.class, e -> assertThat(e.errorCode()).isEqualTo(42203));
  }

  @Test
  void subjectLevelOverridesGlobalForRegistration() {
    registry.register("s", avro(USER));
    registry.setSubjectLevel("s", "NONE");
    assertThat(registry.register("s", avro(USER_BREAKING))).isEqualTo(2);
    assertThat(registry.deleteSubjectLevel("s")).isEqualTo(CompatibilityLevel.NONE);
    assertThat(registry.testCompatibility("s", "latest", avro(USER))).isEmpty();
    assertThat(registry.testCompatibility("s", "1", avro(USER_BREAKING))).isNotEmpty();
  }

  @Test
  void percentDecodingKeepsPlusSignsAndDecodesUtf8() {
    assertThat(RegistryHttpHandler.percentDecode("a+b%2Fc%C3%A9")).isEqualTo("a+b/cé");
    assertThat(RegistryHttpHandler.percentDecode("100%")).isEqualTo("100%");
  }
}
