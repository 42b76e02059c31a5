package io.aibroker.broker;

import io.aibroker.records.InferenceResult;
import io.aibroker.records.ReasonCode;
import io.aibroker.records.ResultStatus;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

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

  /**
   * Stream threads that failed and were replaced: each one stalled its tasks' tenants while it
   * restarted, so anything above 0 needs a look at the logs.
   */
  public static final String STREAM_THREADS_REPLACED = "aibroker.broker.stream.threads.replaced";

  /** Tenants that get a tenant tag of their own by default; later ones share {@link #OTHER}. */
  public static final int DEFAULT_MAX_TENANT_TAGS = 1_000;

  /** The tenant tag of tenants beyond the limit. */
  public static final String OTHER = "_other";

  private final MeterRegistry registry;
  private final int maxTenantTags;
  private final Set<String> taggedTenants = ConcurrentHashMap.newKeySet();
  private final Map<List<String>, Counter> requestCounters = new ConcurrentHashMap<>();
  private final Map<List<String>, Counter> tenantCounters = new ConcurrentHashMap<>();
  private final Map<ResultStatus, Timer> latencyTimers = new ConcurrentHashMap<>();

  /** Metrics recorded into the given registry, with tenant tags for the first 1,000 tenants. */
  public BrokerMetrics(MeterRegistry registry) {
    this(registry, DEFAULT_MAX_TENANT_TAGS);
  }

  /**
   * Metrics recorded into the given registry. The first {@code maxTenantTags} tenants seen get a
   * tenant tag of their own; the rest are counted under {@code tenant="_other"}, so that a hundred
   * thousand tenants do not make hundreds of thousands of time series (and as many meters in the
   * heap).
   */
  public BrokerMetrics(MeterRegistry registry, int maxTenantTags) {
    this.registry = registry;
    this.maxTenantTags = maxTenantTags;
  }

  /** The tag value for a tenant: itself while there is room, else {@link #OTHER}. */
  String tenantTag(String tenant) {
    if (taggedTenants.contains(tenant)) {
      return tenant;
    }
    if (taggedTenants.size() < maxTenantTags) {
      taggedTenants.add(tenant); // a race may let a few more in: harmless
      return tenant;
    }
    return OTHER;
  }

  // Meters are looked up in maps of our own: building a Meter.Id and finding it in the registry
  // for every record cost more than the rest of the bookkeeping.

  /**
   * Counts a terminal result. Both labels must come from configuration ({@link MeterLabels}), never
   * from a request as given: each distinct value is a time series kept for ever.
   *
   * @param modelLabel the request's model if the catalog knows it, else {@link MeterLabels#UNKNOWN}
   * @param tenantLabel the tenant if it is known, else {@link #OTHER}
   */
  void result(InferenceResult result, String modelLabel, String tenantLabel) {
    String tenant = OTHER.equals(tenantLabel) ? OTHER : tenantTag(tenantLabel);
    String modelTag = modelLabel;
    String status = result.getStatus().name();
    String reason = result.getReason() == null ? "none" : result.getReason().name();
    requestCounters
        .computeIfAbsent(
            List.of(tenant, modelTag, status, reason),
            k ->
                Counter.builder(REQUESTS)
                    .tag("tenant", tenant)
                    .tag("model", modelTag)
                    .tag("status", status)
                    .tag("reason", reason)
                    .register(registry))
        .increment();
    if (result.getTimings() != null) {
      latencyTimers
          .computeIfAbsent(
              result.getStatus(),
              s ->
                  Timer.builder(LATENCY)
                      .tag("status", s.name())
                      .publishPercentileHistogram()
                      .register(registry))
          .record(Duration.ofMillis(result.getTimings().getTotalMs()));
    }
  }

  private Counter tenantCounter(String name, String tenant, String model) {
    String tag = tenantTag(tenant);
    List<String> key = model == null ? List.of(name, tag) : List.of(name, tag, model);
    return tenantCounters.computeIfAbsent(
        key,
        k ->
            model == null
                ? registry.counter(name, "tenant", tag)
                : registry.counter(name, "tenant", tag, "model", model));
  }

  void cache(String outcome) {
    tenantCounters
        .computeIfAbsent(List.of(CACHE, outcome), k -> registry.counter(CACHE, "result", outcome))
        .increment();
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
    tenantCounter(SPEND, tenant, model).increment(usd.doubleValue());
  }

  void reserved(String tenant, BigDecimal usd) {
    tenantCounter(RESERVED, tenant, null).increment(usd.doubleValue());
  }

  void saved(String tenant, BigDecimal usd) {
    tenantCounter(SAVED, tenant, null).increment(usd.doubleValue());
  }
}
