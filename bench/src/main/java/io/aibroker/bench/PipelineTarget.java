package io.aibroker.bench;

import io.aibroker.records.ChatMessage;
import io.aibroker.records.GenerationParams;
import io.aibroker.records.InferenceRequest;
import io.aibroker.records.InferenceResult;
import io.aibroker.records.ResultStatus;
import io.aibroker.records.Task;
import io.aibroker.schemas.RecordSerdes;
import io.aibroker.topics.Topics;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.LongFunction;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * The full path: {@code InferenceRequest}s keyed by tenant to the requests topic, as a backend
 * service would publish them; answers are the {@code InferenceResult}s on the results topic as a
 * {@code read_committed} reader sees them (so with exactly-once, only once committed).
 */
final class PipelineTarget extends LoadTarget<String, InferenceResult> {

  /**
   * What each request looks like.
   *
   * @param tenant tenant id of send {@code i}
   * @param prompt prompt of send {@code i} (same prompt and tenant: a cache hit once cached)
   */
  record Workload(LongFunction<String> tenant, LongFunction<String> prompt) {

    /** Unique prompts (cache misses) spread over {@code tenants} tenants. */
    static Workload misses(int tenants) {
      return new Workload(
          i -> "t" + (i % tenants), i -> "bench prompt " + i + " " + System.nanoTime());
    }
  }

  private final KafkaProducer<String, InferenceRequest> producer;
  private final Topics topics;
  private final String prefix;
  private volatile Workload workload = Workload.misses(10);

  private PipelineTarget(
      KafkaConsumer<String, InferenceResult> consumer,
      KafkaProducer<String, InferenceRequest> producer,
      Topics topics) {
    super(consumer, topics.results());
    this.producer = producer;
    this.topics = topics;
    this.prefix = topics.prefix();
  }

  /** The topic prefix of the pipeline. */
  String prefix() {
    return prefix;
  }

  /**
   * Connects to the topics with the given prefix; results are fetched with a 100 ms wait, requests
   * sent one produce request each (linger 0), as a latency point measures them.
   */
  static PipelineTarget connect(String bootstrap, RecordSerdes serdes, String prefix) {
    return connect(bootstrap, serdes, prefix, 100);
  }

  /**
   * Connects as {@link #connect(String, RecordSerdes, String)} does, with a producer that batches
   * as a service publishing thousands of requests a second does ({@link
   * LoadTarget#BATCHING_LINGER_MS}): the throughput search's client.
   */
  static PipelineTarget batching(String bootstrap, RecordSerdes serdes, String prefix) {
    return connect(bootstrap, serdes, prefix, 100, BATCHING_LINGER_MS);
  }

  /**
   * Connects to the topics with the given prefix, fetching results with at most {@code
   * fetchMaxWaitMs} of waiting: a {@code read_committed} fetch is not woken when a transaction's
   * markers land, so at idle this wait is part of what a reader sees.
   */
  static PipelineTarget connect(
      String bootstrap, RecordSerdes serdes, String prefix, int fetchMaxWaitMs) {
    return connect(bootstrap, serdes, prefix, fetchMaxWaitMs, 0);
  }

  private static PipelineTarget connect(
      String bootstrap, RecordSerdes serdes, String prefix, int fetchMaxWaitMs, int lingerMs) {
    Topics topics = new Topics(prefix);
    Map<String, Object> p = new HashMap<>();
    p.put("bootstrap.servers", bootstrap);
    p.put("acks", "all");
    p.put("enable.idempotence", true);
    p.put("linger.ms", lingerMs);
    Map<String, Object> c = new HashMap<>();
    c.put("bootstrap.servers", bootstrap);
    c.put("enable.auto.commit", false);
    c.put("isolation.level", "read_committed");
    c.put("fetch.max.wait.ms", fetchMaxWaitMs);
    return new PipelineTarget(
        new KafkaConsumer<>(c, new StringDeserializer(), serdes.results().deserializer()),
        new KafkaProducer<>(p, new StringSerializer(), serdes.requests().serializer()),
        topics);
  }

  /** Sets what the following sends look like. */
  PipelineTarget with(Workload next) {
    this.workload = next;
    return this;
  }

  @Override
  void send(String runId, long sequence) {
    Workload current = workload;
    String tenant = current.tenant().apply(sequence);
    InferenceRequest request =
        InferenceRequest.newBuilder()
            .setRequestId(runId + "-" + sequence)
            .setTenantId(tenant)
            .setTask(Task.CHAT)
            .setModel("chat-default")
            .setMessages(List.of(new ChatMessage("user", current.prompt().apply(sequence), null)))
            .setParams(GenerationParams.newBuilder().setMaxTokens(16).build())
            .setCreatedAt(Instant.now())
            .build();
    producer.send(new ProducerRecord<>(topics.requests(), tenant, request));
  }

  @Override
  Answer answer(String key, InferenceResult result) {
    if (result == null) {
      return null;
    }
    return parseId(
        result.getRequestId(), result.getStatus() == ResultStatus.SUCCEEDED, result.getCached());
  }

  @Override
  void flush() {
    producer.flush();
  }

  @Override
  public void close() throws InterruptedException {
    producer.close();
    super.close();
  }
}
