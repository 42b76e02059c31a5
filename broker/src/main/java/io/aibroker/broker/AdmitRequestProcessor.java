package io.aibroker.broker;

import io.aibroker.records.InferenceRequest;
import io.aibroker.records.internal.CacheEntry;
import io.aibroker.records.internal.IdempotencyEntry;
import io.aibroker.records.internal.TenantUsage;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * Admits requests keyed by tenant (see {@link RequestLifecycle#admit}). On wall-clock time it also
 * admits queued requests whose limits have freed (a new minute, day or month), and evicts expired
 * idempotency keys and cache entries so the stores do not grow without bound.
 */
final class AdmitRequestProcessor implements Processor<String, InferenceRequest, String, Object> {

  private static final Duration QUEUE_CHECK = Duration.ofSeconds(1);
  private static final Duration EVICTION = Duration.ofSeconds(30);

  private final BrokerConfig config;
  private final BrokerMetrics metrics;
  private final ReplyTopics replyTopics;
  private final Clock clock;
  private RequestLifecycle lifecycle;
  private BrokerStores stores;

  AdmitRequestProcessor(
      BrokerConfig config, BrokerMetrics metrics, ReplyTopics replyTopics, Clock clock) {
    this.config = config;
    this.metrics = metrics;
    this.replyTopics = replyTopics;
    this.clock = clock;
  }

  @Override
  public void init(ProcessorContext<String, Object> context) {
    stores = BrokerStores.from(context);
    lifecycle = new RequestLifecycle(config, stores, new Outputs(context), metrics, replyTopics);
    context.schedule(QUEUE_CHECK, PunctuationType.WALL_CLOCK_TIME, t -> drainQueues());
    context.schedule(EVICTION, PunctuationType.WALL_CLOCK_TIME, t -> evictExpired());
  }

  @Override
  public void process(Record<String, InferenceRequest> record) {
    if (record.value() != null) {
      lifecycle.admit(record.value(), clock.instant());
    }
  }

  private void drainQueues() {
    Instant now = clock.instant();
    List<String> waiting = new ArrayList<>();
    try (var all = stores.usage().all()) {
      all.forEachRemaining(
          entry -> {
            TenantUsage usage = entry.value;
            if (!usage.getQueued().isEmpty()) {
              waiting.add(entry.key);
            }
          });
    }
    waiting.forEach(tenant -> lifecycle.drainQueue(tenant, now));
  }

  private void evictExpired() {
    Instant now = clock.instant();
    evict(stores.idempotency(), (IdempotencyEntry e) -> !e.getExpiresAt().isAfter(now));
    evict(stores.cache(), (CacheEntry e) -> !e.getExpiresAt().isAfter(now));
  }

  private static <V> void evict(
      KeyValueStore<String, V> store, java.util.function.Predicate<V> expired) {
    List<String> keys = new ArrayList<>();
    try (var all = store.all()) {
      all.forEachRemaining(
          entry -> {
            if (expired.test(entry.value)) {
              keys.add(entry.key);
            }
          });
    }
    keys.forEach(store::delete);
  }
}
