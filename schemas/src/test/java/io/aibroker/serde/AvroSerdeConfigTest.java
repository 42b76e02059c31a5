package io.aibroker.serde;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.apache.kafka.common.config.ConfigException;
import org.junit.jupiter.api.Test;

class AvroSerdeConfigTest {

  @Test
  void keyNamesMatchConfluents() {
    assertThat(AvroSerdeConfig.SCHEMA_REGISTRY_URL_CONFIG).isEqualTo("schema.registry.url");
    assertThat(AvroSerdeConfig.AUTO_REGISTER_SCHEMAS).isEqualTo("auto.register.schemas");
    assertThat(AvroSerdeConfig.USE_LATEST_VERSION).isEqualTo("use.latest.version");
    assertThat(AvroSerdeConfig.SPECIFIC_AVRO_READER_CONFIG).isEqualTo("specific.avro.reader");
    assertThat(AvroSerdeConfig.VALUE_SUBJECT_NAME_STRATEGY)
        .isEqualTo("value.subject.name.strategy");
    assertThat(AvroSerdeConfig.KEY_SUBJECT_NAME_STRATEGY).isEqualTo("key.subject.name.strategy");
    assertThat(AvroSerdeConfig.BASIC_AUTH_CREDENTIALS_SOURCE)
        .isEqualTo("basic.auth.credentials.source");
    assertThat(AvroSerdeConfig.USER_INFO_CONFIG).isEqualTo("basic.auth.user.info");
  }

  @Test
  void defaultsAreConfluents() {
    AvroSerdeConfig config = AvroSerdeConfig.fromProperties(Map.of());

    assertThat(config.autoRegisterSchemas()).isTrue();
    assertThat(config.useLatestVersion()).isFalse();
    assertThat(config.specificAvroReader()).isFalse();
    assertThat(config.subjectNameStrategy(false)).isInstanceOf(TopicNameStrategy.class);
    assertThat(config.subjectNameStrategy(true)).isInstanceOf(TopicNameStrategy.class);
  }

  @Test
  void readsStringsBooleansAndClasses() {
    AvroSerdeConfig config =
        AvroSerdeConfig.fromProperties(
            Map.of(
                "auto.register.schemas", "FALSE",
                "use.latest.version", true,
                "specific.avro.reader", " true ",
                "key.subject.name.strategy", RecordNameStrategy.class,
                "value.subject.name.strategy", "TopicRecordNameStrategy"));

    assertThat(config.autoRegisterSchemas()).isFalse();
    assertThat(config.useLatestVersion()).isTrue();
    assertThat(config.specificAvroReader()).isTrue();
    assertThat(config.subjectNameStrategy(true)).isInstanceOf(RecordNameStrategy.class);
    assertThat(config.subjectNameStrategy(false)).isInstanceOf(TopicRecordNameStrategy.class);
  }

  @Test
  void absentKeysKeepFallbackValues() {
    AvroSerdeConfig fallback = AvroSerdeConfig.defaults().withAutoRegisterSchemas(false);

    AvroSerdeConfig config =
        AvroSerdeConfig.fromProperties(Map.of("use.latest.version", "true"), fallback);

    assertThat(config.autoRegisterSchemas()).isFalse();
    assertThat(config.useLatestVersion()).isTrue();
  }

  @Test
  void rejectsNonBooleanValue() {
    assertThatThrownBy(() -> AvroSerdeConfig.fromProperties(Map.of("auto.register.schemas", "yes")))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("auto.register.schemas");
  }
}
