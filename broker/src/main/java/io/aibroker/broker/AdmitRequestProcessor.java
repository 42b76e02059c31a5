package io.aibroker.broker;

import io.aibroker.records.InferenceRequest;
import io.aibroker.records.internal.CacheEntry;
import io.aibroker.records.internal.IdempotencyEntry;
import io.aibroker.records.internal.InFlightRequest;
import io.aibroker.records.internal.TenantUsage;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;

/**
 * Admits requests keyed by tenant (see {@link RequestLifecycle#admit}). On wall-clock time it also
 * admits queued requests whose limits have freed (a new minute, day or month), and evicts expired
 * idempotency keys (entries of the idempotency store, and in-flight entries of requests done) and
 * cache entries so the stores do not grow without bound.
 *
 * <p>Both run every second and cost little however many tenants and entries there are: the tenants
 * with queued requests are known (found by one scan when the task starts, then noted as requests
 * are queued), and eviction sweeps a bounded slice of each store per run ({@link StoreSweeper}).
 */
final class AdmitRequestProcessor implements Processor<String, InferenceRequest, String, Object> {

  private static final Duration QUEUE_CHECK = Duration.ofSeconds(1);
  private static final Duration EVICTION = Duration.ofSeconds(1);

  /** Most entries of each store looked at per eviction run (all of them when the task is idle). */
  static final int EVICTION_BUDGET = 2_000;

  private final BrokerConfig config;
  private final PriceTable prices;
  private final BrokerMetrics metrics;
  private final ReplyTopics replyTopics;
  private final Clock clock;
  private RequestLifecycle lifecycle;
  private BrokerStores stores;
  private final Set<String> tenantsWithQueue = new HashSet<>();
  private StoreSweeper<IdempotencyEntry> idempotencySweeper;
  private StoreSweeper<CacheEntry> cacheSweeper;
  private StoreSweeper<InFlightRequest> doneSweeper;
  private CommitWhenIdle commitWhenIdle;
  private long admittedSinceEviction;

  AdmitRequestProcessor(
      BrokerConfig config,
      PriceTable prices,
      BrokerMetrics metrics,
      ReplyTopics replyTopics,
      Clock clock) {
    this.config = config;
    this.prices = prices;
    this.metrics = metrics;
    this.replyTopics = replyTopics;
    this.clock = clock;
  }

  @Override
  public void init(ProcessorContext<String, Object> context) {
    stores = BrokerStores.from(context);
    lifecycle =
        new RequestLifecycle(
            config,
            prices,
            stores,
            new Outputs(context),
            metrics,
            replyTopics,
            tenantsWithQueue::add);
    commitWhenIdle = CommitWhenIdle.of(context, config.exactlyOnce());
    findQueues();
    idempotencySweeper =
        new StoreSweeper<>(
            stores.idempotency(), e -> !e.getExpiresAt().isAfter(clock.instant()), EVICTION_BUDGET);
    cacheSweeper =
        new StoreSweeper<>(
            stores.cache(), e -> !e.getExpiresAt().isAfter(clock.instant()), EVICTION_BUDGET);
    doneSweeper =
        new StoreSweeper<>(
            stores.inFlight(), e -> Idempotency.expired(e, clock.instant()), EVICTION_BUDGET);
    context.schedule(QUEUE_CHECK, PunctuationType.WALL_CLOCK_TIME, t -> drainQueues());
    context.schedule(EVICTION, PunctuationType.WALL_CLOCK_TIME, t -> evictExpired());
  }

  @Override
  public void process(Record<String, InferenceRequest> record) {
    if (record.value() != null) {
      lifecycle.admit(record.value(), clock.instant());
      admittedSinceEviction++;
    }
    commitWhenIdle.processed();
  }

  /** The tenants of this task with queued requests: one scan, when the task starts. */
  private void findQueues() {
    try (var all = stores.usage().all()) {
      all.forEachRemaining(
          entry -> {
            if (!entry.value.getQueued().isEmpty()) {
              tenantsWithQueue.add(entry.key);
            }
          });
    }
  }

  private void drainQueues() {
    if (tenantsWithQueue.isEmpty()) {
      return;
    }
    Instant now = clock.instant();
    for (String tenant : List.copyOf(tenantsWithQueue)) {
      lifecycle.drainQueue(tenant, now);
      TenantUsage usage = stores.usage().get(tenant);
      if (usage == null || usage.getQueued().isEmpty()) {
        tenantsWithQueue.remove(tenant); // drained here, or by a completion meanwhile
      }
    }
  }

  private void evictExpired() {
    long added = admittedSinceEviction; // each store gains at most one entry per request
    admittedSinceEviction = 0;
    idempotencySweeper.sweep(added);
    cacheSweeper.sweep(added);
    doneSweeper.sweep(added);
  }
}
