package io.aibroker.serde;

import org.apache.avro.Schema;
import org.apache.kafka.common.errors.SerializationException;

/**
 * Subject {@code <topic>-<record full name>}: one schema lineage per record type and topic, so a
 * topic may carry several record types that evolve independently.
 */
public final class TopicRecordNameStrategy implements SubjectNameStrategy {

  /** Creates the strategy. */
  public TopicRecordNameStrategy() {}

  @Override
  public String subjectName(String topic, boolean isKey, Schema schema) {
    if (topic == null) {
      throw new SerializationException(
          "TopicRecordNameStrategy needs a topic name to choose a subject");
    }
    return topic + "-" + schema.getFullName();
  }

  @Override
  public String toString() {
    return "TopicRecordNameStrategy";
  }
}
