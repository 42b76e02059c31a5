package io.aibroker.reliability;

import io.aibroker.records.ChatMessage;
import io.aibroker.records.GenerationParams;
import io.aibroker.records.InferenceRequest;
import io.aibroker.records.Task;
import io.aibroker.schemas.RecordSerdes;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends requests to {@code aibroker.requests} at a steady rate, tenants in turn, the way a backend
 * service would: an idempotent producer with acks=all. A request counts as sent once Kafka
 * acknowledged it; a send that failed (a Kafka broker just died) is sent again with the same
 * request id, which the broker deduplicates. Every request has a prompt of its own, so none is a
 * cache hit.
 */
final class LoadGenerator implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(LoadGenerator.class);

  private final KafkaProducer<String, InferenceRequest> producer;
  private final String topic;
  private final List<String> tenants;
  private final Set<String> queueTenants;
  private final Duration queueDeadline;
  private final Map<String, Instant> acknowledged = new ConcurrentHashMap<>();
  private final ConcurrentLinkedQueue<InferenceRequest> toResend = new ConcurrentLinkedQueue<>();
  private final AtomicInteger failedSends = new AtomicInteger();
  private final AtomicInteger started = new AtomicInteger();
  private final String runId = Long.toString(System.currentTimeMillis(), 36);

  LoadGenerator(
      Map<String, Object> kafka,
      RecordSerdes serdes,
      String topic,
      List<String> tenants,
      Set<String> queueTenants,
      Duration queueDeadline) {
    Map<String, Object> props = new HashMap<>(kafka);
    props.put(ProducerConfig.ACKS_CONFIG, "all");
    props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
    props.put(ProducerConfig.LINGER_MS_CONFIG, 5);
    props.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, 60_000);
    this.producer =
        new KafkaProducer<>(props, new StringSerializer(), serdes.requests().serializer());
    this.topic = topic;
    this.tenants = List.copyOf(tenants);
    this.queueDeadline = queueDeadline;
    this.queueTenants = Set.copyOf(queueTenants);
  }

  /**
   * Sends {@code count} requests at {@code perSecond}, blocking until the last one was handed to
   * the producer; then waits until every one is acknowledged (resending failed ones).
   */
  void run(int count, int perSecond) throws InterruptedException {
    long interval = Duration.ofSeconds(1).toNanos() / perSecond;
    long next = System.nanoTime();
    for (int i = 0; i < count; i++) {
      long wait = next - System.nanoTime();
      if (wait > 0) {
        LockSupport.parkNanos(wait);
      }
      next += interval;
      resendFailed();
      send(request(i));
      started.incrementAndGet();
    }
    producer.flush();
    long deadline = System.nanoTime() + Duration.ofMinutes(3).toNanos();
    while (acknowledged.size() < count && System.nanoTime() < deadline) {
      resendFailed();
      producer.flush();
      Thread.sleep(100);
    }
  }

  /** Requests handed to the producer so far (the chaos schedule follows it). */
  int started() {
    return started.get();
  }

  /** Request ids Kafka acknowledged, with the time they were created. */
  Map<String, Instant> acknowledged() {
    return Map.copyOf(acknowledged);
  }

  /** Sends that failed and were retried. */
  int failedSends() {
    return failedSends.get();
  }

  private InferenceRequest request(int i) {
    String tenant = tenants.get(i % tenants.size());
    Instant now = Instant.now();
    return InferenceRequest.newBuilder()
        .setRequestId("req-" + runId + "-" + i)
        .setTenantId(tenant)
        .setTask(Task.CHAT)
        .setModel("chat-default")
        .setMessages(List.of(new ChatMessage("user", "question " + i + " of " + tenant, null)))
        .setParams(GenerationParams.newBuilder().setMaxTokens(TenantPlan.MAX_TOKENS).build())
        // Queued requests wait for capacity; past their deadline they end EXPIRED.
        .setDeadline(queueTenants.contains(tenant) ? now.plus(queueDeadline) : null)
        .setCreatedAt(now)
        .build();
  }

  private void send(InferenceRequest request) {
    producer.send(
        new ProducerRecord<>(topic, request.getTenantId(), request),
        (metadata, failure) -> {
          if (failure == null) {
            acknowledged.put(request.getRequestId(), request.getCreatedAt());
          } else {
            failedSends.incrementAndGet();
            LOG.warn("send of {} failed; sending it again: {}", request.getRequestId(), failure);
            toResend.add(request);
          }
        });
  }

  private void resendFailed() {
    InferenceRequest again;
    while ((again = toResend.poll()) != null) {
      send(again);
    }
  }

  @Override
  public void close() {
    producer.close(Duration.ofSeconds(10));
  }
}
