package io.aibroker.broker;

import io.aibroker.records.InferenceRequest;
import io.aibroker.records.ReasonCode;
import io.aibroker.records.Route;
import io.aibroker.records.TenantPolicy;
import io.aibroker.records.internal.TenantUsage;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.function.Predicate;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.ProcessorSupplier;
import org.apache.kafka.streams.processor.api.Record;

/**
 * The broker's per-request arithmetic behind public entry points, so that it can be measured from
 * outside the broker's package (the bench module's JMH microbenchmarks): a request's cache key, its
 * admission against and settlement with a tenant's quota ledger, and the order of a model's routes.
 * Each entry point runs the code the topology runs ({@link CacheKeys}, {@link Demands} and {@link
 * QuotaLedger}, {@link Router}); the topology does not use this class. {@link #passOn} lends the
 * commit pacing of the broker's processors to the bench's empty pipeline.
 */
public final class HotPaths {

  private HotPaths() {}

  /**
   * The request's cache key: SHA-256 over the cache scope (the tenant, or the shared scope), the
   * resolved model and the canonical content.
   *
   * @param request the request
   * @param resolvedModel the model its name or alias resolved to
   * @param sharedCache whether its tenant shares its cache entries
   * @return the key, in hex
   */
  public static String cacheKey(
      InferenceRequest request, String resolvedModel, boolean sharedCache) {
    return CacheKeys.of(request, resolvedModel, sharedCache);
  }

  /**
   * A model's routes in the order the broker tries them for one request: routes whose circuit is
   * open left out (unless all are), lowest priority first, one route per priority drawn by weight
   * from the request id, the others following as failover targets.
   *
   * @param routes the model's routes
   * @param circuitOpen whether a route's circuit is open
   * @param requestId the request's id (the draw's seed)
   * @return the routes to try, in order
   */
  public static List<Route> routeOrder(
      List<RouteOption> routes, Predicate<Route> circuitOpen, String requestId) {
    return Router.order(routes, circuitOpen, requestId);
  }

  /**
   * One tenant's quota ledger (requests and tokens per minute, concurrency, daily and monthly
   * budgets) under its policy, as the broker keeps it in its usage store.
   */
  public static final class QuotaLedgerProbe {

    private final EffectivePolicy policy;
    private final PriceCatalog prices;
    private final TenantUsage usage;

    /**
     * An empty ledger.
     *
     * @param policy the tenant's policy (null: the defaults alone)
     * @param defaults the configured defaults its unset limits take
     * @param prices the price catalog demands are priced with
     * @param now the time the ledger's windows start at
     */
    public QuotaLedgerProbe(
        TenantPolicy policy, TenantDefaults defaults, PriceCatalog prices, Instant now) {
      this.policy = EffectivePolicy.of(policy, defaults);
      this.prices = prices;
      this.usage = QuotaLedger.empty(now);
    }

    /**
     * What the broker does to the ledger for one request: rolls the windows to {@code now},
     * estimates the request's worst-case demand, checks it against every limit, and if it fits
     * reserves it and settles the reservation with what the call used.
     *
     * @param request the request
     * @param model the model it resolved to
     * @param now the time of admission and of completion
     * @param usedTokens the tokens the call used
     * @param usedCost what the call cost, in USD
     * @return the limit that refused the request, or empty when it was admitted
     */
    public Optional<ReasonCode> admitAndSettle(
        InferenceRequest request,
        ModelDefinition model,
        Instant now,
        long usedTokens,
        BigDecimal usedCost) {
      QuotaLedger.roll(usage, now);
      Demand demand = Demands.of(request, model, prices, now);
      Optional<QuotaLedger.Refusal> refusal = QuotaLedger.check(usage, policy, demand, now);
      if (refusal.isPresent()) {
        return refusal.map(QuotaLedger.Refusal::reason);
      }
      QuotaLedger.reserve(usage, demand);
      QuotaLedger.settle(usage, demand, now, usedTokens, usedCost);
      return Optional.empty();
    }
  }

  /**
   * A processor that passes every record on unchanged and, with {@code exactlyOnce}, asks for a
   * commit when its stream thread goes quiet as the broker's processors do ({@link
   * CommitWhenIdle}): the hops of the broker with no work in them, for the bench's empty pipeline.
   */
  public static <K, V> ProcessorSupplier<K, V, K, V> passOn(boolean exactlyOnce) {
    return () ->
        new Processor<>() {
          private ProcessorContext<K, V> context;
          private CommitWhenIdle commitWhenIdle;

          @Override
          public void init(ProcessorContext<K, V> context) {
            this.context = context;
            this.commitWhenIdle = CommitWhenIdle.of(context, exactlyOnce);
          }

          @Override
          public void process(Record<K, V> record) {
            context.forward(record);
            commitWhenIdle.processed();
          }
        };
  }
}
