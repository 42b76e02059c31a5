package io.aibroker.schemas;

import static org.assertj.core.api.Assertions.assertThat;

import io.aibroker.records.ProviderErrorKind;
import io.aibroker.records.ProviderOutcome;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Path;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericDatumWriter;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.DecoderFactory;
import org.apache.avro.io.EncoderFactory;
import org.apache.avro.specific.SpecificDatumReader;
import org.junit.jupiter.api.Test;

/** The outcome's error kind reads as OTHER where the writer did not know it. */
class ProviderErrorKindTest {

  @Test
  void anOutcomeOfAWorkerWithoutKindsReadsAsOther() throws IOException {
    Schema released =
        new Schema.Parser().parse(Path.of("released/0.1.0/ProviderOutcome.avsc").toFile());
    Schema errorSchema = released.getField("error").schema().getTypes().get(1);
    GenericRecord error = new GenericData.Record(errorSchema);
    error.put(
        "errorClass",
        new GenericData.EnumSymbol(errorSchema.getField("errorClass").schema(), "RETRYABLE"));
    error.put("code", "timeout");
    error.put("httpStatus", null);
    error.put("message", "simulated: timed out");
    error.put("retryAfterMs", null);
    GenericRecord route = new GenericData.Record(released.getField("route").schema());
    route.put("provider", "simulated");
    route.put("deployment", "east");
    route.put("providerModel", "sim-small");
    GenericRecord outcome = new GenericData.Record(released);
    outcome.put("requestId", "r1");
    outcome.put("tenantId", "t1");
    outcome.put("route", route);
    outcome.put("attempt", 1);
    outcome.put("success", false);
    outcome.put("output", null);
    outcome.put("usage", null);
    outcome.put("error", error);
    outcome.put("providerMs", 10L);
    outcome.put("calls", 1);
    outcome.put("deliveryCount", 1);
    outcome.put("workerId", "w1");
    outcome.put("completedAt", 0L);

    ProviderOutcome read = readAsCurrent(released, outcome);

    assertThat(read.getError().getKind()).isEqualTo(ProviderErrorKind.OTHER);
    assertThat(read.getError().getCode()).isEqualTo("timeout");
  }

  @Test
  void theKindDefaultsToOtherAndOtherIsTheEnumsDefault() {
    Schema kind = ProviderErrorKind.getClassSchema();

    assertThat(kind.getEnumDefault()).isEqualTo("OTHER");
    Schema errorSchema = ProviderOutcome.getClassSchema().getField("error").schema();
    Schema.Field field = errorSchema.getTypes().get(1).getField("kind");
    assertThat(field.defaultVal()).isEqualTo("OTHER");
  }

  private static ProviderOutcome readAsCurrent(Schema writer, GenericRecord record)
      throws IOException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    BinaryEncoder encoder = EncoderFactory.get().binaryEncoder(bytes, null);
    new GenericDatumWriter<GenericRecord>(writer).write(record, encoder);
    encoder.flush();
    return new SpecificDatumReader<ProviderOutcome>(writer, ProviderOutcome.getClassSchema())
        .read(null, DecoderFactory.get().binaryDecoder(bytes.toByteArray(), null));
  }
}
