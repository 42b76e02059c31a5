package io.aibroker.serde;

import org.apache.avro.Schema;
import org.apache.kafka.common.errors.SerializationException;

/**
 * Subject {@code <topic>-value} or {@code <topic>-key}: one schema lineage per topic. The default.
 */
public final class TopicNameStrategy implements SubjectNameStrategy {

  /** Creates the strategy. */
  public TopicNameStrategy() {}

  @Override
  public String subjectName(String topic, boolean isKey, Schema schema) {
    if (topic == null) {
      throw new SerializationException("TopicNameStrategy needs a topic name to choose a subject");
    }
    return topic + (isKey ? "-key" : "-value");
  }

  @Override
  public String toString() {
    return "TopicNameStrategy";
  }
}
