package io.aibroker.registry;

import java.util.Objects;
import org.apache.avro.Schema;

/**
 * One version of a subject: the schema, its global id and its version number within the subject.
 *
 * @param id the registry-wide schema id (the one in the wire format header)
 * @param subject the subject name
 * @param version the version number within the subject, from 1
 * @param schema the Avro schema
 */
public record SchemaMetadata(int id, String subject, int version, Schema schema) {

  /** Checks that subject and schema are present. */
  public SchemaMetadata {
    Objects.requireNonNull(subject, "subject");
    Objects.requireNonNull(schema, "schema");
  }
}
