package io.aibroker.broker;

import io.aibroker.records.DispatchRequest;
import io.aibroker.records.InferenceRequest;
import io.aibroker.records.InferenceResult;
import io.aibroker.records.ProviderOutcome;
import io.aibroker.records.ResultStatus;
import io.aibroker.records.Timings;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;

/** Builds the terminal results the broker publishes. */
final class Results {

  private Results() {}

  static InferenceResult rejected(InferenceRequest request, Rejection rejection, Instant now) {
    return base(request, now)
        .setStatus(ResultStatus.REJECTED)
        .setReason(rejection.reason())
        .setMessage(rejection.message())
        .build();
  }

  static InferenceResult succeeded(
      DispatchRequest dispatch, ProviderOutcome outcome, BigDecimal cost, Instant now) {
    return fromOutcome(dispatch, outcome, now)
        .setStatus(ResultStatus.SUCCEEDED)
        .setOutput(outcome.getOutput())
        .setUsage(outcome.getUsage())
        .setCost(cost)
        .build();
  }

  /** A failed provider call's result: FAILED, or EXPIRED when the request's deadline has passed. */
  static InferenceResult failed(DispatchRequest dispatch, ProviderOutcome outcome, Instant now) {
    boolean expired = dispatch.getDeadline() != null && !now.isBefore(dispatch.getDeadline());
    ResultStatus status = expired ? ResultStatus.EXPIRED : ResultStatus.FAILED;
    var error = outcome.getError();
    return fromOutcome(dispatch, outcome, now)
        .setStatus(status)
        .setReason(ReasonCodes.of(status, error))
        .setMessage(error == null ? "provider call failed" : error.getMessage())
        .setRetryAfterMs(error == null ? null : error.getRetryAfterMs())
        .build();
  }

  private static InferenceResult.Builder fromOutcome(
      DispatchRequest dispatch, ProviderOutcome outcome, Instant now) {
    InferenceRequest request = dispatch.getRequest();
    long totalMs = millisSince(request.getCreatedAt(), now);
    long providerMs = outcome.getProviderMs();
    return base(request, now)
        .setProvider(outcome.getRoute().getProvider())
        .setProviderModel(outcome.getRoute().getProviderModel())
        .setAttempts(dispatch.getPriorCalls() + outcome.getCalls())
        .setTimings(new Timings(Math.max(0, totalMs - providerMs), providerMs, totalMs));
  }

  private static InferenceResult.Builder base(InferenceRequest request, Instant now) {
    return InferenceResult.newBuilder()
        .setRequestId(nonNull(request.getRequestId()))
        .setTenantId(nonNull(request.getTenantId()))
        .setMetadata(request.getMetadata())
        .setCompletedAt(now);
  }

  /**
   * Milliseconds from a producer-chosen instant to now, at least 0: a createdAt far in the past
   * (e.g. Long.MIN_VALUE ms) would overflow {@code Duration.toMillis()} and leave the request
   * without a result, so the span is capped.
   */
  static long millisSince(Instant createdAt, Instant now) {
    try {
      return Math.max(0, Duration.between(createdAt, now).toMillis());
    } catch (ArithmeticException e) {
      return Long.MAX_VALUE;
    }
  }

  private static String nonNull(String value) {
    return value == null ? "" : value;
  }
}
