package io.aibroker.serde;

import static io.aibroker.serde.TestSchemas.GREETING_V1;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.apache.avro.Schema;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.common.errors.SerializationException;
import org.junit.jupiter.api.Test;

class SubjectNameStrategyTest {

  /** A user-supplied strategy, loaded by class name. */
  public static class UpperCaseTopicStrategy implements SubjectNameStrategy {
    @Override
    public String subjectName(String topic, boolean isKey, Schema schema) {
      return topic.toUpperCase() + (isKey ? "-K" : "-V");
    }
  }

  @Test
  void topicNameStrategyAppendsValueOrKey() {
    TopicNameStrategy strategy = new TopicNameStrategy();

    assertThat(strategy.subjectName("aibroker.requests", false, GREETING_V1))
        .isEqualTo("aibroker.requests-value");
    assertThat(strategy.subjectName("aibroker.requests", true, GREETING_V1))
        .isEqualTo("aibroker.requests-key");
  }

  @Test
  void topicNameStrategyNeedsATopic() {
    assertThatThrownBy(() -> new TopicNameStrategy().subjectName(null, false, GREETING_V1))
        .isInstanceOf(SerializationException.class);
  }

  @Test
  void recordNameStrategyUsesFullRecordNameForKeysAndValues() {
    RecordNameStrategy strategy = new RecordNameStrategy();

    assertThat(strategy.subjectName("t", false, GREETING_V1))
        .isEqualTo("io.aibroker.serde.TestGreeting");
    assertThat(strategy.subjectName(null, true, GREETING_V1))
        .isEqualTo("io.aibroker.serde.TestGreeting");
  }

  @Test
  void topicRecordNameStrategyCombinesTopicAndRecordName() {
    assertThat(new TopicRecordNameStrategy().subjectName("orders", false, GREETING_V1))
        .isEqualTo("orders-io.aibroker.serde.TestGreeting");
  }

  @Test
  void confluentAndSimpleClassNamesSelectBuiltInStrategies() {
    assertThat(
            SubjectNameStrategy.forName("io.confluent.kafka.serializers.subject.TopicNameStrategy"))
        .isInstanceOf(TopicNameStrategy.class);
    assertThat(
            SubjectNameStrategy.forName(
                "io.confluent.kafka.serializers.subject.RecordNameStrategy"))
        .isInstanceOf(RecordNameStrategy.class);
    assertThat(SubjectNameStrategy.forName("TopicRecordNameStrategy"))
        .isInstanceOf(TopicRecordNameStrategy.class);
    assertThat(SubjectNameStrategy.forName(RecordNameStrategy.class.getName()))
        .isInstanceOf(RecordNameStrategy.class);
  }

  @Test
  void customStrategyIsLoadedByClassName() {
    SubjectNameStrategy strategy =
        SubjectNameStrategy.forName(UpperCaseTopicStrategy.class.getName());

    assertThat(strategy.subjectName("orders", true, GREETING_V1)).isEqualTo("ORDERS-K");
  }

  @Test
  void rejectsMissingClass() {
    assertThatThrownBy(() -> SubjectNameStrategy.forName("com.example.NoSuchStrategy"))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("com.example.NoSuchStrategy");
  }

  @Test
  void rejectsClassThatIsNotAStrategy() {
    assertThatThrownBy(() -> SubjectNameStrategy.forName("java.lang.String"))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("does not implement");
  }
}
