package io.aibroker.broker;

import io.aibroker.records.OverLimitAction;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.Objects;

/**
 * The policy of a tenant with no record on the tenants topic, and the fallback for each limit a
 * tenant's record leaves empty. A null limit means unlimited.
 *
 * @param requestsPerMinute requests admitted per minute
 * @param tokensPerMinute tokens (estimated at admission, reconciled) per minute
 * @param maxConcurrent requests in flight at once
 * @param dailyBudgetUsd spend per UTC day
 * @param monthlyBudgetUsd spend per UTC month
 * @param overLimit what happens over a limit
 * @param cacheTtl lifetime of cache entries when neither request nor tenant say
 * @param idempotencyWindow how long an idempotency key is remembered
 * @param maxQueued most requests a tenant may have waiting under QUEUE
 */
public record TenantDefaults(
    Integer requestsPerMinute,
    Long tokensPerMinute,
    Integer maxConcurrent,
    BigDecimal dailyBudgetUsd,
    BigDecimal monthlyBudgetUsd,
    OverLimitAction overLimit,
    Duration cacheTtl,
    Duration idempotencyWindow,
    int maxQueued) {

  /** Validates the defaults. */
  public TenantDefaults {
    Objects.requireNonNull(overLimit, "overLimit");
    Objects.requireNonNull(cacheTtl, "cacheTtl");
    Objects.requireNonNull(idempotencyWindow, "idempotencyWindow");
    if (maxQueued < 0) {
      throw new IllegalArgumentException("maxQueued must not be negative");
    }
  }

  /** No limits, REJECT over limits, 1 h cache TTL, 24 h idempotency window. */
  public static TenantDefaults unlimited() {
    return new TenantDefaults(
        null,
        null,
        null,
        null,
        null,
        OverLimitAction.REJECT,
        Duration.ofHours(1),
        Duration.ofHours(24),
        10_000);
  }
}
