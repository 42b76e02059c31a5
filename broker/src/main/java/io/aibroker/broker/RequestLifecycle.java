package io.aibroker.broker;

import io.aibroker.broker.Idempotency.Dedupe;
import io.aibroker.broker.QuotaAdmission.Decision;
import io.aibroker.records.DispatchRequest;
import io.aibroker.records.InferenceRequest;
import io.aibroker.records.InferenceResult;
import io.aibroker.records.ProviderOutcome;
import io.aibroker.records.internal.InFlightRequest;
import java.time.Instant;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * A request's way through the broker, on the task that owns its tenant, as a sequence of the
 * broker's rules ({@link BrokerRules}, one class each): checks; its tenant's policy and its model,
 * resolved once and passed on; dedupe by idempotency key; the response cache or an identical
 * request in flight; quotas (or the queue); dispatch. The outcome either fails over or ends the
 * request: it is settled against the reservation and becomes one result and one usage event; the
 * tenant's queued requests are then admitted as they fit.
 */
final class RequestLifecycle {

  private final BrokerConfig config;
  private final BrokerStores stores;
  private final Outputs outputs;
  private final BrokerMetrics metrics;
  private final Consumer<String> onQueued;
  private final BrokerRules rules;
  private final LivePrices prices;

  /**
   * The lifecycle over one task's stores; {@code onQueued} hears of each tenant that queues; prices
   * are the configured ones overlaid by the prices table, which {@code priceTable} says changed.
   */
  RequestLifecycle(
      BrokerConfig config,
      PriceTable priceTable,
      BrokerStores stores,
      Outputs outputs,
      BrokerMetrics metrics,
      ReplyTopics replyTopics,
      Consumer<String> onQueued) {
    this.config = config;
    this.stores = stores;
    this.outputs = outputs;
    this.metrics = metrics;
    this.onQueued = onQueued;
    this.prices = new LivePrices(config.prices(), stores.prices(), priceTable);
    this.rules = BrokerRules.of(config, stores, outputs, metrics, replyTopics, prices);
  }

  /** Admits a request: answers it at once, or queues or dispatches it. */
  void admit(InferenceRequest request, Instant now) {
    rules.idempotency().refuseReusedRequestId(request, now);
    if (rejected(request, rules.checks().check(request, now), now)) {
      return;
    }
    EffectivePolicy policy = policy(request.getTenantId());
    ModelDefinition model = config.models().resolve(request.getModel()).orElseThrow();
    if (rejected(request, RequestChecks.modelAllowed(request, model, policy), now)
        || deduplicated(request, policy, now)) {
      return;
    }
    String cacheKey = ResponseCache.key(request, model, policy);
    if (ResponseCache.looksUp(request)
        && (answeredFromCache(request, cacheKey, policy, now)
            || rules.coalescing().join(request, cacheKey, policy, now))) {
      return;
    }
    switch (rules.quota().admit(request, model, policy, now)) {
      case Decision.Admitted(Demand demand) ->
          rules.dispatcher().dispatch(request, model, policy, cacheKey, demand, now);
      case Decision.Queued() -> {
        onQueued.accept(request.getTenantId());
        rules.idempotency().rememberPending(request, now);
      }
      case Decision.Refused(QuotaLedger.Refusal why) -> rules.answers().reject(request, why, now);
    }
  }

  private boolean rejected(InferenceRequest request, Optional<Rejection> why, Instant now) {
    why.ifPresent(rejection -> rules.answers().reject(request, rejection, null, now));
    return why.isPresent();
  }

  /** True when the request's idempotency key settled it: it is answered, waits, or is refused. */
  private boolean deduplicated(InferenceRequest request, EffectivePolicy policy, Instant now) {
    switch (rules.idempotency().dedupe(request, policy, now)) {
      case Dedupe.New() -> {
        return false;
      }
      case Dedupe.Redelivered() -> {}
      case Dedupe.Waiting() -> {}
      case Dedupe.Conflict(Rejection why) -> rules.answers().reject(request, why, null, now);
      case Dedupe.Answered(InferenceResult answer, Fingerprints fingerprints) ->
          rules.answers().finish(request, answer, fingerprints, now);
      case Dedupe.Refused(QuotaLedger.Refusal why) -> rules.answers().reject(request, why, now);
    }
    return true;
  }

  private boolean answeredFromCache(
      InferenceRequest request, String cacheKey, EffectivePolicy policy, Instant now) {
    var entry = rules.cache().lookup(request, cacheKey, policy, now);
    entry.ifPresent(hit -> rules.answers().fromCache(request, hit, now));
    return entry.isPresent();
  }

  /**
   * Completes the request of a provider outcome: fails it over to its next route, or settles it and
   * publishes its one result. Outcomes arrive at least once: a stale one is dropped.
   */
  void complete(ProviderOutcome outcome, Instant now) {
    InFlightRequest inFlight = stores.inFlight().get(outcome.getRequestId());
    if (inFlight == null
        || inFlight.getFinalResult() != null
        || inFlight.getDispatch().getAttempt() != outcome.getAttempt()) {
      return; // a redelivered outcome of a request already completed or failed over
    }
    DispatchRequest dispatch = inFlight.getDispatch();
    if (!outcome.getSuccess() && Failover.possible(dispatch, outcome, now)) {
      rules.dispatcher().failOver(inFlight, outcome, now);
      return;
    }
    String tenant = dispatch.getTenantId();
    EffectivePolicy policy = policy(tenant);
    // priced by the version in effect when the worker completed the call: a replayed outcome is
    // priced the same, whatever the clock says when it is replayed
    PriceVersion version = prices.catalog().at(outcome.getCompletedAt());
    Demand used = Demands.used(outcome, version);
    InferenceResult result;
    if (outcome.getSuccess()) {
      result = Results.succeeded(dispatch, outcome, used.cost(), now);
      outputs.usage(UsageEvents.billed(dispatch, outcome, used.cost(), version, now));
      metrics.spend(tenant, dispatch.getRequest().getModel(), used.cost());
      rules.cache().fill(inFlight, result, used.cost(), policy, now);
    } else {
      result = Results.failed(dispatch, outcome, now);
    }
    rules.dispatcher().ended(outcome.getRequestId(), inFlight);
    rules.quota().settle(inFlight, used, now);
    rules.answers().finishDone(inFlight, result, now);
    drainQueue(tenant, policy, now);
  }

  /** Admits queued requests of the tenant, oldest first, while they fit; expires overdue ones. */
  void drainQueue(String tenant, Instant now) {
    drainQueue(tenant, policy(tenant), now);
  }

  private void drainQueue(String tenant, EffectivePolicy policy, Instant now) {
    rules
        .queue()
        .drain(
            tenant,
            policy,
            now,
            request -> rules.answers().expire(request, now),
            (request, model, demand) ->
                rules.dispatcher().dispatch(request, model, policy, null, demand, now));
  }

  private EffectivePolicy policy(String tenant) {
    return EffectivePolicy.of(stores.policies().get(tenant), config.tenantDefaults());
  }
}
