package io.aibroker.serde;

import io.aibroker.registry.AvroCompatibility;
import io.aibroker.registry.SchemaNotFoundException;
import io.aibroker.registry.SchemaRegistryClient;
import io.aibroker.registry.SchemaRegistryException;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericContainer;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericDatumReader;
import org.apache.avro.io.DatumReader;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificDatumReader;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Deserializer;

/**
 * Kafka deserializer reading Avro in the Confluent wire format, fetching writer schemas by id from
 * a schema registry.
 *
 * <p>What it returns depends on how it is built:
 *
 * <ul>
 *   <li>with a specific record class: instances of that class, read with the class's schema, so
 *       records written with older or newer compatible schemas are resolved to it;
 *   <li>with {@code specific.avro.reader=true}: instances of the generated class named by each
 *       writer schema;
 *   <li>with a reader schema: {@code GenericRecord}s of that schema;
 *   <li>otherwise: {@code GenericRecord}s of the writer schema.
 * </ul>
 *
 * <p>Top-level primitives come back as Confluent returns them ({@code String}, {@code byte[]},
 * boxed numbers). {@code null} bytes deserialize to {@code null} (tombstones).
 *
 * <p>The datum reader of each writer schema id is built once and cached (the reader schema is a
 * function of the writer id for one deserializer), so the steady state makes no registry calls and
 * no reflection. Thread-safe once configured.
 *
 * <p>Errors: {@link SerializationException} when the bytes cannot be read (bad header, unknown
 * schema id, writer schema incompatible with the reader schema, truncated or corrupt Avro data),
 * with a message naming the cause; such records belong in a dead-letter topic. {@link
 * SchemaRegistryException} when the registry itself fails (unreachable, 5xx, unauthorized): the
 * record may be fine and retrying may succeed.
 *
 * @param <T> the type of values returned
 */
public class AvroDeserializer<T> implements Deserializer<T> {

  private final Map<Integer, ReadPlan> plans = new ConcurrentHashMap<>();
  private final Class<?> specificType;
  private final Schema fixedReaderSchema;
  private SchemaRegistryClient client;
  private boolean ownsClient;
  private AvroSerdeConfig config;

  /** A deserializer to be {@link #configure configured} with properties before use. */
  public AvroDeserializer() {
    this(null, AvroSerdeConfig.defaults(), null, null);
  }

  /** A generic deserializer (writer schema as reader schema) using a shared registry client. */
  public AvroDeserializer(SchemaRegistryClient client) {
    this(client, AvroSerdeConfig.defaults(), null, null);
  }

  /** A deserializer using a shared registry client and the given options. */
  public AvroDeserializer(SchemaRegistryClient client, AvroSerdeConfig config) {
    this(client, config, null, null);
  }

  /**
   * A deserializer returning instances of a generated {@code SpecificRecord} class, using a shared
   * registry client (may be null to {@link #configure configure} one from properties).
   *
   * @throws IllegalArgumentException if the class is not a {@code SpecificRecord}
   */
  public AvroDeserializer(SchemaRegistryClient client, Class<T> specificType) {
    this(client, AvroSerdeConfig.defaults().withSpecificAvroReader(true), specificType, null);
  }

  /**
   * A generic deserializer returning {@code GenericRecord}s of the given reader schema, using a
   * shared registry client.
   */
  public AvroDeserializer(SchemaRegistryClient client, Schema readerSchema) {
    this(client, AvroSerdeConfig.defaults(), null, Objects.requireNonNull(readerSchema));
  }

  AvroDeserializer(
      SchemaRegistryClient client,
      AvroSerdeConfig config,
      Class<?> specificType,
      Schema readerSchema) {
    this.client = client;
    this.config = Objects.requireNonNull(config, "config");
    this.specificType = specificType;
    if (specificType != null) {
      if (!SpecificRecord.class.isAssignableFrom(specificType)) {
        throw new IllegalArgumentException(
            specificType.getName() + " is not an Avro SpecificRecord class");
      }
      this.fixedReaderSchema = SpecificData.getForClass(specificType).getSchema(specificType);
    } else {
      this.fixedReaderSchema = readerSchema;
    }
  }

