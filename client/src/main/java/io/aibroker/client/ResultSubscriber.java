package io.aibroker.client;

import io.aibroker.records.InferenceResult;
import io.aibroker.schemas.RecordSerdes;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.StringDeserializer;

/**
 * Consumes the shared results topic in a consumer group, for services that act on a tenant's
 * results (instances of a service share the work by using the same group). The callback runs on the
 * subscriber's thread, one result at a time; offsets are committed after the callbacks of each poll
 * returned, so delivery is at-least-once: a result may be seen again after a crash.
 *
 * <pre>{@code
 * try (ResultSubscriber subscriber =
 *     ResultSubscriber.builder(Map.of("bootstrap.servers", "localhost:9092"), serdes)
 *         .groupId("billing-service")
 *         .tenant("acme")
 *         .start(result -> System.out.println(result.getRequestId() + " " + result.getStatus()))) {
 *   ...
 * }
 * }</pre>
 */
public final class ResultSubscriber extends TopicFollower<InferenceResult> {

  private final String tenant;
  private final Consumer<InferenceResult> callback;

  private ResultSubscriber(Builder b, Consumer<InferenceResult> callback) {
    Map<String, Object> props = new HashMap<>(b.kafka);
    props.put("group.id", b.groupId);
    props.put("enable.auto.commit", false);
    // Results are written in the broker's exactly-once transactions: see only committed ones.
    props.putIfAbsent("isolation.level", "read_committed");
    PollingThread.awaitingAnswers(props);
    props.put("auto.offset.reset", b.fromBeginning ? "earliest" : "latest");
    var consumer =
        new KafkaConsumer<>(props, new StringDeserializer(), b.serdes.results().deserializer());
    this.tenant = b.tenant;
    this.callback = callback;
    follow(
        "aibroker-result-subscriber-" + b.groupId,
        consumer,
        c -> c.subscribe(List.of(b.topics.results())),
        records -> deliver(records, consumer));
  }

  /**
   * A builder of a subscriber.
   *
   * @param kafka Kafka connection settings
   * @param serdes Avro serdes bound to the Schema Registry
   */
  public static Builder builder(Map<String, Object> kafka, RecordSerdes serdes) {
    return new Builder(kafka, serdes);
  }

  private void deliver(
      ConsumerRecords<String, InferenceResult> records,
      KafkaConsumer<String, InferenceResult> consumer) {
    for (ConsumerRecord<String, InferenceResult> record : records) {
      InferenceResult result = record.value();
      if (result != null && (tenant == null || tenant.equals(result.getTenantId()))) {
        callback.accept(result);
      }
    }
    if (!records.isEmpty()) {
      consumer.commitSync();
    }
  }

  /** Settings of a subscriber. */
  public static final class Builder extends ClientSettings<Builder> {
    private String groupId;
    private String tenant;
    private boolean fromBeginning;

    private Builder(Map<String, Object> kafka, RecordSerdes serdes) {
      super(kafka, serdes);
    }

    @Override
    Builder self() {
      return this;
    }

    /** The consumer group (required). */
    public Builder groupId(String groupId) {
      this.groupId = Objects.requireNonNull(groupId, "groupId");
      return this;
    }

    /** Deliver only this tenant's results (default: every tenant's). */
    public Builder tenant(String tenant) {
      this.tenant = tenant;
      return this;
    }

    /**
     * Where a group without committed offsets starts: the oldest retained result (true) or new
     * results only (false, the default).
     */
    public Builder fromBeginning(boolean fromBeginning) {
      this.fromBeginning = fromBeginning;
      return this;
    }

    /** Starts consuming, calling {@code callback} with each matching result. */
    public ResultSubscriber start(Consumer<InferenceResult> callback) {
      if (groupId == null) {
        throw new IllegalStateException("groupId is required");
      }
      return new ResultSubscriber(this, Objects.requireNonNull(callback, "callback"));
    }
  }
}
