package io.aibroker.serde;

import java.nio.ByteBuffer;
import java.util.OptionalInt;
import org.apache.kafka.common.errors.SerializationException;

/**
 * The Confluent wire format: magic byte {@code 0}, the schema id as a 4-byte big-endian int, then
 * the Avro binary encoding of the value.
 */
public final class WireFormat {

  /** The first byte of every wire-format record. */
  public static final byte MAGIC_BYTE = 0;

  /** Length of the header: magic byte plus schema id. */
  public static final int HEADER_SIZE = 5;

  private WireFormat() {}

  /**
   * The schema id in a record's header.
   *
   * @throws SerializationException if the record is shorter than the header or does not start with
   *     the magic byte
   */
  public static int schemaId(byte[] data) {
    String problem = headerProblem(data);
    if (problem != null) {
      throw new SerializationException(problem);
    }
    return readInt(data, 1);
  }

  /**
   * The schema id when the record has a well-formed header, else empty. Never throws; meant for
   * diagnostics such as dead-letter handling.
   */
  public static OptionalInt findSchemaId(byte[] data) {
    return headerProblem(data) == null ? OptionalInt.of(readInt(data, 1)) : OptionalInt.empty();
  }

  /** The header for a schema id: {@code 0x00} followed by the id, big-endian. */
  public static byte[] header(int schemaId) {
    byte[] header = new byte[HEADER_SIZE];
    writeHeader(header, 0, schemaId);
    return header;
  }

  /** A wire-format record from a schema id and Avro binary bytes. */
  public static byte[] encode(int schemaId, byte[] avroPayload) {
    byte[] record = new byte[HEADER_SIZE + avroPayload.length];
    writeHeader(record, 0, schemaId);
    System.arraycopy(avroPayload, 0, record, HEADER_SIZE, avroPayload.length);
    return record;
  }

  /**
   * A read-only view of the Avro bytes after the header (no copy).
   *
   * @throws SerializationException if the header is malformed
   */
  public static ByteBuffer payload(byte[] data) {
    schemaId(data);
    return ByteBuffer.wrap(data, HEADER_SIZE, data.length - HEADER_SIZE).slice().asReadOnlyBuffer();
  }

  /** Writes the header for a schema id into {@code target} at {@code offset}. */
  static void writeHeader(byte[] target, int offset, int schemaId) {
    target[offset] = MAGIC_BYTE;
    target[offset + 1] = (byte) (schemaId >>> 24);
    target[offset + 2] = (byte) (schemaId >>> 16);
    target[offset + 3] = (byte) (schemaId >>> 8);
    target[offset + 4] = (byte) schemaId;
  }

  /** What is wrong with the record's header, or null when it is well-formed. */
  static String headerProblem(byte[] data) {
    if (data.length < HEADER_SIZE) {
      return "Record too short: "
          + data.length
          + " bytes (wire format needs at least "
          + HEADER_SIZE
          + ")";
    }
    if (data[0] != MAGIC_BYTE) {
      return "Unknown magic byte " + (data[0] & 0xff) + " (expected " + MAGIC_BYTE + ")";
    }
    return null;
  }

  private static int readInt(byte[] data, int offset) {
    return ((data[offset] & 0xff) << 24)
        | ((data[offset + 1] & 0xff) << 16)
        | ((data[offset + 2] & 0xff) << 8)
        | (data[offset + 3] & 0xff);
  }
}
