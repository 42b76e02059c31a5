package io.aibroker.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.NavigableMap;
import java.util.TreeMap;
import org.apache.avro.Schema;
import org.junit.jupiter.api.Test;

class AvroCompatibilityTest {

  private static Schema record(String fields) {
    return new Schema.Parser()
        .parse("{\"type\":\"record\",\"name\":\"R\",\"fields\":[" + fields + "]}");
  }

  private static final Schema ID_ONLY = record("{\"name\":\"id\",\"type\":\"string\"}");
  private static final Schema WITH_DEFAULTED_NOTE =
      record(
          "{\"name\":\"id\",\"type\":\"string\"},"
              + "{\"name\":\"note\",\"type\":\"string\",\"default\":\"\"}");
  private static final Schema WITH_REQUIRED_NOTE =
      record("{\"name\":\"id\",\"type\":\"string\"},{\"name\":\"note\",\"type\":\"string\"}");

  private static NavigableMap<Integer, Schema> versions(Schema... schemas) {
    NavigableMap<Integer, Schema> out = new TreeMap<>();
    for (int i = 0; i < schemas.length; i++) {
      out.put(i + 1, schemas[i]);
    }
    return out;
  }

  @Test
  void addingAFieldWithADefaultIsFullyCompatible() {
    assertThat(
            AvroCompatibility.check(
                CompatibilityLevel.FULL, WITH_DEFAULTED_NOTE, versions(ID_ONLY)))
        .isEmpty();
  }

  @Test
  void addingAFieldWithoutDefaultBreaksBackwardButNotForward() {
    assertThat(
            AvroCompatibility.check(
                CompatibilityLevel.BACKWARD, WITH_REQUIRED_NOTE, versions(ID_ONLY)))
        .anySatisfy(m -> assertThat(m).contains("READER_FIELD_MISSING_DEFAULT_VALUE"))
        .contains("{oldSchemaVersion: 1}", "{compatibility: 'BACKWARD'}");
    assertThat(
            AvroCompatibility.check(
                CompatibilityLevel.FORWARD, WITH_REQUIRED_NOTE, versions(ID_ONLY)))
        .isEmpty();
    assertThat(
            AvroCompatibility.check(CompatibilityLevel.FULL, WITH_REQUIRED_NOTE, versions(ID_ONLY)))
        .isNotEmpty();
  }

  @Test
  void removingAFieldWithoutDefaultBreaksForwardButNotBackward() {
    assertThat(
            AvroCompatibility.check(
                CompatibilityLevel.BACKWARD, ID_ONLY, versions(WITH_REQUIRED_NOTE)))
        .isEmpty();
    assertThat(
            AvroCompatibility.check(
                CompatibilityLevel.FORWARD, ID_ONLY, versions(WITH_REQUIRED_NOTE)))
        .isNotEmpty();
  }

  @Test
  void wideningIntToLongIsBackwardOnly() {
    Schema intCount = record("{\"name\":\"n\",\"type\":\"int\"}");
    Schema longCount = record("{\"name\":\"n\",\"type\":\"long\"}");
    assertThat(AvroCompatibility.check(CompatibilityLevel.BACKWARD, longCount, versions(intCount)))
        .isEmpty();
    assertThat(AvroCompatibility.check(CompatibilityLevel.FORWARD, longCount, versions(intCount)))
        .isNotEmpty();
    assertThat(AvroCompatibility.canRead(longCount, intCount)).isTrue();
    assertThat(AvroCompatibility.canRead(intCount, longCount)).isFalse();
  }

  @Test
  void noneAcceptsAnyChange() {
    Schema unrelated = Schema.create(Schema.Type.BOOLEAN);
    assertThat(AvroCompatibility.check(CompatibilityLevel.NONE, unrelated, versions(ID_ONLY)))
        .isEmpty();
  }

  @Test
  void theFirstVersionIsAlwaysCompatible() {
    for (CompatibilityLevel level : CompatibilityLevel.values()) {
      assertThat(AvroCompatibility.check(level, ID_ONLY, versions())).isEmpty();
    }
  }

  @Test
  void nonTransitiveLevelsCheckOnlyTheLatestVersionTransitiveOnesCheckAll() {
    Schema v1 = record("{\"name\":\"f\",\"type\":\"int\"}");
    Schema v2 = record("");
    Schema v3 = record("{\"name\":\"f\",\"type\":\"string\",\"default\":\"\"}");
    NavigableMap<Integer, Schema> history = versions(v1, v2);

    assertThat(AvroCompatibility.check(CompatibilityLevel.BACKWARD, v3, history)).isEmpty();
    assertThat(AvroCompatibility.check(CompatibilityLevel.BACKWARD_TRANSITIVE, v3, history))
        .anySatisfy(m -> assertThat(m).contains("TYPE_MISMATCH"))
        .contains("{oldSchemaVersion: 1}")
        .doesNotContain("{oldSchemaVersion: 2}");
    assertThat(AvroCompatibility.check(CompatibilityLevel.FULL_TRANSITIVE, v3, history))
        .isNotEmpty();
  }

  @Test
  void cannotReadNamesEachProblemOrNothing() {
    assertThat(AvroCompatibility.cannotRead(WITH_REQUIRED_NOTE, ID_ONLY))
        .startsWith("READER_FIELD_MISSING_DEFAULT_VALUE at /fields/1")
        .contains("note");
    assertThat(AvroCompatibility.cannotRead(WITH_DEFAULTED_NOTE, ID_ONLY)).isNull();
  }

  @Test
  void levelsParseIgnoringCaseAndRejectUnknownNames() {
    assertThat(CompatibilityLevel.find("full_transitive"))
        .contains(CompatibilityLevel.FULL_TRANSITIVE);
    assertThat(CompatibilityLevel.find("Backward")).contains(CompatibilityLevel.BACKWARD);
    assertThat(CompatibilityLevel.find("SIDEWAYS")).isEmpty();
    assertThat(CompatibilityLevel.find(null)).isEmpty();
    assertThat(CompatibilityLevel.parse(" full ")).isEqualTo(CompatibilityLevel.FULL);
    assertThatThrownBy(() -> CompatibilityLevel.parse("SIDEWAYS"))
        .isInstanceOf(InvalidCompatibilityLevelException.class)
        .hasMessageContaining("SIDEWAYS");
    assertThat(CompatibilityLevel.DEFAULT).isEqualTo(CompatibilityLevel.BACKWARD);
  }
}
