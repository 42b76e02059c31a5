package io.aibroker.serde;

import java.io.IOException;
import org.apache.avro.Schema;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.DatumWriter;
import org.apache.kafka.common.errors.SerializationException;

/**
 * How values of one schema are written to one topic: the registered schema id, the schema written
 * and its datum writer, and a transcoder when the written schema differs from the value's own.
 *
 * @param schemaId the id put in the header
 * @param writtenSchema the schema the bytes follow
 * @param writer writes values of {@code writtenSchema}; thread-safe
 * @param transcoder converts values to {@code writtenSchema}, or null when they already match
 */
record WritePlan(
    int schemaId, Schema writtenSchema, DatumWriter<Object> writer, Transcoder transcoder) {

  /** The wire-format bytes of a value. */
  byte[] write(Object datum, String topic) {
    Object value = transcoder == null ? AvroData.forWriting(datum) : transcoder.apply(datum);
    WriteBuffer out = WriteBuffer.acquire();
    boolean failed = true;
    try {
      out.writeHeader(schemaId);
      BinaryEncoder encoder = out.encoder();
      writer.write(value, encoder);
      encoder.flush();
      failed = false;
      return out.toByteArray();
    } catch (IOException | RuntimeException e) {
      throw new SerializationException(
          "Cannot serialize a "
              + writtenSchema.getFullName()
              + " with schema id "
              + schemaId
              + " for topic "
              + topic
              + ": "
              + e.getMessage(),
          e);
    } finally {
      out.release(failed);
    }
  }
}
