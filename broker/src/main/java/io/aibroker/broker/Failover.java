package io.aibroker.broker;

import io.aibroker.records.DispatchRequest;
import io.aibroker.records.ErrorClass;
import io.aibroker.records.ProviderOutcome;
import io.aibroker.records.Route;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * When a failed provider call is tried on the next route instead of ending the request: the error
 * is retryable, a fallback route is left, and the deadline has not passed. The next dispatch is the
 * same request on the first remaining fallback, one attempt later.
 */
final class Failover {

  private Failover() {}

  /** True when the failed outcome of {@code dispatch} should be tried on its next route. */
  static boolean possible(DispatchRequest dispatch, ProviderOutcome outcome, Instant now) {
    var error = outcome.getError();
    boolean retryable = error != null && error.getErrorClass() == ErrorClass.RETRYABLE;
    boolean beforeDeadline = dispatch.getDeadline() == null || now.isBefore(dispatch.getDeadline());
    return retryable && !dispatch.getFallbacks().isEmpty() && beforeDeadline;
  }

  /**
   * The dispatch to the first fallback route; the remaining fallbacks stay in order, and the calls
   * the failed attempt made are carried, so the result can count every call.
   */
  static DispatchRequest next(DispatchRequest current, ProviderOutcome failed, Instant now) {
    List<Route> fallbacks = current.getFallbacks();
    return DispatchRequest.newBuilder(current)
        .setRoute(fallbacks.getFirst())
        .setFallbacks(new ArrayList<>(fallbacks.subList(1, fallbacks.size())))
        .setAttempt(current.getAttempt() + 1)
        .setPriorCalls(current.getPriorCalls() + failed.getCalls())
        .setDispatchedAt(now)
        .build();
  }
}
