package io.aibroker.broker;

import io.aibroker.money.Usd;
import io.aibroker.records.CacheMode;
import io.aibroker.records.CircuitState;
import io.aibroker.records.DispatchRequest;
import io.aibroker.records.ErrorClass;
import io.aibroker.records.InferenceRequest;
import io.aibroker.records.InferenceResult;
import io.aibroker.records.OverLimitAction;
import io.aibroker.records.ProviderOutcome;
import io.aibroker.records.ReasonCode;
import io.aibroker.records.ResultStatus;
import io.aibroker.records.Route;
import io.aibroker.records.internal.CacheEntry;
import io.aibroker.records.internal.IdempotencyEntry;
import io.aibroker.records.internal.InFlightRequest;
import io.aibroker.records.internal.TenantUsage;
import io.aibroker.records.internal.Waiter;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * A request's way through the broker, on the task that owns its tenant: validate, dedupe by
 * idempotency key, answer from cache or join an identical request in flight, admit against quotas
 * and budgets (or queue), dispatch; then turn the outcome into one result and one usage event, fill
 * the cache, settle the reservation, answer the waiters and admit queued work.
 */
final class RequestLifecycle {

  private final BrokerConfig config;
  private final RequestValidator validator;
  private final BrokerStores stores;
  private final Outputs outputs;
  private final BrokerMetrics metrics;
  private final ReplyTopics replyTopics;
  private final Consumer<String> onQueued;
  private final WaitingRoom waitingRoom;
  private final MeterLabels labels;
  private final TenantTopics tenantTopics;

  /**
   * Most bytes of requests a tenant's queue may hold: the queue lives in the tenant's usage record,
   * which must stay below the record size the broker can write ({@link
   * BrokerConfig#CARRIER_MAX_MESSAGE_BYTES}), or the tenant's task would fail on it for ever.
   */
  static final long MAX_QUEUED_BYTES = BrokerConfig.CARRIER_MAX_MESSAGE_BYTES / 2;

  private final ReplyToRules replyToRules;

  RequestLifecycle(
      BrokerConfig config,
      BrokerStores stores,
      Outputs outputs,
      BrokerMetrics metrics,
      ReplyTopics replyTopics) {
    this(config, stores, outputs, metrics, replyTopics, tenant -> {});
  }

  /** As above; {@code onQueued} hears of each tenant a request is queued for. */
  RequestLifecycle(
      BrokerConfig config,
      BrokerStores stores,
      Outputs outputs,
      BrokerMetrics metrics,
      ReplyTopics replyTopics,
      Consumer<String> onQueued) {
    this.onQueued = onQueued;
    this.config = config;
    this.validator = new RequestValidator(config.limits(), config.models());
    this.stores = stores;
    this.outputs = outputs;
    this.metrics = metrics;
    this.replyTopics = replyTopics;
    this.replyToRules =
        new ReplyToRules(
            config.topics(), config.applicationId(), config.limits().replyToTenantTopicOnly());
    this.waitingRoom = new WaitingRoom(config.tenancy(), stores.waiters(), stores.usage());
    this.labels = new MeterLabels(config, stores.policies());
    this.tenantTopics = new TenantTopics(config.topics(), stores.policies(), replyTopics);
  }

  // ---- admission ----------------------------------------------------------------------------

  void admit(InferenceRequest request, Instant now) {
    refuseReusedRequestId(request);
    Optional<Rejection> invalid = validator.validate(request, now);
    if (invalid.isEmpty()) {
      invalid = unknownTenant(request.getTenantId());
    }
    if (invalid.isEmpty()) {
      invalid = replyToRules.check(request.getReplyTo(), request.getTenantId(), ownTopics(request));
    }
    if (invalid.isEmpty()
        && request.getReplyTo() != null
        && !replyTopics.exists(request.getReplyTo())) {
      invalid =
          Optional.of(
              new Rejection(
                  ReasonCode.INVALID_REQUEST,
                  "replyTo topic '" + request.getReplyTo() + "' does not exist"));
    }
    if (invalid.isPresent()) {
      reject(request, invalid.get().reason(), invalid.get().message(), null, now);
      return;
    }
    EffectivePolicy policy = policy(request.getTenantId());
    ModelDefinition model = config.models().resolve(request.getModel()).orElseThrow();
    if (!policy.allows(model.name()) && !policy.allows(request.getModel())) {
      reject(
          request,
          ReasonCode.MODEL_NOT_ALLOWED,
          "tenant " + request.getTenantId() + " may not use model '" + request.getModel() + "'",
          null,
          now);
      return;
    }
    if (answeredByIdempotencyKey(request, policy, now)) {
      return;
    }
    CacheMode mode = cacheMode(request);
    String cacheKey =
        mode == CacheMode.BYPASS ? null : CacheKeys.of(request, model.name(), policy.sharedCache());
    boolean sharedEntry = policy.sharedCache() && !CacheKeys.explicit(request);
    if (mode == CacheMode.DEFAULT
        && (answeredFromCache(request, cacheKey, sharedEntry, now)
            || joinedInFlight(request, cacheKey, policy, now))) {
      return;
    }
    admitWithinLimits(request, model, policy, cacheKey, now);
  }

