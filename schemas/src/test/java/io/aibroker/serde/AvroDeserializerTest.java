package io.aibroker.serde;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.aibroker.registry.SchemaRegistryException;
import io.aibroker.registry.SchemaRegistryUnavailableException;
import java.io.ByteArrayOutputStream;
import java.util.Arrays;
import java.util.Map;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;
import org.apache.kafka.common.errors.SerializationException;
import org.junit.jupiter.api.Test;

class AvroDeserializerTest {

  private static final String TOPIC = "requests";

  private final CountingRegistryClient registry = new CountingRegistryClient();
  private final AvroDeserializer<GenericRecord> generic = new AvroDeserializer<>(registry);

  @Test
  void rejectsWrongMagicByte() {
    assertThatThrownBy(() -> generic.deserialize(TOPIC, new byte[] {7, 0, 0, 0, 1, 2, 3}))
        .isInstanceOf(SerializationException.class)
        .hasMessage("Unknown magic byte 7 (expected 0) in a record of topic requests");
  }

  @Test
  void rejectsRecordShorterThanHeader() {
    assertThatThrownBy(() -> generic.deserialize(TOPIC, new byte[] {0, 0, 1}))
        .isInstanceOf(SerializationException.class)
        .hasMessage(
            "Record too short: 3 bytes (wire format needs at least 5) in a record of topic requests");
  }

  @Test
  void rejectsEmptyRecord() {
    assertThatThrownBy(() -> generic.deserialize(TOPIC, new byte[0]))
        .isInstanceOf(SerializationException.class)
        .hasMessageStartingWith("Record too short: 0 bytes");
  }

  @Test
  void rejectsUnknownSchemaId() {
    assertThatThrownBy(() -> generic.deserialize(TOPIC, WireFormat.encode(999, new byte[] {2, 65})))
        .isInstanceOf(SerializationException.class)
        .hasMessage(
            "Unknown schema id 999 in a record of topic requests: the schema registry has no"
                + " schema with this id");
  }

  @Test
  void rejectsTruncatedAvroData() {
    byte[] valid = serialize(TestSchemas.greetingV1("a-long-enough-id", 7));
    byte[] truncated = Arrays.copyOf(valid, valid.length - 6);
    int id = WireFormat.schemaId(valid);

    assertThatThrownBy(() -> generic.deserialize(TOPIC, truncated))
        .isInstanceOf(SerializationException.class)
        .hasMessageStartingWith(
            "Truncated or corrupt Avro data for schema id " + id + " on topic requests: ")
        .hasMessageContaining("EOFException");
  }

  @Test
  void rejectsHeaderWithoutAnyAvroData() {
    int id = registry.delegate.register("requests-value", TestSchemas.GREETING_V1);

    assertThatThrownBy(() -> generic.deserialize(TOPIC, WireFormat.header(id)))
        .isInstanceOf(SerializationException.class)
        .hasMessageStartingWith("Truncated or corrupt Avro data for schema id " + id);
  }

  @Test
  void rejectsHugeDeclaredStringLengthWithoutAllocatingIt() {
    int id = registry.delegate.register("requests-value", TestSchemas.GREETING_V1);
    // id string declared as 1 GiB long (zig-zag varint of 2^30), followed by 2 bytes.
    byte[] payload = {(byte) 0x80, (byte) 0x80, (byte) 0x80, (byte) 0x80, 0x08, 65, 66};

    assertThatThrownBy(() -> generic.deserialize(TOPIC, WireFormat.encode(id, payload)))
        .isInstanceOf(SerializationException.class)
        .hasMessageContaining("Truncated or corrupt Avro data for schema id " + id)
        .hasMessageContaining("Length 1073741824");
  }

  @Test
  void rejectsHugeDeclaredArrayCountWithoutAllocatingIt() {
    int id = registry.delegate.register("requests-value", TestSchemas.TAGS);
    // name "" then an array block claiming 2^30 items.
    byte[] payload = {0, (byte) 0x80, (byte) 0x80, (byte) 0x80, (byte) 0x80, 0x08, 2, 65};

    assertThatThrownBy(() -> generic.deserialize(TOPIC, WireFormat.encode(id, payload)))
        .isInstanceOf(SerializationException.class)
        .hasMessageContaining("Collection block of 1073741824 items");
  }

