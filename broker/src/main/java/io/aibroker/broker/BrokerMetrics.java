package io.aibroker.broker;

import io.aibroker.records.InferenceResult;
import io.aibroker.records.ReasonCode;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.math.BigDecimal;
import java.time.Duration;

/** Every metric the broker records, and the names they have. */
public final class BrokerMetrics {

  /** Terminal results, tagged tenant, model, status and reason. */
  public static final String REQUESTS = "aibroker.broker.requests";

  /** Cache lookups, tagged result = hit | miss | coalesced. */
  public static final String CACHE = "aibroker.broker.cache";

  /** Duplicates answered from an idempotency key's original request. */
  public static final String DEDUPE_HITS = "aibroker.broker.dedupe.hits";

  /** Requests refused or queued by a limit, tagged reason and action = rejected | queued. */
  public static final String LIMITED = "aibroker.broker.limited";

  /** Time from a request's createdAt to its result, tagged status. */
  public static final String LATENCY = "aibroker.broker.latency";

  /** USD charged, tagged tenant and model. */
  public static final String SPEND = "aibroker.broker.spend.usd";

  /** USD reserved at admission (worst case), tagged tenant; settled later against SPEND. */
  public static final String RESERVED = "aibroker.broker.reserved.usd";

  /** USD saved by cache hits and coalescing, tagged tenant. */
  public static final String SAVED = "aibroker.broker.saved.usd";

  private final MeterRegistry registry;

  /** Metrics recorded into the given registry. */
  public BrokerMetrics(MeterRegistry registry) {
    this.registry = registry;
  }

  void result(InferenceResult result, String model) {
    Counter.builder(REQUESTS)
        .tag("tenant", result.getTenantId())
        .tag("model", model == null ? "" : model)
        .tag("status", result.getStatus().name())
        .tag("reason", result.getReason() == null ? "none" : result.getReason().name())
        .register(registry)
        .increment();
    if (result.getTimings() != null) {
      Timer.builder(LATENCY)
          .tag("status", result.getStatus().name())
          .publishPercentileHistogram()
          .register(registry)
          .record(Duration.ofMillis(result.getTimings().getTotalMs()));
    }
  }

  void cache(String outcome) {
    registry.counter(CACHE, "result", outcome).increment();
  }

  void dedupeHit() {
    registry.counter(DEDUPE_HITS).increment();
  }

  void limited(ReasonCode reason, boolean queued) {
    registry
        .counter(LIMITED, "reason", reason.name(), "action", queued ? "queued" : "rejected")
        .increment();
  }

  void spend(String tenant, String model, BigDecimal usd) {
    registry.counter(SPEND, "tenant", tenant, "model", model).increment(usd.doubleValue());
  }

  void reserved(String tenant, BigDecimal usd) {
    registry.counter(RESERVED, "tenant", tenant).increment(usd.doubleValue());
  }

  void saved(String tenant, BigDecimal usd) {
    registry.counter(SAVED, "tenant", tenant).increment(usd.doubleValue());
  }
}