  /**
   * A requestId names one request: a second request with the same id but other content (or of
   * another tenant, while the first is in flight on this task) gets no result of its own, which
   * would be a second result for that id, and must not join or overwrite the first one's state.
   */
  private void refuseReusedRequestId(InferenceRequest request) {
    String requestId = request.getRequestId();
    if (requestId == null || requestId.isEmpty()) {
      return; // rejected by validation
    }
    String fingerprint = null;
    InFlightRequest inFlight = stores.inFlight().get(requestId);
    if (inFlight != null) {
      InferenceRequest first = inFlight.getDispatch().getRequest();
      fingerprint = RequestFingerprint.of(request);
      if (!first.getTenantId().equals(request.getTenantId())
          || !RequestFingerprint.of(first).equals(fingerprint)) {
        throw reused(requestId);
      }
    }
    IdempotencyEntry entry = stores.idempotency().get(idempotencyStoreKey(request));
    if (entry != null && entry.getRequestId().equals(requestId) && entry.getFingerprint() != null) {
      if (fingerprint == null) {
        fingerprint = RequestFingerprint.of(request);
      }
      if (!entry.getFingerprint().equals(fingerprint)) {
        throw reused(requestId);
      }
    }
  }

  private static UnprocessableRecordException reused(String requestId) {
    return new UnprocessableRecordException(
        "requestId '"
            + requestId
            + "' is already used by a different request; each request needs an id of its own");
  }

  /** With {@code unknown-tenants: reject}, a tenant without a policy is refused. */
  private Optional<Rejection> unknownTenant(String tenant) {
    if (config.tenancy().unknownTenants() == Tenancy.UnknownTenants.REJECT
        && stores.policies().get(tenant) == null) {
      return Optional.of(
          new Rejection(
              ReasonCode.UNKNOWN_TENANT,
              "tenant '"
                  + tenant
                  + "' is not known to this broker (broker.unknown-tenants: reject); an operator"
                  + " registers it with aibroker tenants grant or tenants set"));
    }
    return Optional.empty();
  }

  /**
   * A second request under a key the tenant used before: a true duplicate gets the first one's
   * result (or waits for it); one that asks for other work under the key is a client's mistake, or
   * a probe for another request's answer, and ends IDEMPOTENCY_CONFLICT.
   */
  private boolean answeredByIdempotencyKey(
      InferenceRequest request, EffectivePolicy policy, Instant now) {
    String key = idempotencyStoreKey(request);
    IdempotencyEntry entry = stores.idempotency().get(key);
    if (entry == null) {
      entry = inFlightUnderKey(request, now);
    }
    if (entry == null || !entry.getExpiresAt().isAfter(now)) {
      return false;
    }
    if (entry.getRequestId().equals(request.getRequestId())) {
      return true; // the same request delivered again: it already has (or will get) its result
    }
    Fingerprints fingerprints = Fingerprints.of(request);
    if (waitingRoom.isWaiting(entry.getRequestId(), request.getRequestId(), fingerprints)) {
      return true; // a waiting duplicate delivered again: it will get its answer
    }
    if (entry.getContentFingerprint() != null
        && !entry.getContentFingerprint().equals(fingerprints.content())) {
      reject(
          request,
          ReasonCode.IDEMPOTENCY_CONFLICT,
          "idempotency key '"
              + idempotencyKey(request)
              + "' was used by request '"
              + entry.getRequestId()
              + "' for other work (task, model or content differ); use a new key for new work",
          null,
          now);
      return true;
    }
    if (entry.getFinalResult() != null) {
      metrics.dedupeHit();
      InferenceResult copy = Waiters.answer(entry.getFinalResult(), request, false, now);
      finish(request, copy, fingerprints, now);
      return true;
    }
    var refused = waitingRoom.join(entry.getRequestId(), request, fingerprints, false, policy, now);
    if (refused.isPresent()) {
      metrics.limited(refused.get().reason(), false);
      reject(
          request,
          refused.get().reason(),
          refused.get().message(),
          refused.get().retryAfterMs(),
          now);
      return true;
    }
    // The key stays the original's: every duplicate waits for the original itself, so answering
    // them is one level deep however many there are.
    metrics.dedupeHit();
    return true;
  }

