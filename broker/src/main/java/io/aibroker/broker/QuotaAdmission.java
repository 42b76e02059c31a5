package io.aibroker.broker;

import io.aibroker.records.InferenceRequest;
import io.aibroker.records.OverLimitAction;
import io.aibroker.records.ReasonCode;
import io.aibroker.records.internal.InFlightRequest;
import io.aibroker.records.internal.TenantUsage;
import java.time.Instant;
import java.util.Optional;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * Admission of a request against its tenant's quotas and budgets ({@link QuotaLedger}), under the
 * policy resolved for the request: a request that fits (and is not behind queued ones) reserves its
 * worst-case demand; one over a limit is queued (QUEUE policy, while the {@link TenantQueue} has
 * room) or refused. When the request ends, its reservation is settled against what it used.
 */
final class QuotaAdmission {

  /** What admission decided. */
  sealed interface Decision {
    /** Admitted: its demand is reserved; dispatch it. */
    record Admitted(Demand demand) implements Decision {}

    /** Queued until capacity frees. */
    record Queued() implements Decision {}

    /** Refused: the request ends with this reason. */
    record Refused(QuotaLedger.Refusal why) implements Decision {}
  }

  private final KeyValueStore<String, TenantUsage> usage;
  private final LivePrices prices;
  private final TenantQueue queue;
  private final BrokerMetrics metrics;

  QuotaAdmission(
      KeyValueStore<String, TenantUsage> usage,
      LivePrices prices,
      TenantQueue queue,
      BrokerMetrics metrics) {
    this.usage = usage;
    this.prices = prices;
    this.queue = queue;
    this.metrics = metrics;
  }

  /** Admits, queues or refuses the request; the tenant's usage is updated accordingly. */
  Decision admit(
      InferenceRequest request, ModelDefinition model, EffectivePolicy policy, Instant now) {
    String tenant = request.getTenantId();
    TenantUsage used = current(tenant, now);
    Demand demand = Demands.of(request, model, prices.catalog(), now);
    Optional<QuotaLedger.Refusal> refusal = QuotaLedger.check(used, policy, demand, now);
    if (refusal.isEmpty() && !TenantQueue.isAhead(used, policy)) {
      QuotaLedger.reserve(used, demand);
      usage.put(tenant, used);
      metrics.reserved(tenant, demand.cost());
      return new Decision.Admitted(demand);
    }
    if (queue.offer(tenant, used, request, policy)) {
      refusal.ifPresent(r -> metrics.limited(r.reason(), true));
      return new Decision.Queued();
    }
    String queueFull = TenantQueue.fullMessage(used);
    var why =
        refusal.orElse(new QuotaLedger.Refusal(ReasonCode.QUOTA_CONCURRENCY, queueFull, null));
    String message =
        refusal.isPresent() && policy.overLimit() == OverLimitAction.QUEUE
            ? why.message() + "; " + queueFull
            : why.message();
    metrics.limited(why.reason(), false);
    return new Decision.Refused(new QuotaLedger.Refusal(why.reason(), message, why.retryAfterMs()));
  }

  /** Replaces the reservation of a request that ended with what it actually used. */
  void settle(InFlightRequest inFlight, Demand used, Instant now) {
    String tenant = inFlight.getDispatch().getTenantId();
    TenantUsage current = current(tenant, now);
    QuotaLedger.settle(
        current,
        new Demand(inFlight.getReservedTokens(), inFlight.getReservedCost()),
        inFlight.getReservedAt(),
        used.tokens(),
        used.cost());
    usage.put(tenant, current);
  }

  private TenantUsage current(String tenant, Instant now) {
    return QuotaLedger.current(usage.get(tenant), now);
  }
}