  @Test
  void rejectsNegativeLength() {
    int id = registry.delegate.register("requests-value", TestSchemas.GREETING_V1);

    assertThatThrownBy(() -> generic.deserialize(TOPIC, WireFormat.encode(id, new byte[] {3, 1})))
        .isInstanceOf(SerializationException.class)
        .hasMessageContaining("negative length -2");
  }

  @Test
  void rejectsWriterSchemaTheSpecificClassCannotRead() {
    GenericRecord unrelated = new GenericData.Record(TestSchemas.OTHER_RECORD);
    unrelated.put("amount", 1.5);
    byte[] bytes = serialize(unrelated);
    AvroDeserializer<TestGreeting> specific = new AvroDeserializer<>(registry, TestGreeting.class);

    assertThatThrownBy(() -> specific.deserialize(TOPIC, bytes))
        .isInstanceOf(SerializationException.class)
        .hasMessageContaining(
            "(io.aibroker.other.Unrelated) cannot be read as io.aibroker.serde.TestGreeting")
        .hasMessageEndingWith("(topic requests)");
  }

  @Test
  void specificReaderWithoutGeneratedClassFailsClearly() {
    GenericRecord unrelated = new GenericData.Record(TestSchemas.OTHER_RECORD);
    unrelated.put("amount", 1.5);
    byte[] bytes = serialize(unrelated);
    AvroDeserializer<Object> deserializer = new AvroDeserializer<>(registry);
    deserializer.configure(Map.of(AvroSerdeConfig.SPECIFIC_AVRO_READER_CONFIG, true), false);

    assertThatThrownBy(() -> deserializer.deserialize(TOPIC, bytes))
        .isInstanceOf(SerializationException.class)
        .hasMessageContaining("no generated class io.aibroker.other.Unrelated");
  }

  @Test
  void specificReaderFindsGeneratedClassByWriterSchemaName() {
    byte[] bytes = serialize(TestSchemas.greetingV1("by-name", 2));
    AvroDeserializer<Object> deserializer = new AvroDeserializer<>(registry);
    deserializer.configure(Map.of(AvroSerdeConfig.SPECIFIC_AVRO_READER_CONFIG, "true"), false);

    assertThat(deserializer.deserialize(TOPIC, bytes))
        .isEqualTo(new TestGreeting("by-name", 2, "en"));
  }

  @Test
  void fetchesWriterSchemaOnceAndCachesTheReader() {
    byte[] bytes = serialize(TestSchemas.greetingV1("a", 1));

    for (int i = 0; i < 50; i++) {
      generic.deserialize(TOPIC, bytes);
    }

    assertThat(registry.calls("getById")).isEqualTo(1);
  }

  @Test
  void registryOutageIsNotReportedAsBadData() {
    byte[] bytes = serialize(TestSchemas.greetingV1("a", 1));
    registry.failure = new SchemaRegistryUnavailableException("registry down", null);

    assertThatThrownBy(() -> generic.deserialize(TOPIC, bytes))
        .isInstanceOf(SchemaRegistryException.class)
        .isNotInstanceOf(SerializationException.class);
  }

  @Test
  void rejectsNonSpecificRecordClass() {
    assertThatThrownBy(() -> new AvroDeserializer<>(registry, String.class))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("java.lang.String is not an Avro SpecificRecord class");
  }

  @Test
  void decodesRecordFollowedByTrailingBytes() {
    // A record followed by garbage still decodes the record (Confluent-compatible leniency).
    byte[] valid = serialize(TestSchemas.greetingV1("exact", 9));
    ByteArrayOutputStream withTrailer = new ByteArrayOutputStream();
    withTrailer.writeBytes(valid);
    withTrailer.writeBytes(new byte[] {1, 2, 3});

    assertThat(generic.deserialize(TOPIC, withTrailer.toByteArray()))
        .isEqualTo(TestSchemas.greetingV1("exact", 9));
  }

  private byte[] serialize(GenericRecord record) {
    return new AvroSerializer<GenericRecord>(registry).serialize(TOPIC, record);
  }
}
