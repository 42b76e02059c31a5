package io.aibroker.broker;

import io.aibroker.records.InferenceRequest;
import io.aibroker.records.InferenceResult;
import io.aibroker.records.ResultStatus;
import io.aibroker.records.Timings;
import java.time.Instant;

/** Results for requests answered by another request's work (duplicates, coalesced, cache hits). */
final class Waiters {

  private Waiters() {}

  /**
   * The result a waiting request gets: the original's outcome under its own id, tenant and
   * metadata, naming the request whose work answered it.
   *
   * @param original the result of the request that did the work
   * @param waiter the request being answered
   * @param servedFromContent true for cache hits and coalescing (no provider call of its own)
   */
  static InferenceResult answer(
      InferenceResult original, InferenceRequest waiter, boolean servedFromContent, Instant now) {
    InferenceResult copy = InferenceResult.newBuilder(original).build();
    copy.setRequestId(waiter.getRequestId());
    copy.setTenantId(waiter.getTenantId());
    copy.setMetadata(waiter.getMetadata());
    copy.setDuplicateOf(original.getRequestId());
    copy.setCompletedAt(now);
    if (servedFromContent) {
      copy.setCached(original.getStatus() == ResultStatus.SUCCEEDED);
      copy.setAttempts(0);
      copy.setCost(null);
    }
    long total = Results.millisSince(waiter.getCreatedAt(), now);
    copy.setTimings(new Timings(total, 0L, total));
    return copy;
  }
}
