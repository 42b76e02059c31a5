package io.aibroker.serde;

import io.aibroker.registry.SchemaRegistryConfig;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import org.apache.kafka.common.config.ConfigException;

/**
 * Options of the Avro serdes, with the configuration keys of Confluent's {@code
 * AbstractKafkaSchemaSerDeConfig} and {@code KafkaAvroDeserializerConfig}.
 *
 * <p>Registry connection keys ({@value #SCHEMA_REGISTRY_URL_CONFIG}, {@value #USER_INFO_CONFIG},
 * ...) are read by {@link SchemaRegistryConfig#fromProperties}; they are repeated here so serde
 * users find every key in one place.
 *
 * @param autoRegisterSchemas register the schema of written data if the subject lacks it ({@value
 *     #AUTO_REGISTER_SCHEMAS}, default true); when false the schema must already be registered
 * @param useLatestVersion write with the subject's latest schema instead of the data's own ({@value
 *     #USE_LATEST_VERSION}, default false); the latest must be able to read the data's schema
 * @param specificAvroReader deserialize into generated {@code SpecificRecord} classes instead of
 *     {@code GenericRecord} ({@value #SPECIFIC_AVRO_READER_CONFIG}, default false)
 * @param keySubjectNameStrategy subject naming for keys ({@value #KEY_SUBJECT_NAME_STRATEGY})
 * @param valueSubjectNameStrategy subject naming for values ({@value #VALUE_SUBJECT_NAME_STRATEGY})
 */
public record AvroSerdeConfig(
    boolean autoRegisterSchemas,
    boolean useLatestVersion,
    boolean specificAvroReader,
    SubjectNameStrategy keySubjectNameStrategy,
    SubjectNameStrategy valueSubjectNameStrategy) {

  /** Comma-separated registry URLs, or {@code mock://scope} for an in-memory registry. */
  public static final String SCHEMA_REGISTRY_URL_CONFIG = SchemaRegistryConfig.URL_CONFIG;

  /** {@code URL} or {@code USER_INFO}: where basic auth credentials come from. */
  public static final String BASIC_AUTH_CREDENTIALS_SOURCE =
      SchemaRegistryConfig.BASIC_AUTH_CREDENTIALS_SOURCE_CONFIG;

  /** {@code user:password} for basic auth. */
  public static final String USER_INFO_CONFIG = SchemaRegistryConfig.USER_INFO_CONFIG;

  /** Whether the serializer registers unknown schemas. */
  public static final String AUTO_REGISTER_SCHEMAS = "auto.register.schemas";

  /** Whether the serializer writes with the subject's latest schema. */
  public static final String USE_LATEST_VERSION = "use.latest.version";

  /** Whether the deserializer returns specific records. */
  public static final String SPECIFIC_AVRO_READER_CONFIG = "specific.avro.reader";

  /** Class name of the subject name strategy for keys. */
  public static final String KEY_SUBJECT_NAME_STRATEGY = "key.subject.name.strategy";

  /** Class name of the subject name strategy for values. */
  public static final String VALUE_SUBJECT_NAME_STRATEGY = "value.subject.name.strategy";

  /** Checks that both strategies are present. */
  public AvroSerdeConfig {
    Objects.requireNonNull(keySubjectNameStrategy, "keySubjectNameStrategy");
    Objects.requireNonNull(valueSubjectNameStrategy, "valueSubjectNameStrategy");
  }

  /** Confluent's defaults: auto-register, own schema, generic reader, topic name strategy. */
  public static AvroSerdeConfig defaults() {
    return new AvroSerdeConfig(
        true, false, false, new TopicNameStrategy(), new TopicNameStrategy());
  }

  /** Reads the options from serde properties; absent keys take the {@link #defaults()}. */
  public static AvroSerdeConfig fromProperties(Map<String, ?> configs) {
    return fromProperties(configs, defaults());
  }

  /**
   * Reads the options from serde properties; absent keys keep the values of {@code fallback}.
   *
   * @throws ConfigException if a value is invalid
   */
  public static AvroSerdeConfig fromProperties(Map<String, ?> configs, AvroSerdeConfig fallback) {
    return new AvroSerdeConfig(
        bool(configs, AUTO_REGISTER_SCHEMAS, fallback.autoRegisterSchemas),
        bool(configs, USE_LATEST_VERSION, fallback.useLatestVersion),
        bool(configs, SPECIFIC_AVRO_READER_CONFIG, fallback.specificAvroReader),
        strategy(configs, KEY_SUBJECT_NAME_STRATEGY, fallback.keySubjectNameStrategy),
        strategy(configs, VALUE_SUBJECT_NAME_STRATEGY, fallback.valueSubjectNameStrategy));
  }

  /** The subject name strategy for keys or values. */
  public SubjectNameStrategy subjectNameStrategy(boolean isKey) {
    return isKey ? keySubjectNameStrategy : valueSubjectNameStrategy;
  }

  /** A copy with {@link #autoRegisterSchemas()} changed. */
  public AvroSerdeConfig withAutoRegisterSchemas(boolean value) {
    return new AvroSerdeConfig(
        value,
        useLatestVersion,
        specificAvroReader,
        keySubjectNameStrategy,
        valueSubjectNameStrategy);
  }

  /** A copy with {@link #useLatestVersion()} changed. */
  public AvroSerdeConfig withUseLatestVersion(boolean value) {
    return new AvroSerdeConfig(
        autoRegisterSchemas,
        value,
        specificAvroReader,
        keySubjectNameStrategy,
        valueSubjectNameStrategy);
  }

  /** A copy with {@link #specificAvroReader()} changed. */
  public AvroSerdeConfig withSpecificAvroReader(boolean value) {
    return new AvroSerdeConfig(
        autoRegisterSchemas,
        useLatestVersion,
        value,
        keySubjectNameStrategy,
        valueSubjectNameStrategy);
  }

  /** A copy with the key strategy changed. */
  public AvroSerdeConfig withKeySubjectNameStrategy(SubjectNameStrategy value) {
    return new AvroSerdeConfig(
        autoRegisterSchemas, useLatestVersion, specificAvroReader, value, valueSubjectNameStrategy);
  }

  /** A copy with the value strategy changed. */
  public AvroSerdeConfig withValueSubjectNameStrategy(SubjectNameStrategy value) {
    return new AvroSerdeConfig(
        autoRegisterSchemas, useLatestVersion, specificAvroReader, keySubjectNameStrategy, value);
  }

  private static boolean bool(Map<String, ?> configs, String key, boolean fallback) {
    Object value = configs.get(key);
    if (value == null) {
      return fallback;
    }
    if (value instanceof Boolean b) {
      return b;
    }
    return switch (value.toString().strip().toLowerCase(Locale.ROOT)) {
      case "true" -> true;
      case "false" -> false;
      default -> throw new ConfigException(key, value, "must be true or false");
    };
  }

  private static SubjectNameStrategy strategy(
      Map<String, ?> configs, String key, SubjectNameStrategy fallback) {
    Object value = configs.get(key);
    if (value == null || value.toString().isBlank()) {
      return fallback;
    }
    if (value instanceof SubjectNameStrategy s) {
      return s;
    }
    if (value instanceof Class<?> type) {
      return SubjectNameStrategy.forClass(type);
    }
    return SubjectNameStrategy.forName(value.toString());
  }
}
