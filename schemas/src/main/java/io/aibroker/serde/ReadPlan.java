package io.aibroker.serde;

import java.io.IOException;
import org.apache.avro.Schema;
import org.apache.avro.io.DatumReader;
import org.apache.kafka.common.errors.SerializationException;

/**
 * How records written with one schema id are read: the resolving datum reader from the writer
 * schema to the reader schema, or the reason they cannot be read.
 *
 * @param schemaId the writer's schema id
 * @param readerSchema the schema values are returned in
 * @param reader resolves writer to reader schema; thread-safe; null when {@code failure} is set
 * @param failure why records of this id cannot be read as the reader schema, or null
 */
record ReadPlan(int schemaId, Schema readerSchema, DatumReader<Object> reader, String failure) {

  /** A plan that fails every record of the id with the same message. */
  static ReadPlan failing(int schemaId, String failure) {
    return new ReadPlan(schemaId, null, null, failure);
  }

  /** Decodes the Avro bytes after the header. */
  Object read(byte[] data, String topic) {
    if (failure != null) {
      throw new SerializationException(failure + " (topic " + topic + ")");
    }
    BoundedBinaryDecoder decoder =
        BoundedBinaryDecoder.acquire(
            data, WireFormat.HEADER_SIZE, data.length - WireFormat.HEADER_SIZE);
    try {
      return AvroData.fromReading(reader.read(null, decoder), readerSchema);
    } catch (IOException | RuntimeException e) {
      throw new SerializationException(
          "Truncated or corrupt Avro data for schema id "
              + schemaId
              + " on topic "
              + topic
              + ": "
              + describe(e),
          e);
    } finally {
      decoder.release();
    }
  }

  private static String describe(Exception e) {
    return e.getMessage() == null
        ? e.getClass().getSimpleName()
        : e.getClass().getSimpleName() + ": " + e.getMessage();
  }
}
