package io.aibroker.serde;

import io.aibroker.registry.SchemaRegistryClient;
import java.util.HashMap;
import java.util.Map;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericRecord;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serializer;

/**
 * Serde for {@link GenericRecord}s in the Confluent wire format.
 *
 * <p>Serializer and deserializer share one registry client. Built with a client, the serde works
 * without {@link #configure configure} (as value serde with default options); built without one,
 * {@code configure} creates the client from {@code schema.registry.url} and the serde closes it.
 * Deserialization always yields generic records, of the writer schema unless a reader schema is
 * given.
 */
public class GenericAvroSerde implements Serde<GenericRecord> {

  private final AvroSerializer<GenericRecord> serializer;
  private final AvroDeserializer<GenericRecord> deserializer;
  private SchemaRegistryClient client;
  private boolean ownsClient;

  /** A serde to be {@link #configure configured} with properties. */
  public GenericAvroSerde() {
    this(null, null, AvroSerdeConfig.defaults());
  }

  /** A serde with a shared client and default options. */
  public GenericAvroSerde(SchemaRegistryClient client) {
    this(client, null, AvroSerdeConfig.defaults());
  }

  /**
   * A serde with a shared client (or null to configure one), a reader schema for deserialized
   * records (or null for the writer schema) and the given options.
   */
  public GenericAvroSerde(
      SchemaRegistryClient client, Schema readerSchema, AvroSerdeConfig config) {
    AvroSerdeConfig generic = config.withSpecificAvroReader(false);
    this.client = client;
    this.serializer = new AvroSerializer<>(client, generic);
    this.deserializer = new AvroDeserializer<>(client, generic, null, readerSchema);
  }

  @Override
  public void configure(Map<String, ?> configs, boolean isKey) {
    if (client == null) {
      client = SchemaRegistryClient.fromProperties(configs);
      ownsClient = true;
      serializer.useClient(client);
      deserializer.useClient(client);
    }
    Map<String, Object> generic = new HashMap<>(configs);
    generic.put(AvroSerdeConfig.SPECIFIC_AVRO_READER_CONFIG, false);
    serializer.configure(generic, isKey);
    deserializer.configure(generic, isKey);
  }

  @Override
  public Serializer<GenericRecord> serializer() {
    return serializer;
  }

  @Override
  public Deserializer<GenericRecord> deserializer() {
    return deserializer;
  }

  /** Closes the registry client if this serde created it. */
  @Override
  public void close() {
    serializer.close();
    deserializer.close();
    if (ownsClient) {
      client.close();
    }
  }
}
