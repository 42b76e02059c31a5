package io.aibroker.serde;

import org.apache.avro.Schema;

/**
 * Subject = the schema's full name (e.g. {@code io.aibroker.records.InferenceRequest}): one schema
 * lineage per record type, shared by all topics, so a topic may carry several record types.
 */
public final class RecordNameStrategy implements SubjectNameStrategy {

  /** Creates the strategy. */
  public RecordNameStrategy() {}

  @Override
  public String subjectName(String topic, boolean isKey, Schema schema) {
    return schema.getFullName();
  }

  @Override
  public String toString() {
    return "RecordNameStrategy";
  }
}
