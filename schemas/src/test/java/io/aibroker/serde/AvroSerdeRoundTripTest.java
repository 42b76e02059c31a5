package io.aibroker.serde;

import static io.aibroker.serde.TestSchemas.GREETING_V1;
import static io.aibroker.serde.TestSchemas.GREETING_V2;
import static org.assertj.core.api.Assertions.assertThat;

import io.aibroker.registry.InMemorySchemaRegistryClient;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.apache.avro.generic.GenericDatumWriter;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.EncoderFactory;
import org.apache.avro.util.Utf8;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class AvroSerdeRoundTripTest {

  private static final String TOPIC = "greetings";

  private final InMemorySchemaRegistryClient registry = new InMemorySchemaRegistryClient();

  @AfterEach
  void dropScope() {
    InMemorySchemaRegistryClient.dropScope("round-trip");
  }

  @Test
  void genericRecordRoundTrips() {
    GenericAvroSerde serde = new GenericAvroSerde(registry);
    GenericRecord original = TestSchemas.greetingV2("g-1", 3, "de");

    GenericRecord read =
        serde.deserializer().deserialize(TOPIC, serde.serializer().serialize(TOPIC, original));

    assertThat(read).isEqualTo(original);
    assertThat(read.getSchema()).isEqualTo(GREETING_V2);
  }

  @Test
  void specificRecordRoundTrips() {
    SpecificAvroSerde<TestGreeting> serde = new SpecificAvroSerde<>(registry, TestGreeting.class);
    TestGreeting original = new TestGreeting("g-2", 5, "fr");

    TestGreeting read =
        serde.deserializer().deserialize(TOPIC, serde.serializer().serialize(TOPIC, original));

    assertThat(read).isInstanceOf(TestGreeting.class).isEqualTo(original);
    assertThat(read.getLanguage()).isEqualTo("fr");
  }

  @Test
  void bytesAreHeaderWithRegisteredIdThenPlainAvroBinary() throws IOException {
    registry.register("unrelated-a", TestSchemas.OTHER_RECORD);
    registry.register("unrelated-b", TestSchemas.TAGS);
    GenericRecord record = TestSchemas.greetingV1("g-3", 300);

    byte[] bytes = new AvroSerializer<GenericRecord>(registry).serialize(TOPIC, record);

    int id = registry.getId(TOPIC + "-value", GREETING_V1);
    assertThat(id).isEqualTo(3);
    assertThat(Arrays.copyOf(bytes, 5)).containsExactly(0x00, 0x00, 0x00, 0x00, 0x03);
    assertThat(Arrays.copyOfRange(bytes, 5, bytes.length)).isEqualTo(plainAvro(record));
  }

  @Test
  void tombstonesStayNull() {
    SpecificAvroSerde<TestGreeting> serde = new SpecificAvroSerde<>(registry, TestGreeting.class);

    assertThat(serde.serializer().serialize(TOPIC, null)).isNull();
    assertThat(serde.deserializer().deserialize(TOPIC, null)).isNull();
  }

  @Test
  void recordWrittenWithV1IsReadAsSpecificV2WithDefault() {
    byte[] v1Bytes =
        new AvroSerializer<GenericRecord>(registry)
            .serialize(TOPIC, TestSchemas.greetingV1("old", 1));

    TestGreeting read =
        new AvroDeserializer<>(registry, TestGreeting.class).deserialize(TOPIC, v1Bytes);

    assertThat(read.getId()).isEqualTo("old");
    assertThat(read.getCount()).isEqualTo(1);
    assertThat(read.getLanguage()).isEqualTo("en");
  }

  @Test
  void recordWrittenWithV1IsReadAsGenericV2WhenReaderSchemaGiven() {
    byte[] v1Bytes =
        new AvroSerializer<GenericRecord>(registry)
            .serialize(TOPIC, TestSchemas.greetingV1("old", 1));

    GenericRecord read =
        new AvroDeserializer<GenericRecord>(registry, GREETING_V2).deserialize(TOPIC, v1Bytes);

    assertThat(read.getSchema()).isEqualTo(GREETING_V2);
    assertThat(read.get("language")).isEqualTo("en");
  }

  @Test
  void genericReaderKeepsWriterSchema() {
    byte[] v1Bytes =
        new AvroSerializer<GenericRecord>(registry)
            .serialize(TOPIC, TestSchemas.greetingV1("old", 1));

    GenericRecord read = new AvroDeserializer<GenericRecord>(registry).deserialize(TOPIC, v1Bytes);

    assertThat(read.getSchema()).isEqualTo(GREETING_V1);
    assertThat(read.hasField("language")).isFalse();
  }

  @Test
  void primitivesRoundTripAsConfluentReturnsThem() {
    AvroSerializer<Object> serializer = new AvroSerializer<>(registry);
    AvroDeserializer<Object> deserializer = new AvroDeserializer<>(registry);

    assertThat(deserializer.deserialize("s", serializer.serialize("s", "tenant-7")))
        .isEqualTo("tenant-7");
    assertThat(deserializer.deserialize("s", serializer.serialize("s", new Utf8("utf8"))))
        .isEqualTo("utf8");
    assertThat(deserializer.deserialize("l", serializer.serialize("l", -5L))).isEqualTo(-5L);
    assertThat(deserializer.deserialize("i", serializer.serialize("i", 12))).isEqualTo(12);
    assertThat(deserializer.deserialize("d", serializer.serialize("d", 2.5d))).isEqualTo(2.5d);
    assertThat(deserializer.deserialize("b", serializer.serialize("b", true))).isEqualTo(true);
    assertThat((byte[]) deserializer.deserialize("y", serializer.serialize("y", new byte[] {1, 2})))
        .containsExactly(1, 2);
    assertThat(registry.subjects())
        .containsExactly("b-value", "d-value", "i-value", "l-value", "s-value", "y-value");
  }

  @Test
  void serdesConfiguredByPropertiesShareMockScope() {
    Map<String, Object> props =
        Map.of(AvroSerdeConfig.SCHEMA_REGISTRY_URL_CONFIG, "mock://round-trip");
    SpecificAvroSerde<TestGreeting> producerSide = new SpecificAvroSerde<>();
    producerSide.configure(props, false);
    AvroDeserializer<Object> consumerSide = new AvroDeserializer<>();
    consumerSide.configure(
        Map.of(
            AvroSerdeConfig.SCHEMA_REGISTRY_URL_CONFIG, "mock://round-trip",
            AvroSerdeConfig.SPECIFIC_AVRO_READER_CONFIG, "true"),
        false);

    byte[] bytes = producerSide.serializer().serialize(TOPIC, new TestGreeting("p", 1, "it"));
    Object read = consumerSide.deserialize(TOPIC, bytes);

    assertThat(read).isEqualTo(new TestGreeting("p", 1, "it"));
    assertThat(InMemorySchemaRegistryClient.forScope("round-trip").subjects())
        .containsExactly(TOPIC + "-value");
    producerSide.close();
    consumerSide.close();
  }

  @Test
  void recordLargerThanRetainedBufferRoundTripsAndLaterRecordsStillDo() {
    GenericAvroSerde serde = new GenericAvroSerde(registry);
    GenericRecord big = TestSchemas.greetingV2("x".repeat(WriteBuffer.MAX_RETAINED * 2), 1, "en");
    GenericRecord small = TestSchemas.greetingV2("s", 2, "en");

    GenericRecord bigRead =
        serde.deserializer().deserialize(TOPIC, serde.serializer().serialize(TOPIC, big));
    byte[] smallBytes = serde.serializer().serialize(TOPIC, small);

    assertThat(bigRead).isEqualTo(big);
    assertThat(serde.deserializer().deserialize(TOPIC, smallBytes)).isEqualTo(small);
    assertThat(smallBytes.length).isLessThan(20);
  }

  @Test
  void concurrentUseOfOneSerdeGivesConsistentResults() throws Exception {
    SpecificAvroSerde<TestGreeting> serde = new SpecificAvroSerde<>(registry, TestGreeting.class);
    ExecutorService pool = Executors.newFixedThreadPool(8);
    try {
      List<Future<Integer>> results = new ArrayList<>();
      for (int t = 0; t < 8; t++) {
        int thread = t;
        results.add(
            pool.submit(
                () -> {
                  int ok = 0;
                  for (int i = 0; i < 2_000; i++) {
                    TestGreeting original = new TestGreeting("t" + thread + "-" + i, i, "l" + i);
                    byte[] bytes = serde.serializer().serialize(TOPIC, original);
                    if (serde.deserializer().deserialize(TOPIC, bytes).equals(original)) {
                      ok++;
                    }
                  }
                  return ok;
                }));
      }
      for (Future<Integer> result : results) {
        assertThat(result.get()).isEqualTo(2_000);
      }
    } finally {
      pool.shutdownNow();
    }
    assertThat(registry.versions(TOPIC + "-value")).containsExactly(1);
  }

  @Test
  void virtualThreadsWritingAtOnceEachGetTheirOwnBytes() throws Exception {
    SpecificAvroSerde<TestGreeting> serde = new SpecificAvroSerde<>(registry, TestGreeting.class);
    try (ExecutorService perTask = Executors.newVirtualThreadPerTaskExecutor()) {
      List<Future<Boolean>> results = new ArrayList<>();
      for (int i = 0; i < 5_000; i++) {
        TestGreeting original = new TestGreeting("v" + i, i, "x".repeat(i % 700));
        results.add(
            perTask.submit(
                () -> {
                  byte[] bytes = serde.serializer().serialize(TOPIC, original);
                  return serde.deserializer().deserialize(TOPIC, bytes).equals(original);
                }));
      }
      for (Future<Boolean> result : results) {
        assertThat(result.get()).isTrue();
      }
    }
  }

  private static byte[] plainAvro(GenericRecord record) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    BinaryEncoder encoder = EncoderFactory.get().binaryEncoder(out, null);
    new GenericDatumWriter<GenericRecord>(record.getSchema()).write(record, encoder);
    encoder.flush();
    return out.toByteArray();
  }
}
