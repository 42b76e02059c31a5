package io.aibroker.serde;

import static io.aibroker.serde.TestSchemas.GREETING_V1;
import static io.aibroker.serde.TestSchemas.GREETING_V2;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.aibroker.registry.SchemaRegistryUnavailableException;
import java.util.Map;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;
import org.apache.kafka.common.errors.SerializationException;
import org.junit.jupiter.api.Test;

class AvroSerializerTest {

  private final CountingRegistryClient registry = new CountingRegistryClient();

  @Test
  void registersValueSchemaUnderTopicValueSubject() {
    byte[] bytes =
        new AvroSerializer<GenericRecord>(registry)
            .serialize("orders", TestSchemas.greetingV1("a", 1));

    assertThat(registry.delegate.subjects()).containsExactly("orders-value");
    assertThat(WireFormat.schemaId(bytes))
        .isEqualTo(registry.delegate.getId("orders-value", GREETING_V1));
  }

  @Test
  void keySerializerRegistersUnderTopicKeySubject() {
    AvroSerializer<GenericRecord> serializer = new AvroSerializer<>(registry);
    serializer.configure(Map.of(), true);

    serializer.serialize("orders", TestSchemas.greetingV1("a", 1));

    assertThat(registry.delegate.subjects()).containsExactly("orders-key");
  }

  @Test
  void warmSerializerMakesNoRegistryCalls() {
    AvroSerializer<GenericRecord> serializer = new AvroSerializer<>(registry);
    serializer.serialize("orders", TestSchemas.greetingV1("first", 0));
    int callsAfterFirst = registry.totalCalls();

    for (int i = 0; i < 100; i++) {
      serializer.serialize("orders", TestSchemas.greetingV1("r" + i, i));
    }

    assertThat(callsAfterFirst).isEqualTo(1);
    assertThat(registry.totalCalls()).isEqualTo(1);
  }

  @Test
  void withAutoRegisterOffUsesIdOfAlreadyRegisteredSchema() {
    int id = registry.delegate.register("orders-value", GREETING_V1);
    AvroSerializer<GenericRecord> serializer =
        new AvroSerializer<>(registry, AvroSerdeConfig.defaults().withAutoRegisterSchemas(false));

    byte[] bytes = serializer.serialize("orders", TestSchemas.greetingV1("a", 1));

    assertThat(WireFormat.schemaId(bytes)).isEqualTo(id);
    assertThat(registry.calls("register")).isZero();
    assertThat(registry.calls("getId")).isEqualTo(1);
  }

  @Test
  void withAutoRegisterOffRejectsUnregisteredSchema() {
    registry.delegate.register("orders-value", GREETING_V1);
    AvroSerializer<GenericRecord> serializer = new AvroSerializer<>(registry);
    serializer.configure(Map.of(AvroSerdeConfig.AUTO_REGISTER_SCHEMAS, "false"), false);

    assertThatThrownBy(() -> serializer.serialize("orders", TestSchemas.greetingV2("a", 1, "en")))
        .isInstanceOf(SerializationException.class)
        .hasMessageContaining(
            "io.aibroker.serde.TestGreeting is not registered under subject 'orders-value'")
        .hasMessageContaining("auto.register.schemas is false");
    assertThat(registry.delegate.versions("orders-value")).containsExactly(1);
  }

  @Test
  void withAutoRegisterOffRejectsUnknownSubject() {
    AvroSerializer<GenericRecord> serializer =
        new AvroSerializer<>(registry, AvroSerdeConfig.defaults().withAutoRegisterSchemas(false));

    assertThatThrownBy(() -> serializer.serialize("orders", TestSchemas.greetingV1("a", 1)))
        .isInstanceOf(SerializationException.class)
        .hasMessageContaining("not registered under subject 'orders-value'");
    assertThat(registry.delegate.subjects()).isEmpty();
  }

  @Test
  void incompatibleSchemaIsASerializationError() {
    registry.delegate.register("orders-value", GREETING_V1);
    GenericRecord v3 = new GenericData.Record(TestSchemas.GREETING_V3_INCOMPATIBLE);
    v3.put("id", "x");
    v3.put("count", 1);
    v3.put("mandatory", 2L);

    assertThatThrownBy(() -> new AvroSerializer<GenericRecord>(registry).serialize("orders", v3))
        .isInstanceOf(SerializationException.class)
        .hasMessageContaining(
            "Cannot register schema io.aibroker.serde.TestGreeting under subject 'orders-value'")
        .hasMessageContaining("mandatory");
  }