  /**
   * A request in flight whose idempotency key is its own id (the default) has no idempotency entry
   * until its result: its in-flight entry stands in for one (see {@link #dispatch}).
   */
  private IdempotencyEntry inFlightUnderKey(InferenceRequest request, Instant now) {
    String key = idempotencyKey(request);
    InFlightRequest inFlight = stores.inFlight().get(key);
    if (inFlight == null
        || !key.equals(inFlight.getIdempotencyKey())
        || !request.getTenantId().equals(inFlight.getDispatch().getTenantId())) {
      return null;
    }
    return IdempotencyEntry.newBuilder()
        .setRequestId(key)
        .setFinalResult(null)
        .setExpiresAt(now.plus(config.tenantDefaults().idempotencyWindow()))
        .setContentFingerprint(RequestFingerprint.ofContent(inFlight.getDispatch().getRequest()))
        .build();
  }

  private boolean answeredFromCache(
      InferenceRequest request, String cacheKey, boolean shared, Instant now) {
    CacheEntry entry = shared ? stores.sharedCache().get(cacheKey) : stores.cache().get(cacheKey);
    if (entry == null || !entry.getExpiresAt().isAfter(now)) {
      metrics.cache("miss");
      return false;
    }
    metrics.cache("hit");
    InferenceResult hit = Waiters.answer(entry.getCachedResult(), request, true, now);
    hit.setDuplicateOf(null);
    outputs.usage(
        UsageEvents.cacheHit(request, hit, entry.getCost(), config.prices().version(), now));
    metrics.saved(request.getTenantId(), entry.getCost());
    finish(request, hit, null, now);
    return true;
  }

  /**
   * Joins an identical request in flight instead of calling the provider again, if its waiter list
   * has room and the tenant's limits let one more request in; otherwise the request is admitted (or
   * queued, or refused) on its own.
   */
  private boolean joinedInFlight(
      InferenceRequest request, String cacheKey, EffectivePolicy policy, Instant now) {
    String leader = stores.contentLeaders().get(cacheKey);
    if (leader == null || stores.inFlight().get(leader) == null) {
      return false;
    }
    Fingerprints fingerprints = Fingerprints.of(request);
    if (waitingRoom.join(leader, request, fingerprints, true, policy, now).isPresent()) {
      return false;
    }
    metrics.cache("coalesced");
    remember(request, fingerprints, now, null);
    return true;
  }

  private void admitWithinLimits(
      InferenceRequest request,
      ModelDefinition model,
      EffectivePolicy policy,
      String cacheKey,
      Instant now) {
    TenantUsage usage = usage(request.getTenantId(), now);
    Demand demand = Demands.of(request, model, config.prices());
    var refusal = QuotaLedger.check(usage, policy, demand, now);
    boolean queueAhead =
        policy.overLimit() == OverLimitAction.QUEUE && !usage.getQueued().isEmpty();
    if (refusal.isEmpty() && !queueAhead) {
      QuotaLedger.reserve(usage, demand);
      stores.usage().put(request.getTenantId(), usage);
      metrics.reserved(request.getTenantId(), demand.cost());
      dispatch(request, model, cacheKey, demand, now);
    } else if (policy.overLimit() == OverLimitAction.QUEUE
        && usage.getQueued().size() < config.tenantDefaults().maxQueued()
        && queuedBytes(usage) + RequestSizes.estimate(request) <= MAX_QUEUED_BYTES) {
      refusal.ifPresent(r -> metrics.limited(r.reason(), true));
      usage.getQueued().add(request);
      stores.usage().put(request.getTenantId(), usage);
      onQueued.accept(request.getTenantId());
      remember(request, Fingerprints.of(request), now, null);
    } else {
      String queueFull = "the tenant's queue is full (" + usage.getQueued().size() + " requests)";
      var why =
          refusal.orElse(new QuotaLedger.Refusal(ReasonCode.QUOTA_CONCURRENCY, queueFull, null));
      String message =
          refusal.isPresent() && policy.overLimit() == OverLimitAction.QUEUE
              ? why.message() + "; " + queueFull
              : why.message();
      metrics.limited(why.reason(), false);
      reject(request, why.reason(), message, why.retryAfterMs(), now);
    }
  }

