package io.aibroker.serde;

import io.aibroker.registry.AvroCompatibility;
import io.aibroker.registry.IncompatibleSchemaException;
import io.aibroker.registry.InvalidSchemaException;
import io.aibroker.registry.SchemaMetadata;
import io.aibroker.registry.SchemaNotFoundException;
import io.aibroker.registry.SchemaRegistryClient;
import io.aibroker.registry.SchemaRegistryException;
import io.aibroker.registry.SubjectNotFoundException;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericDatumWriter;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Serializer;

/**
 * Kafka serializer writing Avro in the Confluent wire format, registering or looking up schemas in
 * a schema registry.
 *
 * <p>Accepts {@code SpecificRecord}s, {@code GenericRecord}s and other {@code GenericContainer}s,
 * and the Java primitives Confluent's serializer accepts (String, Integer, Long, Float, Double,
 * Boolean, byte[], ByteBuffer). {@code null} serializes to {@code null} (tombstones).
 *
 * <p>Either construct it with a {@link SchemaRegistryClient} (shared; not closed by this
 * serializer), or with no arguments and {@link #configure configure} it with Confluent properties
 * (see {@link AvroSerdeConfig}); it then creates and owns its client.
 *
 * <p>The schema id is resolved once per topic and schema and cached, as is the datum writer, so the
 * steady state makes no registry calls and no reflection. Thread-safe once configured.
 *
 * <p>Errors: {@link SerializationException} when the data or its schema cannot be written (schema
 * not registered while {@code auto.register.schemas=false}, incompatible schema, data not matching
 * its schema); {@link SchemaRegistryException} when the registry itself fails (unreachable, 5xx,
 * unauthorized), since retrying may then succeed.
 *
 * @param <T> the type of values written
 */
public class AvroSerializer<T> implements Serializer<T> {

  // ConcurrentHashMap allows no null keys; a topic name never contains NUL.
  private static final String NO_TOPIC = "\u0000";

  private final Map<String, Map<Schema, WritePlan>> plans = new ConcurrentHashMap<>();
  private SchemaRegistryClient client;
  private boolean ownsClient;
  private AvroSerdeConfig config;
  private boolean isKey;

  /** A serializer to be {@link #configure configured} with properties before use. */
  public AvroSerializer() {
    this(null, AvroSerdeConfig.defaults());
  }

  /** A value serializer with default options using a shared registry client. */
  public AvroSerializer(SchemaRegistryClient client) {
    this(client, AvroSerdeConfig.defaults());
  }

  /**
   * A value serializer using a shared registry client and the given options. {@link #configure} may
   * still be called to switch to keys or override options.
   */
  public AvroSerializer(SchemaRegistryClient client, AvroSerdeConfig config) {
    this.client = client;
    this.config = Objects.requireNonNull(config, "config");
  }

  /**
   * Reads the {@link AvroSerdeConfig} options (keys absent from {@code configs} keep their current
   * values) and, if no client was given, creates a registry client from {@code schema.registry.url}
   * and related keys.
   */
  @Override
  public void configure(Map<String, ?> configs, boolean isKey) {
    this.config = AvroSerdeConfig.fromProperties(configs, config);
    this.isKey = isKey;
    if (client == null) {
      client = SchemaRegistryClient.fromProperties(configs);
      ownsClient = true;
    }
    plans.clear();
  }

  /** Uses a client owned by someone else (a serde sharing it with its deserializer). */
  void useClient(SchemaRegistryClient shared) {
    if (client == null) {
      client = shared;
      ownsClient = false;
    }
  }

  @Override
  public byte[] serialize(String topic, T data) {
    if (data == null) {
      return null;
    }
    Schema schema = AvroData.schemaOf(data);
    return plan(topic, schema, data).write(data, topic);
  }

  /** Closes the registry client if this serializer created it. */
  @Override
  public void close() {
    if (ownsClient && client != null) {
      client.close();
    }
  }

  private WritePlan plan(String topic, Schema schema, Object data) {
    String topicKey = topic == null ? NO_TOPIC : topic;
    Map<Schema, WritePlan> bySchema = plans.get(topicKey);
    if (bySchema == null) {
      bySchema = plans.computeIfAbsent(topicKey, t -> new ConcurrentHashMap<>());
    }
    WritePlan plan = bySchema.get(schema);
    if (plan == null) {
      // Resolved outside any map lock: it may call the registry. A racing duplicate is harmless.
      plan = resolve(topic, schema, AvroData.isSpecific(data));
      WritePlan raced = bySchema.putIfAbsent(schema, plan);
      plan = raced != null ? raced : plan;
    }
    return plan;
  }

  private WritePlan resolve(String topic, Schema schema, boolean specific) {
    if (client == null) {
      throw new IllegalStateException(
          "AvroSerializer is not configured: call configure() or pass a SchemaRegistryClient");
    }
    String subject = config.subjectNameStrategy(isKey).subjectName(topic, isKey, schema);
    if (config.useLatestVersion()) {
      return latestVersionPlan(subject, schema, specific);
    }
    if (config.autoRegisterSchemas()) {
      try {
        return new WritePlan(
            client.register(subject, schema),
            schema,
            NullableUnions.writerFor(schema, specific),
            null);
      } catch (IncompatibleSchemaException | InvalidSchemaException e) {
        throw new SerializationException(
            "Cannot register schema "
                + schema.getFullName()
                + " under subject '"
                + subject
                + "': "
                + e.getMessage(),
            e);
      }
    }
    try {
      return new WritePlan(
          client.getId(subject, schema), schema, NullableUnions.writerFor(schema, specific), null);
    } catch (SubjectNotFoundException | SchemaNotFoundException e) {
      throw new SerializationException(
          "Schema "
              + schema.getFullName()
              + " is not registered under subject '"
              + subject
              + "' and "
              + AvroSerdeConfig.AUTO_REGISTER_SCHEMAS
              + " is false; register it first ("
              + e.getMessage()
              + ")",
          e);
    }
  }

  private WritePlan latestVersionPlan(String subject, Schema schema, boolean specific) {
    SchemaMetadata latest;
    try {
      latest = client.getLatest(subject);
    } catch (SubjectNotFoundException e) {
      throw new SerializationException(
          AvroSerdeConfig.USE_LATEST_VERSION
              + " is true but subject '"
              + subject
              + "' has no registered schema",
          e);
    }
    if (latest.schema().equals(schema)) {
      return new WritePlan(latest.id(), schema, NullableUnions.writerFor(schema, specific), null);
    }
    String problems = AvroCompatibility.cannotRead(latest.schema(), schema);
    if (problems != null) {
      throw new SerializationException(
          "The latest schema of subject '"
              + subject
              + "' (version "
              + latest.version()
              + ", id "
              + latest.id()
              + ") cannot represent data of schema "
              + schema.getFullName()
              + ": "
              + problems);
    }
    return new WritePlan(
        latest.id(),
        latest.schema(),
        new GenericDatumWriter<>(latest.schema()),
        new Transcoder(schema, latest.schema(), NullableUnions.writerFor(schema, specific)));
  }
}
