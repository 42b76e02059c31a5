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
 * A request's way through the broker, on the task that owns its tenant, one rule after another:
 * checks, then its tenant's policy (resolved once), dedupe by idempotency key, the response cache
 * or an identical request in flight, quotas (or the queue), dispatch. Its outcome is settled
 * against the reservation and becomes one result and one usage event; the tenant's queued requests
 * are then admitted as they fit.
 */
final class RequestLifecycle {

  private final BrokerConfig config;
  private final BrokerStores stores;
  private final Outputs outputs;
  private final BrokerMetrics metrics;
  private final Consumer<String> onQueued;
  private final RequestChecks checks;
  private final Idempotency idempotency;
  private final ResponseCache cache;
  private final Coalescing coalescing;
  private final TenantQueue queue;
  private final QuotaAdmission quota;
  private final Dispatcher dispatcher;
  private final Answers answers;

  /** The lifecycle over one task's stores; {@code onQueued} hears of each tenant that queues. */
  RequestLifecycle(
      BrokerConfig config,
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
    var replyTo =
        new ReplyTo(
            new ReplyToRules(
                config.topics(), config.applicationId(), config.limits().replyToTenantTopicOnly()),
            replyTopics);
    var tenantTopics = new TenantTopics(config.topics(), stores.policies(), replyTopics);
    var validator = new RequestValidator(config.limits(), config.models());
    var unknownTenants = config.tenancy().unknownTenants();
    checks = new RequestChecks(validator, unknownTenants, stores.policies(), tenantTopics, replyTo);
    var waitingRoom = new WaitingRoom(config.tenancy(), stores.waiters(), stores.usage());
    var window = config.tenantDefaults().idempotencyWindow();
    idempotency =
        new Idempotency(stores.idempotency(), stores.inFlight(), waitingRoom, window, metrics);
    cache = new ResponseCache(stores.cache(), stores.sharedCache(), outputs, metrics);
    coalescing =
        new Coalescing(
            stores.contentLeaders(), stores.inFlight(), waitingRoom, idempotency, metrics);
    int maxQueued = config.tenantDefaults().maxQueued();
    queue = new TenantQueue(stores.usage(), config.models(), config.prices(), maxQueued);
    quota = new QuotaAdmission(stores.usage(), config.prices(), queue, metrics);
    dispatcher =
        new Dispatcher(
            stores.inFlight(), stores.health(), tenantTopics, coalescing, idempotency, outputs);
    var labels = new MeterLabels(config, stores.policies());
    String prices = config.prices().version();
    answers =
        new Answers(
            outputs, metrics, labels, tenantTopics, replyTo, idempotency, waitingRoom, prices);
  }

  /** Admits a request: answers it at once, or queues or dispatches it. */
  void admit(InferenceRequest request, Instant now) {
    idempotency.refuseReusedRequestId(request);
    if (rejected(request, checks.check(request, now), now)) {
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
            || coalescing.join(request, cacheKey, policy, now))) {
      return;
    }
    switch (quota.admit(request, model, policy, now)) {
      case Decision.Admitted(Demand demand) ->
          dispatcher.dispatch(request, model, policy, cacheKey, demand, now);
      case Decision.Queued() -> {
        onQueued.accept(request.getTenantId());
        idempotency.rememberPending(request, now);
      }
      case Decision.Refused(QuotaLedger.Refusal why) -> answers.reject(request, why, now);
    }
  }

  private boolean rejected(InferenceRequest request, Optional<Rejection> why, Instant now) {
    why.ifPresent(rejection -> answers.reject(request, rejection, null, now));
    return why.isPresent();
  }

  /** True when the request's idempotency key settled it: it is answered, waits, or is refused. */
  private boolean deduplicated(InferenceRequest request, EffectivePolicy policy, Instant now) {
    switch (idempotency.dedupe(request, policy, now)) {
      case Dedupe.New() -> {
        return false;
      }
      case Dedupe.Redelivered() -> {}
      case Dedupe.Waiting() -> {}
      case Dedupe.Conflict(Rejection why) -> answers.reject(request, why, null, now);
      case Dedupe.Answered(InferenceResult answer, Fingerprints fingerprints) ->
          answers.finish(request, answer, fingerprints, now);
      case Dedupe.Refused(QuotaLedger.Refusal why) -> answers.reject(request, why, now);
    }
    return true;
  }

  private boolean answeredFromCache(
      InferenceRequest request, String cacheKey, EffectivePolicy policy, Instant now) {
    var entry = cache.lookup(request, cacheKey, policy, now);
    entry.ifPresent(hit -> answers.fromCache(request, hit, now));
    return entry.isPresent();
  }

  /**
   * Completes the request of a provider outcome: fails it over to its next route, or settles it and
   * publishes its one result. Outcomes arrive at least once: a stale one is dropped.
   */
  void complete(ProviderOutcome outcome, Instant now) {
    InFlightRequest inFlight = stores.inFlight().get(outcome.getRequestId());
    if (inFlight == null || inFlight.getDispatch().getAttempt() != outcome.getAttempt()) {
      return; // a redelivered outcome of a request already completed or failed over
    }
    DispatchRequest dispatch = inFlight.getDispatch();
    if (!outcome.getSuccess() && Failover.possible(dispatch, outcome, now)) {
      dispatcher.failOver(inFlight, now);
      return;
    }
    String tenant = dispatch.getTenantId();
    EffectivePolicy policy = policy(tenant);
    Demand used = Demands.used(outcome, config.prices());
    InferenceResult result;
    if (outcome.getSuccess()) {
      result = Results.succeeded(dispatch, outcome, used.cost(), now);
      outputs.usage(
          UsageEvents.billed(dispatch, outcome, used.cost(), config.prices().version(), now));
      metrics.spend(tenant, dispatch.getRequest().getModel(), used.cost());
      cache.fill(inFlight, result, used.cost(), policy, now);
    } else {
      result = Results.failed(dispatch, outcome, now);
    }
    dispatcher.ended(outcome.getRequestId(), inFlight);
    quota.settle(inFlight, used, now);
    answers.finish(dispatch.getRequest(), result, null, now);
    drainQueue(tenant, policy, now);
  }

  /** Admits queued requests of the tenant, oldest first, while they fit; expires overdue ones. */
  void drainQueue(String tenant, Instant now) {
    drainQueue(tenant, policy(tenant), now);
  }

  private void drainQueue(String tenant, EffectivePolicy policy, Instant now) {
    queue.drain(
        tenant,
        policy,
        now,
        request -> answers.expire(request, now),
        (request, model, demand) -> dispatcher.dispatch(request, model, policy, null, demand, now));
  }

  private EffectivePolicy policy(String tenant) {
    return EffectivePolicy.of(stores.policies().get(tenant), config.tenantDefaults());
  }
}