  private static long queuedBytes(TenantUsage usage) {
    long bytes = 0;
    for (InferenceRequest queued : usage.getQueued()) {
      bytes += RequestSizes.estimate(queued);
    }
    return bytes;
  }

  private void dispatch(
      InferenceRequest request,
      ModelDefinition model,
      String cacheKey,
      Demand demand,
      Instant now) {
    List<Route> routes = Router.order(model.routes(), this::circuitOpen, request.getRequestId());
    DispatchRequest dispatch =
        DispatchRequest.newBuilder()
            .setRequestId(request.getRequestId())
            .setTenantId(request.getTenantId())
            .setRequest(request)
            .setRoute(routes.getFirst())
            .setAttempt(1)
            .setFallbacks(new ArrayList<>(routes.subList(1, routes.size())))
            .setDeadline(request.getDeadline())
            .setDispatchedAt(now)
            .setTenantTopics(tenantTopics.has(request.getTenantId()))
            .build();
    CacheMode mode = cacheMode(request);
    stores
        .inFlight()
        .put(
            request.getRequestId(),
            InFlightRequest.newBuilder()
                .setDispatch(dispatch)
                .setIdempotencyKey(idempotencyKey(request))
                .setCacheKey(cacheKey)
                .setCacheFill(mode != CacheMode.BYPASS)
                .setCacheTtlSeconds(cacheTtlSeconds(request))
                .setReservedTokens(demand.tokens())
                .setReservedCost(Usd.of(demand.cost()))
                .setReservedAt(now)
                .build());
    if (cacheKey != null && mode == CacheMode.DEFAULT) {
      stores.contentLeaders().put(cacheKey, request.getRequestId());
    }
    if (!idempotencyKey(request).equals(request.getRequestId())) {
      remember(request, Fingerprints.of(request), now, null);
    }
    // else the in-flight entry answers duplicates until finish() remembers the result: one store
    // write (and changelog record) less per request
    outputs.dispatch(dispatch);
  }

  private boolean circuitOpen(Route route) {
    var health = stores.health().get(route.getDeployment());
    return health != null && health.getState() == CircuitState.OPEN;
  }

  // ---- completion ---------------------------------------------------------------------------

  void complete(ProviderOutcome outcome, Instant now) {
    InFlightRequest inFlight = stores.inFlight().get(outcome.getRequestId());
    if (inFlight == null || inFlight.getDispatch().getAttempt() != outcome.getAttempt()) {
      return; // a redelivered outcome of a request already completed or failed over
    }
    DispatchRequest dispatch = inFlight.getDispatch();
    if (!outcome.getSuccess() && canFailOver(dispatch, outcome, now)) {
      failOver(inFlight, now);
      return;
    }
    InferenceResult result;
    BigDecimal cost = Usd.ZERO;
    long tokens = 0;
    if (outcome.getSuccess()) {
      var usage = outcome.getUsage();
      long in = usage == null ? 0 : usage.getInputTokens();
      long out = usage == null ? 0 : usage.getOutputTokens();
      tokens = in + out;
      cost = config.prices().cost(outcome.getRoute().getProviderModel(), in, out);
      result = Results.succeeded(dispatch, outcome, cost, now);
      outputs.usage(UsageEvents.billed(dispatch, outcome, cost, config.prices().version(), now));
      metrics.spend(dispatch.getTenantId(), dispatch.getRequest().getModel(), cost);
      fillCache(inFlight, result, cost, now);
    } else {
      boolean expired = dispatch.getDeadline() != null && !now.isBefore(dispatch.getDeadline());
      result =
          Results.failed(
              dispatch, outcome, expired ? ResultStatus.EXPIRED : ResultStatus.FAILED, now);
    }
    stores.inFlight().delete(outcome.getRequestId());
    if (inFlight.getCacheKey() != null
        && outcome.getRequestId().equals(stores.contentLeaders().get(inFlight.getCacheKey()))) {
      stores.contentLeaders().delete(inFlight.getCacheKey());
    }
    settle(inFlight, tokens, cost, now);
    finish(dispatch.getRequest(), result, null, now);
    drainQueue(dispatch.getTenantId(), now);
  }

