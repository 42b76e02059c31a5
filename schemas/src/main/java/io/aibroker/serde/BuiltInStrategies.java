package io.aibroker.serde;

import java.util.Map;

/** The built-in subject name strategies by simple class name. */
final class BuiltInStrategies {

  static final Map<String, SubjectNameStrategy> BY_SIMPLE_NAME =
      Map.of(
          "TopicNameStrategy", new TopicNameStrategy(),
          "RecordNameStrategy", new RecordNameStrategy(),
          "TopicRecordNameStrategy", new TopicRecordNameStrategy());

  private BuiltInStrategies() {}
}
