package io.aibroker.broker;

import io.aibroker.records.CacheMode;
import io.aibroker.records.InferenceRequest;
import io.aibroker.records.InferenceResult;
import io.aibroker.records.internal.CacheEntry;
import io.aibroker.records.internal.InFlightRequest;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.Optional;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;

/**
 * Successful results kept under their request's content key ({@link CacheKeys}) for a TTL: the
 * request's own, else its tenant's default. A tenant's entries live in its task's store; entries of
 * tenants that share their cache go through the shared-cache topic into a global table, since the
 * other sharing tenants live on other partitions. A request naming its entry itself ({@code
 * cache.key}) always stays in its tenant's scope. {@link CacheMode} says whether a request looks
 * entries up (DEFAULT), only fills them (REFRESH) or neither (BYPASS).
 */
final class ResponseCache {

  private final KeyValueStore<String, CacheEntry> own;
  private final ReadOnlyKeyValueStore<String, CacheEntry> shared;
  private final Outputs outputs;
  private final BrokerMetrics metrics;

  ResponseCache(
      KeyValueStore<String, CacheEntry> own,
      ReadOnlyKeyValueStore<String, CacheEntry> shared,
      Outputs outputs,
      BrokerMetrics metrics) {
    this.own = own;
    this.shared = shared;
    this.outputs = outputs;
    this.metrics = metrics;
  }

  static CacheMode mode(InferenceRequest request) {
    return request.getCache() == null ? CacheMode.DEFAULT : request.getCache().getMode();
  }

  /** True when the request may be answered by a cached or running identical request. */
  static boolean looksUp(InferenceRequest request) {
    return mode(request) == CacheMode.DEFAULT;
  }

  /** True when the request's result, if successful, fills the cache. */
  static boolean fills(InferenceRequest request) {
    return mode(request) != CacheMode.BYPASS;
  }

  /** The request's content key, or null when it bypasses the cache. */
  static String key(InferenceRequest request, ModelDefinition model, EffectivePolicy policy) {
    return fills(request) ? CacheKeys.of(request, model.name(), policy.sharedCache()) : null;
  }

  /** True when the request's entry is shared with other tenants that share their cache. */
  static boolean isShared(InferenceRequest request, EffectivePolicy policy) {
    return policy.sharedCache() && !CacheKeys.explicit(request);
  }

  /** Lifetime of the entry the request fills: its own cache.ttlSeconds, else the tenant's. */
  static int ttlSeconds(InferenceRequest request, EffectivePolicy policy) {
    var cache = request.getCache();
    if (cache != null && cache.getTtlSeconds() != null) {
      return cache.getTtlSeconds();
    }
    return (int) policy.cacheTtl().toSeconds();
  }

  /** The live entry under the key, in the request's scope; counted as a hit or a miss. */
  Optional<CacheEntry> lookup(
      InferenceRequest request, String cacheKey, EffectivePolicy policy, Instant now) {
    CacheEntry entry = isShared(request, policy) ? shared.get(cacheKey) : own.get(cacheKey);
    if (entry == null || !entry.getExpiresAt().isAfter(now)) {
      metrics.cache("miss");
      return Optional.empty();
    }
    metrics.cache("hit");
    return Optional.of(entry);
  }

  /**
   * Keeps a request's successful result, if it asked to fill the cache with a positive TTL.
   *
   * @param policy its tenant's policy now, which says whether the entry is shared
   */
  void fill(
      InFlightRequest inFlight,
      InferenceResult result,
      BigDecimal cost,
      EffectivePolicy policy,
      Instant now) {
    if (!inFlight.getCacheFill()
        || inFlight.getCacheKey() == null
        || inFlight.getCacheTtlSeconds() <= 0) {
      return;
    }
    CacheEntry entry =
        CacheEntry.newBuilder()
            .setCachedResult(result)
            .setCost(cost)
            .setExpiresAt(now.plusSeconds(inFlight.getCacheTtlSeconds()))
            .build();
    if (isShared(inFlight.getDispatch().getRequest(), policy)) {
      outputs.sharedCacheEntry(inFlight.getCacheKey(), entry);
    } else {
      own.put(inFlight.getCacheKey(), entry);
    }
  }
}
