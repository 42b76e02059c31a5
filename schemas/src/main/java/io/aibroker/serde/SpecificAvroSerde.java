package io.aibroker.serde;

import io.aibroker.registry.SchemaRegistryClient;
import java.util.HashMap;
import java.util.Map;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serializer;

/**
 * Serde for generated Avro classes in the Confluent wire format, e.g. {@code new
 * SpecificAvroSerde<>(registry, InferenceRequest.class)}.
 *
 * <p>Serializer and deserializer share one registry client. Built with a client, the serde works
 * without {@link #configure configure} (as value serde with default options); built without one,
 * {@code configure} creates the client from {@code schema.registry.url} and the serde closes it.
 * Deserialization always yields specific records.
 *
 * @param <T> the generated record class
 */
public class SpecificAvroSerde<T extends SpecificRecord> implements Serde<T> {

  private final AvroSerializer<T> serializer;
  private final AvroDeserializer<T> deserializer;
  private SchemaRegistryClient client;
  private boolean ownsClient;

  /**
   * A serde to be {@link #configure configured} with properties; it reads the generated class named
   * by each record's writer schema.
   */
  public SpecificAvroSerde() {
    this(null, null, AvroSerdeConfig.defaults());
  }

  /** A serde reading the generated class named by each writer schema, with a shared client. */
  public SpecificAvroSerde(SchemaRegistryClient client) {
    this(client, null, AvroSerdeConfig.defaults());
  }

  /** A serde for one generated class with a shared client and default options. */
  public SpecificAvroSerde(SchemaRegistryClient client, Class<T> type) {
    this(client, type, AvroSerdeConfig.defaults());
  }

  /**
   * A serde for one generated class (or null for the class named by each writer schema) with a
   * shared client (or null to configure one) and the given options.
   */
  public SpecificAvroSerde(SchemaRegistryClient client, Class<T> type, AvroSerdeConfig config) {
    AvroSerdeConfig specific = config.withSpecificAvroReader(true);
    this.client = client;
    this.serializer = new AvroSerializer<>(client, specific);
    this.deserializer = new AvroDeserializer<>(client, specific, type, null);
  }

  @Override
  public void configure(Map<String, ?> configs, boolean isKey) {
    if (client == null) {
      client = SchemaRegistryClient.fromProperties(configs);
      ownsClient = true;
      serializer.useClient(client);
      deserializer.useClient(client);
    }
    serializer.configure(configs, isKey);
    deserializer.configure(withSpecificReader(configs), isKey);
  }

  @Override
  public Serializer<T> serializer() {
    return serializer;
  }

  @Override
  public Deserializer<T> deserializer() {
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

  private static Map<String, Object> withSpecificReader(Map<String, ?> configs) {
    Map<String, Object> copy = new HashMap<>(configs);
    copy.put(AvroSerdeConfig.SPECIFIC_AVRO_READER_CONFIG, true);
    return copy;
  }
}
