package io.aibroker.broker;

import io.aibroker.records.InferenceRequest;
import io.aibroker.records.InferenceResult;
import io.aibroker.records.ReasonCode;
import io.aibroker.records.ResultStatus;
import io.aibroker.records.UsageEvent;
import io.aibroker.records.internal.CacheEntry;
import io.aibroker.records.internal.InFlightRequest;
import io.aibroker.records.internal.Waiter;
import java.time.Instant;

/**
 * A request's one result: published on the results topic (and the tenant's own and its replyTo,
 * where allowed), remembered under its idempotency key, and handed on to the requests waiting for
 * it. A rejection is not remembered: retrying later may succeed.
 */
final class Answers {

  private final Outputs outputs;
  private final BrokerMetrics metrics;
  private final MeterLabels labels;
  private final TenantTopics tenantTopics;
  private final ReplyTo replyTo;
  private final Idempotency idempotency;
  private final WaitingRoom waitingRoom;
  private final ModelCatalog models;
  private final LivePrices prices;

  Answers(
      Outputs outputs,
      BrokerMetrics metrics,
      MeterLabels labels,
      TenantTopics tenantTopics,
      ReplyTo replyTo,
      Idempotency idempotency,
      WaitingRoom waitingRoom,
      ModelCatalog models,
      LivePrices prices) {
    this.outputs = outputs;
    this.metrics = metrics;
    this.labels = labels;
    this.tenantTopics = tenantTopics;
    this.replyTo = replyTo;
    this.idempotency = idempotency;
    this.waitingRoom = waitingRoom;
    this.models = models;
    this.prices = prices;
  }

  /** Ends the request as REJECTED, with when a retry might succeed if known. */
  void reject(InferenceRequest request, Rejection why, Long retryAfterMs, Instant now) {
    InferenceResult result = Results.rejected(request, why, now);
    result.setRetryAfterMs(retryAfterMs);
    publish(request, result);
  }

  /** Ends the request as REJECTED by a limit. */
  void reject(InferenceRequest request, QuotaLedger.Refusal why, Instant now) {
    reject(request, new Rejection(why.reason(), why.message()), why.retryAfterMs(), now);
  }

  /** Ends a queued request as EXPIRED: its deadline passed before capacity freed. */
  void expire(InferenceRequest request, Instant now) {
    InferenceResult result =
        Results.rejected(
            request,
            new Rejection(
                ReasonCode.DEADLINE, "the deadline passed while the request waited for capacity"),
            now);
    result.setStatus(ResultStatus.EXPIRED);
    finish(request, result, null, now);
  }

  /** Answers the request from a cache entry: no cost, what it saved in its usage event. */
  void fromCache(InferenceRequest request, CacheEntry entry, Instant now) {
    InferenceResult hit = Waiters.answer(entry.getCachedResult(), request, true, now);
    hit.setDuplicateOf(null);
    saved(request, hit, now);
    finish(request, hit, null, now);
  }

  /**
   * The usage event of a request answered by other work: what its tokens would have cost, priced
   * now (the version in effect at the hit, which the event names).
   */
  private void saved(InferenceRequest request, InferenceResult answer, Instant now) {
    UsageEvent event =
        UsageEvents.cacheHit(
            request,
            answer,
            prices.catalog().at(now),
            ServiceTiers.ofAnswer(models, request.getModel(), answer),
            now);
    outputs.usage(event);
    metrics.saved(request.getTenantId(), event.getSavedCost());
  }

  /**
   * Publishes a request's one result, remembers it under its key, and answers its waiters (each of
   * which is finished the same way).
   *
   * @param known the request's fingerprints if already taken (a waiter's request no longer has the
   *     content to take them from), else null
   */
  void finish(InferenceRequest request, InferenceResult result, Fingerprints known, Instant now) {
    publish(request, result);
    idempotency.remember(
        request, known != null ? known : idempotency.fingerprintsOf(request), now, result);
    answerWaiters(request, result, now);
  }

  /**
   * Publishes the one result of a request that was in flight, answers its waiters, then remembers
   * it and ends its in-flight entry ({@link Idempotency#rememberDone}).
   */
  void finishDone(InFlightRequest running, InferenceResult result, Instant now) {
    InferenceRequest request = running.getDispatch().getRequest();
    publish(request, result);
    answerWaiters(request, result, now);
    idempotency.rememberDone(running, result, now);
  }

  private void answerWaiters(InferenceRequest request, InferenceResult result, Instant now) {
    for (Waiter waiter : waitingRoom.release(request.getRequestId())) {
      InferenceRequest other = waiter.getRequest();
      InferenceResult answer = Waiters.answer(result, other, waiter.getCoalesced(), now);
      if (waiter.getCoalesced() && result.getStatus() == ResultStatus.SUCCEEDED) {
        saved(other, answer, now);
      }
      waitingRoom.answered(waiter, now);
      Fingerprints waiting =
          waiter.getFingerprint() == null
              ? null
              : new Fingerprints(waiter.getFingerprint(), waiter.getContentFingerprint());
      finish(other, answer, waiting, now);
    }
  }

  private void publish(InferenceRequest request, InferenceResult result) {
    boolean ownTopics = tenantTopics.has(request.getTenantId());
    outputs.result(result, replyTo.target(request, ownTopics), ownTopics);
    metrics.result(result, labels.model(request), labels.tenant(request));
  }
}