  /**
   * Reads the {@link AvroSerdeConfig} options (keys absent from {@code configs} keep their current
   * values) and, if no client was given, creates a registry client from {@code schema.registry.url}
   * and related keys.
   */
  @Override
  public void configure(Map<String, ?> configs, boolean isKey) {
    this.config = AvroSerdeConfig.fromProperties(configs, config);
    if (client == null) {
      client = SchemaRegistryClient.fromProperties(configs);
      ownsClient = true;
    }
    plans.clear();
  }

  /** Uses a client owned by someone else (a serde sharing it with its serializer). */
  void useClient(SchemaRegistryClient shared) {
    if (client == null) {
      client = shared;
      ownsClient = false;
    }
  }

  @Override
  @SuppressWarnings("unchecked")
  public T deserialize(String topic, byte[] data) {
    if (data == null) {
      return null;
    }
    String problem = WireFormat.headerProblem(data);
    if (problem != null) {
      throw new SerializationException(problem + " in a record of topic " + topic);
    }
    int schemaId = WireFormat.schemaId(data);
    ReadPlan plan = plans.get(schemaId);
    if (plan == null) {
      plan = plan(schemaId, topic);
    }
    return (T) plan.read(data, topic);
  }

  /** Closes the registry client if this deserializer created it. */
  @Override
  public void close() {
    if (ownsClient && client != null) {
      client.close();
    }
  }

  private ReadPlan plan(int schemaId, String topic) {
    if (client == null) {
      throw new IllegalStateException(
          "AvroDeserializer is not configured: call configure() or pass a SchemaRegistryClient");
    }
    Schema writer;
    try {
      writer = client.getById(schemaId);
    } catch (SchemaNotFoundException e) {
      // No plan is cached: the id may be registered after all once a lagging registry catches up.
      // A REST client remembers the miss for a short while, so a flood of records with this id
      // costs one registry call per interval rather than one each.
      throw new SerializationException(
          "Unknown schema id "
              + schemaId
              + " in a record of topic "
              + topic
              + ": the schema registry has no schema with this id",
          e);
    }
    ReadPlan plan = buildPlan(schemaId, writer);
    ReadPlan raced = plans.putIfAbsent(schemaId, plan);
    return raced != null ? raced : plan;
  }

  private ReadPlan buildPlan(int schemaId, Schema writer) {
    Class<?> readerClass = specificType;
    if (readerClass == null && fixedReaderSchema == null && config.specificAvroReader()) {
      readerClass = generatedClass(writer);
      if (readerClass == null && isNamed(writer)) {
        return ReadPlan.failing(
            schemaId,
            AvroSerdeConfig.SPECIFIC_AVRO_READER_CONFIG
                + " is true but no generated class "
                + writer.getFullName()
                + " for schema id "
                + schemaId
                + " is on the classpath");
      }
    }
    Schema reader;
    if (readerClass != null) {
      reader =
          fixedReaderSchema != null
              ? fixedReaderSchema
              : SpecificData.getForClass(readerClass).getSchema(readerClass);
    } else {
      reader = fixedReaderSchema != null ? fixedReaderSchema : writer;
    }
    if (reader != writer) {
      String problems = AvroCompatibility.cannotRead(reader, writer);
      if (problems != null) {
        return ReadPlan.failing(
            schemaId,
            "Records with schema id "
                + schemaId
                + " ("
                + writer.getFullName()
                + ") cannot be read as "
                + reader.getFullName()
                + ": "
                + problems);
      }
    }
    DatumReader<Object> datumReader =
        readerClass != null
            ? new SpecificDatumReader<>(writer, reader, SpecificData.getForClass(readerClass))
            : new GenericDatumReader<>(writer, reader, GenericData.get());
    return new ReadPlan(schemaId, reader, datumReader, null);
  }

  private static boolean isNamed(Schema schema) {
    return switch (schema.getType()) {
      case RECORD, ENUM, FIXED -> true;
      default -> false;
    };
  }

  private static Class<?> generatedClass(Schema writer) {
    if (!isNamed(writer)) {
      return null;
    }
    Class<?> type = SpecificData.get().getClass(writer);
    return type != null && (GenericContainer.class.isAssignableFrom(type) || type.isEnum())
        ? type
        : null;
  }
}
