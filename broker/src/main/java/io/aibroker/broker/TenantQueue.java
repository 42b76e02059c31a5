package io.aibroker.broker;

import io.aibroker.records.InferenceRequest;
import io.aibroker.records.OverLimitAction;
import io.aibroker.records.internal.TenantUsage;
import java.time.Instant;
import java.util.List;
import java.util.function.Consumer;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * Requests of a tenant with the QUEUE policy that arrived over its limits, oldest first, kept in
 * the tenant's usage record. The queue is bounded by count ({@code max-queued}) and by bytes, since
 * the record must stay below what the broker can write. As capacity frees, queued requests are
 * admitted oldest first while they fit; those whose deadline passes meanwhile expire.
 */
final class TenantQueue {

  /**
   * Most bytes of requests a tenant's queue may hold: the queue lives in the tenant's usage record,
   * which must stay below the record size the broker can write ({@link
   * BrokerConfig#CARRIER_MAX_MESSAGE_BYTES}), or the tenant's task would fail on it for ever.
   */
  static final long MAX_BYTES = BrokerConfig.CARRIER_MAX_MESSAGE_BYTES / 2;

  /** What becomes of a queued request admitted by {@link #drain}. */
  @FunctionalInterface
  interface Admitted {
    void dispatch(InferenceRequest request, ModelDefinition model, Demand demand);
  }

  private final KeyValueStore<String, TenantUsage> usage;
  private final ModelCatalog models;
  private final LivePrices prices;
  private final int maxQueued;

  TenantQueue(
      KeyValueStore<String, TenantUsage> usage,
      ModelCatalog models,
      LivePrices prices,
      int maxQueued) {
    this.usage = usage;
    this.models = models;
    this.prices = prices;
    this.maxQueued = maxQueued;
  }

  /** True when requests wait in the tenant's queue: a new one must not overtake them. */
  static boolean isAhead(TenantUsage used, EffectivePolicy policy) {
    return policy.overLimit() == OverLimitAction.QUEUE && !used.getQueued().isEmpty();
  }

  /** Queues the request if the policy queues and the queue has room for it. */
  boolean offer(String tenant, TenantUsage used, InferenceRequest request, EffectivePolicy policy) {
    if (policy.overLimit() != OverLimitAction.QUEUE
        || used.getQueued().size() >= maxQueued
        || bytes(used.getQueued()) + RequestSizes.estimate(request) > MAX_BYTES) {
      return false;
    }
    used.getQueued().add(request);
    usage.put(tenant, used);
    return true;
  }

  /** Why a request could not be queued: the queue is full. */
  static String fullMessage(TenantUsage used) {
    return "the tenant's queue is full (" + used.getQueued().size() + " requests)";
  }

  /**
   * Admits the tenant's queued requests, oldest first, while they fit its limits (reserving their
   * demand); the ones whose deadline has passed are taken off and handed to {@code expired}.
   */
  void drain(
      String tenant,
      EffectivePolicy policy,
      Instant now,
      Consumer<InferenceRequest> expired,
      Admitted admitted) {
    TenantUsage used = usage.get(tenant);
    if (used == null || used.getQueued().isEmpty()) {
      return;
    }
    QuotaLedger.roll(used, now);
    List<InferenceRequest> queue = used.getQueued();
    while (!queue.isEmpty()) {
      InferenceRequest head = queue.getFirst();
      if (head.getDeadline() != null && !head.getDeadline().isAfter(now)) {
        queue.removeFirst();
        usage.put(tenant, used);
        expired.accept(head);
        continue;
      }
      ModelDefinition model = models.resolve(head.getModel()).orElseThrow();
      Demand demand = Demands.of(head, model, prices.catalog(), now);
      if (QuotaLedger.check(used, policy, demand, now).isPresent()) {
        break;
      }
      queue.removeFirst();
      QuotaLedger.reserve(used, demand);
      usage.put(tenant, used);
      admitted.dispatch(head, model, demand);
    }
    usage.put(tenant, used);
  }

  private static long bytes(List<InferenceRequest> queued) {
    long bytes = 0;
    for (InferenceRequest request : queued) {
      bytes += RequestSizes.estimate(request);
    }
    return bytes;
  }
}
