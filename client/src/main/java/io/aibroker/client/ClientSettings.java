package io.aibroker.client;

import io.aibroker.schemas.RecordSerdes;
import io.aibroker.topics.Topics;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;

/**
 * What every builder of the client starts from: the Kafka connection settings, the serdes bound to
 * the Schema Registry, and the topic names.
 *
 * @param <B> the builder, returned by its setters
 */
abstract class ClientSettings<B extends ClientSettings<B>> {

  final Map<String, Object> kafka;
  final RecordSerdes serdes;
  Topics topics = Topics.defaults();

  ClientSettings(Map<String, Object> kafka, RecordSerdes serdes) {
    this.kafka = new HashMap<>(Objects.requireNonNull(kafka, "kafka"));
    this.serdes = Objects.requireNonNull(serdes, "serdes");
  }

  /** This builder. */
  abstract B self();

  /** Topic names (default: prefix {@code aibroker}). */
  public B topics(Topics topics) {
    this.topics = Objects.requireNonNull(topics, "topics");
    return self();
  }
}
