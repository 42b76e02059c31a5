package io.aibroker.reliability;

import io.aibroker.money.Usd;
import io.aibroker.records.OverLimitAction;
import io.aibroker.records.TenantPolicy;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * The tenants of a reliability run and their policies: five kinds, in turn, each with one limit set
 * so that the tenant's share of the traffic goes over it, and the overshoot check has something to
 * check.
 *
 * <p>The per-minute limits are a quarter of what a tenant sends in a minute, not a half: a short
 * run sends for less than a minute, and when its sending straddles a minute boundary each window
 * gets only part of it. At half the rate, a 25/25 split of 50 requests stayed under the limit in
 * both windows and the run ended with no QUOTA_TPM at all; at a quarter, the fuller window goes
 * over.
 *
 * <ul>
 *   <li>{@code rpm-*}: requests per minute at a quarter of the tenant's send rate;
 *   <li>{@code tpm-*}: tokens per minute at about a quarter of what it sends;
 *   <li>{@code conc-*}: at most one request in flight (REJECT);
 *   <li>{@code budget-*}: a daily budget worth about half its requests;
 *   <li>{@code queue-*}: at most one in flight with QUEUE, and a monthly budget worth about half.
 * </ul>
 */
final class TenantPlan {

  /** Output tokens asked for by every request; the worst case admission reserves. */
  static final int MAX_TOKENS = 32;

  /** Upper bound on the cost of one request at sim-chat-1's prices (0.15 / 0.60 USD per 1M). */
  private static final BigDecimal COST_PER_REQUEST = new BigDecimal("0.000025");

  private final List<TenantPolicy> policies;

  private TenantPlan(List<TenantPolicy> policies) {
    this.policies = policies;
  }

  /**
   * @param tenants number of tenants
   * @param requests requests the run sends in all (spread evenly)
   * @param ratePerSecond the run's send rate
   */
  static TenantPlan of(int tenants, int requests, int ratePerSecond) {
    double perTenantPerMinute = 60.0 * ratePerSecond / tenants;
    int perTenant = Math.max(1, requests / tenants);
    BigDecimal halfTheRequests =
        Usd.of(COST_PER_REQUEST.multiply(BigDecimal.valueOf(Math.max(1, perTenant / 2))));
    List<TenantPolicy> policies = new ArrayList<>();
    for (int i = 0; i < tenants; i++) {
      var policy =
          TenantPolicy.newBuilder()
              .setUpdatedAt(Instant.now())
              .setOverLimit(OverLimitAction.REJECT);
      switch (i % 5) {
        case 0 ->
            policy
                .setTenantId("rpm-" + i)
                .setRequestsPerMinute((int) Math.max(1, Math.round(perTenantPerMinute / 4)));
        case 1 ->
            policy
                .setTenantId("tpm-" + i)
                .setTokensPerMinute(Math.max(200, Math.round(perTenantPerMinute * 60 / 4)));
        case 2 -> policy.setTenantId("conc-" + i).setMaxConcurrent(1);
        case 3 -> policy.setTenantId("budget-" + i).setDailyBudgetUsd(halfTheRequests);
        default ->
            policy
                .setTenantId("queue-" + i)
                .setMaxConcurrent(1)
                .setOverLimit(OverLimitAction.QUEUE)
                .setMonthlyBudgetUsd(halfTheRequests);
      }
      policies.add(policy.build());
    }
    return new TenantPlan(List.copyOf(policies));
  }

  List<TenantPolicy> policies() {
    return policies;
  }

  List<String> tenantIds() {
    return policies.stream().map(TenantPolicy::getTenantId).toList();
  }

  Map<String, TenantPolicy> byTenant() {
    return policies.stream()
        .collect(Collectors.toMap(TenantPolicy::getTenantId, Function.identity()));
  }
}
