package io.aibroker.serde;

import java.nio.ByteBuffer;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericContainer;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.errors.SerializationException;

/** The Avro schema of a value to serialize, and the Java form of primitives read back. */
final class AvroData {

  private static final Schema STRING = Schema.create(Schema.Type.STRING);
  private static final Schema INT = Schema.create(Schema.Type.INT);
  private static final Schema LONG = Schema.create(Schema.Type.LONG);
  private static final Schema FLOAT = Schema.create(Schema.Type.FLOAT);
  private static final Schema DOUBLE = Schema.create(Schema.Type.DOUBLE);
  private static final Schema BOOLEAN = Schema.create(Schema.Type.BOOLEAN);
  private static final Schema BYTES = Schema.create(Schema.Type.BYTES);

  private AvroData() {}

  /**
   * The schema of an Avro container (record, enum, fixed, array) or of a Java primitive, as
   * Confluent's serializer maps them.
   */
  static Schema schemaOf(Object datum) {
    if (datum instanceof GenericContainer container) {
      return container.getSchema();
    }
    if (datum instanceof CharSequence) {
      return STRING;
    }
    if (datum instanceof Integer) {
      return INT;
    }
    if (datum instanceof Long) {
      return LONG;
    }
    if (datum instanceof Float) {
      return FLOAT;
    }
    if (datum instanceof Double) {
      return DOUBLE;
    }
    if (datum instanceof Boolean) {
      return BOOLEAN;
    }
    if (datum instanceof byte[] || datum instanceof ByteBuffer) {
      return BYTES;
    }
    throw new SerializationException(
        "Cannot serialize a "
            + datum.getClass().getName()
            + " as Avro: expected a GenericRecord, SpecificRecord or other GenericContainer,"
            + " or a String, Integer, Long, Float, Double, Boolean, byte[] or ByteBuffer");
  }

  /** Whether the value is written with specific (generated class) semantics. */
  static boolean isSpecific(Object datum) {
    return datum instanceof SpecificRecord || datum instanceof Enum<?>;
  }

  /** The value as Avro's writers expect it: byte arrays wrapped. */
  static Object forWriting(Object datum) {
    return datum instanceof byte[] bytes ? ByteBuffer.wrap(bytes) : datum;
  }

  /** The top-level value as Confluent's deserializer returns it: String, byte[]. */
  static Object fromReading(Object value, Schema readerSchema) {
    return switch (readerSchema.getType()) {
      case STRING -> value == null ? null : value.toString();
      case BYTES -> {
        if (value instanceof ByteBuffer buffer) {
          byte[] bytes = new byte[buffer.remaining()];
          buffer.duplicate().get(bytes);
          yield bytes;
        }
        yield value;
      }
      default -> value;
    };
  }
}
