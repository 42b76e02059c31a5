package io.aibroker.serde;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericDatumReader;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.DatumWriter;
import org.apache.avro.io.DecoderFactory;
import org.apache.avro.io.EncoderFactory;
import org.apache.kafka.common.errors.SerializationException;

/**
 * Converts a value to another schema that can read it, through Avro schema resolution.
 *
 * <p>Used only with {@code use.latest.version} when the latest registered schema differs from the
 * value's own; writing a value with a schema whose field positions differ would corrupt it.
 */
final class Transcoder {

  private final Schema target;
  private final DatumWriter<Object> sourceWriter;
  private final GenericDatumReader<Object> resolver;

  Transcoder(Schema source, Schema target, DatumWriter<Object> sourceWriter) {
    this.target = target;
    this.sourceWriter = sourceWriter;
    this.resolver = new GenericDatumReader<>(source, target);
  }

  /** The value as a generic datum of the target schema. */
  Object apply(Object datum) {
    try {
      ByteArrayOutputStream bytes = new ByteArrayOutputStream();
      BinaryEncoder encoder = EncoderFactory.get().directBinaryEncoder(bytes, null);
      sourceWriter.write(AvroData.forWriting(datum), encoder);
      encoder.flush();
      return resolver.read(null, DecoderFactory.get().binaryDecoder(bytes.toByteArray(), null));
    } catch (IOException | RuntimeException e) {
      throw new SerializationException(
          "Cannot convert a value to schema " + target.getFullName() + ": " + e.getMessage(), e);
    }
  }
}