  @Test
  void useLatestVersionWritesWithLatestSchemaAndResolvesOldData() {
    registry.delegate.register("orders-value", GREETING_V1);
    int latestId = registry.delegate.register("orders-value", GREETING_V2);
    AvroSerializer<GenericRecord> serializer =
        new AvroSerializer<>(
            registry,
            AvroSerdeConfig.defaults().withAutoRegisterSchemas(false).withUseLatestVersion(true));

    byte[] bytes = serializer.serialize("orders", TestSchemas.greetingV1("old-producer", 4));

    assertThat(WireFormat.schemaId(bytes)).isEqualTo(latestId);
    GenericRecord read = new AvroDeserializer<GenericRecord>(registry).deserialize("orders", bytes);
    assertThat(read.getSchema()).isEqualTo(GREETING_V2);
    assertThat(read.get("id")).hasToString("old-producer");
    assertThat(read.get("count")).isEqualTo(4);
    assertThat(read.get("language")).hasToString("en");
  }

  @Test
  void useLatestVersionRejectsSubjectWithoutSchemas() {
    AvroSerializer<GenericRecord> serializer =
        new AvroSerializer<>(registry, AvroSerdeConfig.defaults().withUseLatestVersion(true));

    assertThatThrownBy(() -> serializer.serialize("orders", TestSchemas.greetingV1("a", 1)))
        .isInstanceOf(SerializationException.class)
        .hasMessage(
            "use.latest.version is true but subject 'orders-value' has no registered schema");
  }

  @Test
  void useLatestVersionRejectsLatestThatCannotRepresentTheData() {
    registry.delegate.setCompatibility(null, "NONE");
    registry.delegate.register("orders-value", TestSchemas.OTHER_RECORD);
    AvroSerializer<GenericRecord> serializer =
        new AvroSerializer<>(registry, AvroSerdeConfig.defaults().withUseLatestVersion(true));

    assertThatThrownBy(() -> serializer.serialize("orders", TestSchemas.greetingV1("a", 1)))
        .isInstanceOf(SerializationException.class)
        .hasMessageContaining("The latest schema of subject 'orders-value' (version 1");
  }

  @Test
  void recordNameStrategyConfiguredByConfluentClassName() {
    AvroSerializer<GenericRecord> serializer = new AvroSerializer<>(registry);
    serializer.configure(
        Map.of(
            AvroSerdeConfig.VALUE_SUBJECT_NAME_STRATEGY,
            "io.confluent.kafka.serializers.subject.RecordNameStrategy"),
        false);

    serializer.serialize("orders", TestSchemas.greetingV1("a", 1));

    assertThat(registry.delegate.subjects()).containsExactly("io.aibroker.serde.TestGreeting");
  }

  @Test
  void dataNotMatchingItsSchemaIsASerializationError() {
    GenericRecord missingId = new GenericData.Record(GREETING_V1);
    missingId.put("count", 1);
    AvroSerializer<GenericRecord> serializer = new AvroSerializer<>(registry);

    assertThatThrownBy(() -> serializer.serialize("orders", missingId))
        .isInstanceOf(SerializationException.class)
        .hasMessageContaining("Cannot serialize a io.aibroker.serde.TestGreeting")
        .hasMessageContaining("topic orders");
    // The failed write must not leave bytes behind for the next record on this thread.
    byte[] next = serializer.serialize("orders", TestSchemas.greetingV1("ok", 2));
    assertThat(new AvroDeserializer<GenericRecord>(registry).deserialize("orders", next))
        .isEqualTo(TestSchemas.greetingV1("ok", 2));
  }

  @Test
  void rejectsValuesThatAreNotAvro() {
    AvroSerializer<Object> serializer = new AvroSerializer<>(registry);

    assertThatThrownBy(() -> serializer.serialize("orders", new Object()))
        .isInstanceOf(SerializationException.class)
        .hasMessageContaining("Cannot serialize a java.lang.Object as Avro");
  }

  @Test
  void registryOutageIsNotReportedAsBadData() {
    registry.failure = new SchemaRegistryUnavailableException("registry down", null);

    assertThatThrownBy(
            () ->
                new AvroSerializer<GenericRecord>(registry)
                    .serialize("orders", TestSchemas.greetingV1("a", 1)))
        .isInstanceOf(SchemaRegistryUnavailableException.class);
  }

  @Test
  void unconfiguredSerializerSaysHowToConfigureIt() {
    assertThatThrownBy(
            () ->
                new AvroSerializer<GenericRecord>().serialize("t", TestSchemas.greetingV1("a", 1)))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("call configure() or pass a SchemaRegistryClient");
  }

  @Test
  void closesOnlyClientsItCreated() {
    AvroSerializer<GenericRecord> serializer = new AvroSerializer<>(registry);
    serializer.configure(Map.of(), false);
    serializer.close();

    assertThat(registry.closed).isFalse();
  }

  @Test
  void serializesV2SpecificRecordUnderSameSubjectAfterV1() {
    new AvroSerializer<GenericRecord>(registry).serialize("orders", TestSchemas.greetingV1("a", 1));

    byte[] bytes =
        new AvroSerializer<TestGreeting>(registry)
            .serialize("orders", new TestGreeting("b", 2, "nl"));

    assertThat(registry.delegate.versions("orders-value")).containsExactly(1, 2);
    assertThat(WireFormat.schemaId(bytes))
        .isEqualTo(registry.delegate.getId("orders-value", GREETING_V2));
  }
}
