package io.aibroker.client;

import io.aibroker.records.InferenceResult;
import io.aibroker.schemas.RecordSerdes;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.StringDeserializer;

/**
 * Where a client's results come from: one topic (the client's own reply topic, or the shared
 * results topic) read from its end by a consumer of its own, without a consumer group, completing
 * the future registered for each result's requestId and tenant. Results nobody waits for are
 * skipped, and so is a result with a pending requestId but of another tenant: anyone who can make
 * the broker write to this topic (a request naming it as replyTo) could otherwise answer a request
 * of ours with a result of theirs.
 */
final class ResultSource implements AutoCloseable {

  private final String topic;
  private final Map<String, CompletableFuture<InferenceResult>> pending = new ConcurrentHashMap<>();
  private final PollingThread<InferenceResult> poller;

  ResultSource(Map<String, Object> client, RecordSerdes serdes, String topic) {
    this.topic = topic;
    var consumer =
        new KafkaConsumer<>(
            PollingThread.awaitingAnswers(PollingThread.withoutGroup(client, "latest")),
            new StringDeserializer(),
            serdes.results().deserializer());
    this.poller =
        new PollingThread<>(
            "aibroker-client-" + topic,
            consumer,
            Duration.ofMillis(100),
            c -> PollingThread.assignAtEnd(c, topic),
            this::complete,
            e -> pending.values().forEach(f -> f.completeExceptionally(e)));
  }

  /** The topic results are read from. */
  String topic() {
    return topic;
  }

  /**
   * The future of a request's result, registered before the request is sent so that no result can
   * be missed. Fails at once if the source cannot read its topic.
   */
  CompletableFuture<InferenceResult> register(String requestId, String tenantId) {
    poller.awaitReady("results topic " + topic);
    String key = key(requestId, tenantId);
    CompletableFuture<InferenceResult> result = new CompletableFuture<>();
    CompletableFuture<InferenceResult> previous = pending.putIfAbsent(key, result);
    if (previous != null) {
      return previous;
    }
    result.whenComplete((r, e) -> pending.remove(key, result));
    return result;
  }

  private static String key(String requestId, String tenantId) {
    return tenantId + '\u0000' + requestId;
  }

  private void complete(ConsumerRecords<String, InferenceResult> records) {
    for (ConsumerRecord<String, InferenceResult> record : records) {
      InferenceResult value = record.value();
      var future =
          value == null ? null : pending.get(key(value.getRequestId(), value.getTenantId()));
      if (future != null) {
        future.complete(value);
      }
    }
  }

  @Override
  public void close() {
    poller.close();
    IllegalStateException closed = new IllegalStateException("the client was closed");
    pending.values().forEach(f -> f.completeExceptionally(closed));
  }
}
