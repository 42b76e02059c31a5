package io.aibroker.app.cli;

import io.aibroker.money.Usd;
import io.aibroker.records.OverLimitAction;
import io.aibroker.records.TenantCachePolicy;
import io.aibroker.records.TenantPolicy;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * The changes {@code aibroker tenants set} makes to a tenant policy. A null setting keeps the
 * current value; a {@link TenantField cleared} one falls back to the configured default. The
 * constructor validates every value, so a change that exists can always be applied.
 *
 * @param requestsPerMinute new requests-per-minute limit
 * @param tokensPerMinute new tokens-per-minute limit
 * @param maxConcurrent new limit of requests in flight
 * @param dailyBudgetUsd new daily budget in USD
 * @param monthlyBudgetUsd new monthly budget in USD
 * @param overLimit new over-limit action
 * @param allowedModels new list of allowed models (replaces the old one)
 * @param cacheTtl new default cache TTL (whole seconds)
 * @param cacheShared whether the tenant shares its cache
 * @param cleared settings to reset to their defaults
 */
public record TenantPolicyChange(
    Integer requestsPerMinute,
    Long tokensPerMinute,
    Integer maxConcurrent,
    BigDecimal dailyBudgetUsd,
    BigDecimal monthlyBudgetUsd,
    OverLimitAction overLimit,
    List<String> allowedModels,
    Duration cacheTtl,
    Boolean cacheShared,
    Set<TenantField> cleared) {

  /** Integer digits a decimal(24, 10) amount can hold. */
  private static final int MAX_USD_INTEGER_DIGITS = 24 - Usd.SCALE;

  /** Validates the values and that nothing is both set and cleared. */
  public TenantPolicyChange {
    positive("--rpm", requestsPerMinute);
    positive("--tpm", tokensPerMinute);
    positive("--max-concurrent", maxConcurrent);
    dailyBudgetUsd = usd("--daily-budget-usd", dailyBudgetUsd);
    monthlyBudgetUsd = usd("--monthly-budget-usd", monthlyBudgetUsd);
    allowedModels = models(allowedModels);
    checkTtl(cacheTtl);
    cleared = cleared == null || cleared.isEmpty() ? Set.of() : Set.copyOf(cleared);
    notBoth(TenantField.RPM, requestsPerMinute, cleared);
    notBoth(TenantField.TPM, tokensPerMinute, cleared);
    notBoth(TenantField.MAX_CONCURRENT, maxConcurrent, cleared);
    notBoth(TenantField.DAILY_BUDGET_USD, dailyBudgetUsd, cleared);
    notBoth(TenantField.MONTHLY_BUDGET_USD, monthlyBudgetUsd, cleared);
    notBoth(TenantField.OVER_LIMIT, overLimit, cleared);
    notBoth(TenantField.ALLOWED_MODELS, allowedModels, cleared);
    notBoth(TenantField.CACHE_TTL, cacheTtl, cleared);
    notBoth(TenantField.CACHE_SHARED, cacheShared, cleared);
  }

  /**
   * The policy after this change.
   *
   * @param current the tenant's current policy, or null for a new tenant
   * @param tenantId the tenant
   * @param now when the change is made (the policy's {@code updatedAt})
   */
  public TenantPolicy applyTo(TenantPolicy current, String tenantId, Instant now) {
    Instant updatedAt = now.truncatedTo(ChronoUnit.MILLIS);
    // A new tenant starts from the schema's defaults (REJECT, all models, no limits).
    TenantPolicy base =
        current != null
            ? current
            : TenantPolicy.newBuilder().setTenantId(tenantId).setUpdatedAt(updatedAt).build();
    return TenantPolicy.newBuilder(base)
        .setTenantId(tenantId)
        .setUpdatedAt(updatedAt)
        .setRequestsPerMinute(
            pick(TenantField.RPM, requestsPerMinute, base.getRequestsPerMinute(), null))
        .setTokensPerMinute(pick(TenantField.TPM, tokensPerMinute, base.getTokensPerMinute(), null))
        .setMaxConcurrent(
            pick(TenantField.MAX_CONCURRENT, maxConcurrent, base.getMaxConcurrent(), null))
        .setDailyBudgetUsd(
            pick(TenantField.DAILY_BUDGET_USD, dailyBudgetUsd, base.getDailyBudgetUsd(), null))
        .setMonthlyBudgetUsd(
            pick(
                TenantField.MONTHLY_BUDGET_USD, monthlyBudgetUsd, base.getMonthlyBudgetUsd(), null))
        .setOverLimit(
            pick(TenantField.OVER_LIMIT, overLimit, base.getOverLimit(), OverLimitAction.REJECT))
        .setAllowedModels(
            pick(TenantField.ALLOWED_MODELS, allowedModels, base.getAllowedModels(), List.of()))
        .setCache(cache(base.getCache()))
        .build();
  }

  private TenantCachePolicy cache(TenantCachePolicy current) {
    Integer currentTtl = current == null ? null : current.getDefaultTtlSeconds();
    boolean currentShared = current != null && current.getShared();
    Integer ttl =
        pick(
            TenantField.CACHE_TTL,
            cacheTtl == null ? null : (int) cacheTtl.toSeconds(),
            currentTtl,
            null);
    boolean shared = pick(TenantField.CACHE_SHARED, cacheShared, currentShared, false);
    // All defaults: store no cache section, which means exactly that.
    return ttl == null && !shared ? null : new TenantCachePolicy(ttl, shared);
  }

  private <T> T pick(TenantField field, T given, T current, T cleared) {
    if (given != null) {
      return given;
    }
    return this.cleared.contains(field) ? cleared : current;
  }

  private static void notBoth(TenantField field, Object value, Set<TenantField> cleared) {
    if (value != null && cleared.contains(field)) {
      throw new IllegalArgumentException(
          "--"
              + field.optionName()
              + " and --clear "
              + field.optionName()
              + " contradict each other; give one of them");
    }
  }

  private static void positive(String option, Number value) {
    if (value != null && value.longValue() <= 0) {
      throw new IllegalArgumentException(option + " must be a positive whole number, was " + value);
    }
  }

  private static BigDecimal usd(String option, BigDecimal amount) {
    if (amount == null) {
      return null;
    }
    BigDecimal stripped = amount.stripTrailingZeros();
    if (amount.signum() <= 0) {
      throw new IllegalArgumentException(
          option + " must be a positive amount of USD, was " + stripped.toPlainString());
    }
    if (stripped.scale() > Usd.SCALE) {
      throw new IllegalArgumentException(
          option + " has more than " + Usd.SCALE + " decimal places: " + stripped.toPlainString());
    }
    if (stripped.precision() - stripped.scale() > MAX_USD_INTEGER_DIGITS) {
      throw new IllegalArgumentException(
          option
              + " is too large (at most "
              + MAX_USD_INTEGER_DIGITS
              + " digits before the point)");
    }
    return Usd.of(amount);
  }

  private static List<String> models(List<String> models) {
    if (models == null) {
      return null;
    }
    Set<String> unique = new LinkedHashSet<>();
    for (String model : models) {
      if (model == null || model.isBlank()) {
        throw new IllegalArgumentException(
            "--allowed-models needs model names separated by commas"
                + " (use --clear allowed-models to allow every model)");
      }
      unique.add(model.strip());
    }
    return List.copyOf(new ArrayList<>(unique));
  }

  private static void checkTtl(Duration ttl) {
    if (ttl == null) {
      return;
    }
    if (ttl.compareTo(Duration.ofSeconds(1)) < 0) {
      throw new IllegalArgumentException("--cache-ttl must be at least 1s, was " + ttl);
    }
    if (ttl.toNanosPart() != 0) {
      throw new IllegalArgumentException("--cache-ttl must be whole seconds, was " + ttl);
    }
    if (ttl.toSeconds() > Integer.MAX_VALUE) {
      throw new IllegalArgumentException("--cache-ttl is too long: " + ttl);
    }
  }
}