  private static boolean canFailOver(
      DispatchRequest dispatch, ProviderOutcome outcome, Instant now) {
    var error = outcome.getError();
    boolean retryable = error != null && error.getErrorClass() == ErrorClass.RETRYABLE;
    boolean beforeDeadline = dispatch.getDeadline() == null || now.isBefore(dispatch.getDeadline());
    return retryable && !dispatch.getFallbacks().isEmpty() && beforeDeadline;
  }

  private void failOver(InFlightRequest inFlight, Instant now) {
    DispatchRequest current = inFlight.getDispatch();
    List<Route> fallbacks = current.getFallbacks();
    DispatchRequest next =
        DispatchRequest.newBuilder(current)
            .setRoute(fallbacks.getFirst())
            .setFallbacks(new ArrayList<>(fallbacks.subList(1, fallbacks.size())))
            .setAttempt(current.getAttempt() + 1)
            .setDispatchedAt(now)
            .build();
    inFlight.setDispatch(next);
    stores.inFlight().put(next.getRequestId(), inFlight);
    outputs.dispatch(next);
  }

  private void fillCache(
      InFlightRequest inFlight, InferenceResult result, BigDecimal cost, Instant now) {
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
    boolean explicitKey = CacheKeys.explicit(inFlight.getDispatch().getRequest());
    if (!explicitKey && policy(inFlight.getDispatch().getTenantId()).sharedCache()) {
      // other sharing tenants live on other partitions: they read it from the global table
      outputs.sharedCacheEntry(inFlight.getCacheKey(), entry);
    } else {
      stores.cache().put(inFlight.getCacheKey(), entry);
    }
  }

  private void settle(InFlightRequest inFlight, long tokens, BigDecimal cost, Instant now) {
    String tenant = inFlight.getDispatch().getTenantId();
    TenantUsage usage = usage(tenant, now);
    QuotaLedger.settle(
        usage,
        new Demand(inFlight.getReservedTokens(), inFlight.getReservedCost()),
        inFlight.getReservedAt(),
        tokens,
        cost);
    stores.usage().put(tenant, usage);
  }

  /** Admits queued requests of the tenant, oldest first, while they fit; expires overdue ones. */
  void drainQueue(String tenant, Instant now) {
    TenantUsage usage = stores.usage().get(tenant);
    if (usage == null || usage.getQueued().isEmpty()) {
      return;
    }
    QuotaLedger.roll(usage, now);
    EffectivePolicy policy = policy(tenant);
    List<InferenceRequest> queue = usage.getQueued();
    while (!queue.isEmpty()) {
      InferenceRequest head = queue.getFirst();
      if (head.getDeadline() != null && !head.getDeadline().isAfter(now)) {
        queue.removeFirst();
        stores.usage().put(tenant, usage);
        expire(head, now);
        continue;
      }
      ModelDefinition model = config.models().resolve(head.getModel()).orElseThrow();
      Demand demand = Demands.of(head, model, config.prices());
      if (QuotaLedger.check(usage, policy, demand, now).isPresent()) {
        break;
      }
      queue.removeFirst();
      QuotaLedger.reserve(usage, demand);
      stores.usage().put(tenant, usage);
      dispatch(head, model, null, demand, now);
    }
    stores.usage().put(tenant, usage);
  }

  private void expire(InferenceRequest request, Instant now) {
    InferenceResult result =
        Results.rejected(
            request,
            new Rejection(
                ReasonCode.DEADLINE, "the deadline passed while the request waited for capacity"),
            now);
    result.setStatus(ResultStatus.EXPIRED);
    finish(request, result, null, now);
  }

  // ---- results ------------------------------------------------------------------------------

  private void reject(
      InferenceRequest request, ReasonCode reason, String message, Long retryAfterMs, Instant now) {
    InferenceResult result = Results.rejected(request, new Rejection(reason, message), now);
    result.setRetryAfterMs(retryAfterMs);
    // A rejection is not remembered under the idempotency key: retrying later may succeed.
    publish(request, result);
  }

