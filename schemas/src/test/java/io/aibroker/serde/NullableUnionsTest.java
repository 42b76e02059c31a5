package io.aibroker.serde;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.aibroker.records.ChatMessage;
import io.aibroker.records.GenerationParams;
import io.aibroker.records.InferenceRequest;
import io.aibroker.records.Task;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericDatumWriter;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.DatumWriter;
import org.apache.avro.io.EncoderFactory;
import org.apache.avro.specific.SpecificDatumWriter;
import org.junit.jupiter.api.Test;

class NullableUnionsTest {

  private static final Schema RECORD =
      TestSchemas.parse(
          """
          {"type": "record", "name": "Unions", "namespace": "io.aibroker.test", "fields": [
            {"name": "nullFirst", "type": ["null", "string"], "default": null},
            {"name": "nullLast", "type": ["long", "null"]},
            {"name": "three", "type": ["null", "int", "string"], "default": null},
            {"name": "noNull", "type": ["int", "string"]}
          ]}
          """);

  private static GenericRecord unions(Object nullFirst, Object nullLast, Object three, Object no) {
    GenericRecord record = new GenericData.Record(RECORD);
    record.put("nullFirst", nullFirst);
    record.put("nullLast", nullLast);
    record.put("three", three);
    record.put("noNull", no);
    return record;
  }

  @Test
  void writesTheBytesAvrosOwnWriterWrites() throws IOException {
    for (GenericRecord record :
        List.of(
            unions(null, null, null, 1),
            unions("x", 5L, 7, "s"),
            unions("y", null, "three", 2),
            unions(null, 9L, null, "t"))) {
      assertThat(bytes(NullableUnions.writerFor(RECORD, false), record))
          .isEqualTo(bytes(new GenericDatumWriter<>(RECORD), record));
    }
  }

  @Test
  void writesGeneratedRecordsAsAvrosSpecificWriterDoes() throws IOException {
    InferenceRequest request =
        InferenceRequest.newBuilder()
            .setRequestId("r-1")
            .setTenantId("acme")
            .setUserId("u-1")
            .setTask(Task.CHAT)
            .setModel("chat-default")
            .setMessages(List.of(new ChatMessage("user", "Hello", null)))
            .setParams(GenerationParams.newBuilder().setMaxTokens(64).build())
            .setDeadline(Instant.parse("2026-12-07T10:00:00Z"))
            .setTags(Map.of("team", "search"))
            .setCreatedAt(Instant.parse("2026-12-07T09:59:00Z"))
            .build();
    Schema schema = InferenceRequest.getClassSchema();

    assertThat(bytes(NullableUnions.writerFor(schema, true), request))
        .isEqualTo(bytes(new SpecificDatumWriter<>(schema), request));
  }

  @Test
  void aValueOfTheWrongTypeInANullableUnionStillFails() {
    GenericRecord wrong = unions(42, null, null, 1);

    assertThatThrownBy(() -> bytes(NullableUnions.writerFor(RECORD, false), wrong))
        .isInstanceOf(ClassCastException.class);
  }

  @SuppressWarnings({"unchecked", "rawtypes"})
  private static byte[] bytes(DatumWriter writer, Object datum) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    BinaryEncoder encoder = EncoderFactory.get().binaryEncoder(out, null);
    writer.write(datum, encoder);
    encoder.flush();
    return out.toByteArray();
  }
}
