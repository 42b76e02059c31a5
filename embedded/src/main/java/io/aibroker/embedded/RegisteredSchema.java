package io.aibroker.embedded;

/**
 * One version of a subject, as stored in the {@code _schemas} topic.
 *
 * @param subject subject name
 * @param version version within the subject, from 1
 * @param id global schema id; identical schemas share it across subjects
 * @param schema the schema in Avro's normalised JSON form
 * @param deleted whether the version is soft-deleted
 */
record RegisteredSchema(String subject, int version, int id, String schema, boolean deleted) {

  RegisteredSchema asDeleted() {
    return new RegisteredSchema(subject, version, id, schema, true);
  }
}