  private void publish(InferenceRequest request, InferenceResult result) {
    boolean ownTopics = ownTopics(request);
    outputs.result(result, validReplyTo(request, ownTopics), ownTopics);
    metrics.result(result, labels.model(request), labels.tenant(request));
  }

  /**
   * Publishes a request's one result, remembers it under its key, and answers its waiters.
   *
   * @param known the request's fingerprints if already taken (a waiter's request no longer has the
   *     content to take them from), else null
   */
  private void finish(
      InferenceRequest request, InferenceResult result, Fingerprints known, Instant now) {
    publish(request, result);
    remember(request, known != null ? known : fingerprintsOf(request), now, result);
    for (Waiter waiter : waitingRoom.release(request.getRequestId())) {
      InferenceRequest other = waiter.getRequest();
      InferenceResult answer = Waiters.answer(result, other, waiter.getCoalesced(), now);
      if (waiter.getCoalesced() && result.getStatus() == ResultStatus.SUCCEEDED) {
        BigDecimal saved = result.getCost() == null ? Usd.ZERO : result.getCost();
        outputs.usage(UsageEvents.cacheHit(other, answer, saved, config.prices().version(), now));
        metrics.saved(other.getTenantId(), saved);
      }
      waitingRoom.answered(waiter, now);
      Fingerprints waiting =
          waiter.getFingerprint() == null
              ? null
              : new Fingerprints(waiter.getFingerprint(), waiter.getContentFingerprint());
      finish(other, answer, waiting, now);
    }
  }

  /**
   * The fingerprints remembered for the request when it was admitted, if any (saves hashing its
   * content twice), else taken now.
   */
  private Fingerprints fingerprintsOf(InferenceRequest request) {
    IdempotencyEntry entry = stores.idempotency().get(idempotencyStoreKey(request));
    if (entry != null
        && entry.getRequestId().equals(request.getRequestId())
        && entry.getFingerprint() != null
        && entry.getContentFingerprint() != null) {
      return new Fingerprints(entry.getFingerprint(), entry.getContentFingerprint());
    }
    return Fingerprints.of(request);
  }

  private boolean ownTopics(InferenceRequest request) {
    return tenantTopics.has(request.getTenantId());
  }

  private String validReplyTo(InferenceRequest request, boolean ownTopics) {
    String replyTo = request.getReplyTo();
    return replyTo != null
            && replyToRules.check(replyTo, request.getTenantId(), ownTopics).isEmpty()
            && replyTopics.exists(replyTo)
        ? replyTo
        : null;
  }

  private void remember(
      InferenceRequest request, Fingerprints fingerprints, Instant now, InferenceResult result) {
    stores
        .idempotency()
        .put(
            idempotencyStoreKey(request),
            IdempotencyEntry.newBuilder()
                .setRequestId(request.getRequestId())
                .setFingerprint(fingerprints.full())
                .setContentFingerprint(fingerprints.content())
                .setFinalResult(result)
                .setExpiresAt(now.plus(config.tenantDefaults().idempotencyWindow()))
                .build());
  }

  // ---- helpers ------------------------------------------------------------------------------

  private EffectivePolicy policy(String tenant) {
    return EffectivePolicy.of(stores.policies().get(tenant), config.tenantDefaults());
  }

  private TenantUsage usage(String tenant, Instant now) {
    TenantUsage usage = stores.usage().get(tenant);
    return usage == null ? QuotaLedger.empty(now) : QuotaLedger.roll(usage, now);
  }

  private int cacheTtlSeconds(InferenceRequest request) {
    var cache = request.getCache();
    if (cache != null && cache.getTtlSeconds() != null) {
      return cache.getTtlSeconds();
    }
    return (int) policy(request.getTenantId()).cacheTtl().toSeconds();
  }

  private static CacheMode cacheMode(InferenceRequest request) {
    return request.getCache() == null ? CacheMode.DEFAULT : request.getCache().getMode();
  }

  private static String idempotencyKey(InferenceRequest request) {
    return request.getIdempotencyKey() != null
        ? request.getIdempotencyKey()
        : request.getRequestId();
  }

  private static String idempotencyStoreKey(InferenceRequest request) {
    return request.getTenantId() + '\u0000' + idempotencyKey(request);
  }
}
