package io.aibroker.serde;

import org.apache.avro.Schema;
import org.apache.kafka.common.config.ConfigException;

/**
 * Chooses the registry subject a schema is registered under, as Confluent's {@code
 * SubjectNameStrategy} does.
 *
 * <p>Implementations must be stateless and thread-safe; configured by class name they need a public
 * no-argument constructor.
 */
@FunctionalInterface
public interface SubjectNameStrategy {

  /**
   * The subject for a schema written to a topic.
   *
   * @param topic the topic; may be null when the caller has none
   * @param isKey whether the schema is for record keys
   * @param schema the schema being written
   */
  String subjectName(String topic, boolean isKey, Schema schema);

  /**
   * A strategy by class name. Confluent's names ({@code
   * io.confluent.kafka.serializers.subject.TopicNameStrategy} and so on) and simple names ({@code
   * TopicNameStrategy}) select the built-in strategies; any other name must be a class implementing
   * this interface.
   *
   * @throws ConfigException if the class cannot be found or is not a strategy
   */
  static SubjectNameStrategy forName(String className) {
    String trimmed = className.strip();
    String simpleName = trimmed.substring(trimmed.lastIndexOf('.') + 1);
    SubjectNameStrategy builtIn = BuiltInStrategies.BY_SIMPLE_NAME.get(simpleName);
    if (builtIn != null
        && (trimmed.equals(simpleName)
            || trimmed.startsWith("io.confluent.")
            || trimmed.startsWith(SubjectNameStrategy.class.getPackageName() + "."))) {
      return builtIn;
    }
    try {
      ClassLoader loader = Thread.currentThread().getContextClassLoader();
      Class<?> type =
          Class.forName(
              trimmed, true, loader != null ? loader : SubjectNameStrategy.class.getClassLoader());
      return forClass(type);
    } catch (ClassNotFoundException e) {
      throw new ConfigException("Subject name strategy class not found: " + trimmed);
    }
  }

  /**
   * A strategy from its class, instantiated with its no-argument constructor.
   *
   * @throws ConfigException if the class is not a strategy or cannot be instantiated
   */
  static SubjectNameStrategy forClass(Class<?> type) {
    if (!SubjectNameStrategy.class.isAssignableFrom(type)) {
      throw new ConfigException(
          type.getName() + " does not implement " + SubjectNameStrategy.class.getName());
    }
    try {
      return (SubjectNameStrategy) type.getDeclaredConstructor().newInstance();
    } catch (ReflectiveOperationException e) {
      throw new ConfigException(
          "Cannot instantiate subject name strategy " + type.getName() + ": " + e);
    }
  }
}
