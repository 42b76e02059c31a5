package io.aibroker.broker;

import io.aibroker.records.OverLimitAction;
import io.aibroker.records.TenantPolicy;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.List;

/**
 * A tenant's policy with the configured defaults filled in. Null limits are unlimited.
 *
 * @param requestsPerMinute RPM limit
 * @param tokensPerMinute TPM limit
 * @param maxConcurrent concurrency limit
 * @param dailyBudgetUsd daily budget
 * @param monthlyBudgetUsd monthly budget
 * @param overLimit REJECT or QUEUE
 * @param allowedModels models the tenant may use; empty = all
 * @param cacheTtl default cache entry lifetime
 * @param sharedCache whether the tenant shares cache entries with other sharing tenants
 */
record EffectivePolicy(
    Integer requestsPerMinute,
    Long tokensPerMinute,
    Integer maxConcurrent,
    BigDecimal dailyBudgetUsd,
    BigDecimal monthlyBudgetUsd,
    OverLimitAction overLimit,
    List<String> allowedModels,
    Duration cacheTtl,
    boolean sharedCache) {

  static EffectivePolicy of(TenantPolicy policy, TenantDefaults defaults) {
    if (policy == null) {
      return new EffectivePolicy(
          defaults.requestsPerMinute(),
          defaults.tokensPerMinute(),
          defaults.maxConcurrent(),
          defaults.dailyBudgetUsd(),
          defaults.monthlyBudgetUsd(),
          defaults.overLimit(),
          List.of(),
          defaults.cacheTtl(),
          false);
    }
    var cache = policy.getCache();
    Integer ttlSeconds = cache == null ? null : cache.getDefaultTtlSeconds();
    return new EffectivePolicy(
        or(policy.getRequestsPerMinute(), defaults.requestsPerMinute()),
        or(policy.getTokensPerMinute(), defaults.tokensPerMinute()),
        or(policy.getMaxConcurrent(), defaults.maxConcurrent()),
        or(policy.getDailyBudgetUsd(), defaults.dailyBudgetUsd()),
        or(policy.getMonthlyBudgetUsd(), defaults.monthlyBudgetUsd()),
        policy.getOverLimit(),
        policy.getAllowedModels(),
        ttlSeconds == null ? defaults.cacheTtl() : Duration.ofSeconds(ttlSeconds),
        cache != null && cache.getShared());
  }

  boolean allows(String model) {
    return allowedModels.isEmpty() || allowedModels.contains(model);
  }

  private static <T> T or(T value, T fallback) {
    return value != null ? value : fallback;
  }
}
