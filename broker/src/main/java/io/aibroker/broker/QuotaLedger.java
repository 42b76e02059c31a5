package io.aibroker.broker;

import io.aibroker.money.Usd;
import io.aibroker.records.ReasonCode;
import io.aibroker.records.internal.TenantUsage;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Optional;

/**
 * A tenant's quota arithmetic: fixed minute windows for RPM and TPM, UTC day and month for budgets,
 * and a concurrency count. Admission reserves the worst case; completion replaces the reservation
 * with the actual tokens and cost. Because one Streams task owns a tenant and applies these steps
 * one record at a time, no two admissions can both see the last unit of capacity: overshoot is zero
 * by construction.
 */
final class QuotaLedger {

  private QuotaLedger() {}

  /** Why a request does not fit now, and when it might. */
  record Refusal(ReasonCode reason, String message, Long retryAfterMs) {}

  static TenantUsage empty(Instant now) {
    return TenantUsage.newBuilder()
        .setMinuteStart(minuteStart(now))
        .setDayStart(dayStart(now))
        .setDaySpend(Usd.ZERO)
        .setMonthStart(monthStart(now))
        .setMonthSpend(Usd.ZERO)
        .setQueued(new ArrayList<>())
        .build();
  }

  /** A tenant's usage as of now: the stored record with its windows rolled, or an empty one. */
  static TenantUsage current(TenantUsage stored, Instant now) {
    return stored == null ? empty(now) : roll(stored, now);
  }

  /** Starts new windows whose time has come. */
  static TenantUsage roll(TenantUsage usage, Instant now) {
    Instant minute = minuteStart(now);
    if (!minute.equals(usage.getMinuteStart())) {
      usage.setMinuteStart(minute);
      usage.setRequests(0);
      usage.setTokens(0);
    }
    Instant day = dayStart(now);
    if (!day.equals(usage.getDayStart())) {
      usage.setDayStart(day);
      usage.setDaySpend(Usd.ZERO);
      // a month only turns with a day: on every other request the calendar arithmetic is skipped
      Instant month = monthStart(now);
      if (!month.equals(usage.getMonthStart())) {
        usage.setMonthStart(month);
        usage.setMonthSpend(Usd.ZERO);
      }
    }
    return usage;
  }

  /** The first limit the demand would break, if any. */
  static Optional<Refusal> check(
      TenantUsage usage, EffectivePolicy policy, Demand demand, Instant now) {
    long toNextMinute = usage.getMinuteStart().plusSeconds(60).toEpochMilli() - now.toEpochMilli();
    if (policy.requestsPerMinute() != null
        && usage.getRequests() + 1 > policy.requestsPerMinute()) {
      return refuse(
          ReasonCode.QUOTA_RPM,
          "over " + policy.requestsPerMinute() + " requests per minute",
          toNextMinute);
    }
    if (policy.tokensPerMinute() != null
        && usage.getTokens() + demand.tokens() > policy.tokensPerMinute()) {
      return refuse(
          ReasonCode.QUOTA_TPM,
          "needs up to "
              + demand.tokens()
              + " tokens; "
              + (policy.tokensPerMinute() - usage.getTokens())
              + " of "
              + policy.tokensPerMinute()
              + " per minute left",
          toNextMinute);
    }
    if (policy.maxConcurrent() != null && usage.getInFlight() + 1 > policy.maxConcurrent()) {
      return refuse(
          ReasonCode.QUOTA_CONCURRENCY,
          "already "
              + usage.getInFlight()
              + " requests in flight (limit "
              + policy.maxConcurrent()
              + ")",
          null);
    }
    if (over(usage.getDaySpend(), demand.cost(), policy.dailyBudgetUsd())) {
      long toTomorrow =
          usage.getDayStart().plus(1, ChronoUnit.DAYS).toEpochMilli() - now.toEpochMilli();
      return refuse(
          ReasonCode.BUDGET_DAILY,
          budgetMessage("daily", usage.getDaySpend(), demand.cost(), policy.dailyBudgetUsd()),
          toTomorrow);
    }
    if (over(usage.getMonthSpend(), demand.cost(), policy.monthlyBudgetUsd())) {
      long toNextMonth = nextMonthStart(usage.getMonthStart()).toEpochMilli() - now.toEpochMilli();
      return refuse(
          ReasonCode.BUDGET_MONTHLY,
          budgetMessage("monthly", usage.getMonthSpend(), demand.cost(), policy.monthlyBudgetUsd()),
          toNextMonth);
    }
    return Optional.empty();
  }

  static void reserve(TenantUsage usage, Demand demand) {
    usage.setRequests(usage.getRequests() + 1);
    usage.setTokens(usage.getTokens() + demand.tokens());
    usage.setInFlight(usage.getInFlight() + 1);
    usage.setDaySpend(Usd.of(usage.getDaySpend().add(demand.cost())));
    usage.setMonthSpend(Usd.of(usage.getMonthSpend().add(demand.cost())));
  }

  /** Ends one unit of concurrency that reserved no tokens or cost (an answered waiter). */
  static void release(TenantUsage usage) {
    usage.setInFlight(Math.max(0, usage.getInFlight() - 1));
  }

  /**
   * Replaces a reservation made at {@code reservedAt} with what was actually used. Windows that
   * have rolled over since no longer carry the reservation, so only the current ones change.
   */
  static void settle(
      TenantUsage usage,
      Demand reserved,
      Instant reservedAt,
      long actualTokens,
      BigDecimal actualCost) {
    usage.setInFlight(Math.max(0, usage.getInFlight() - 1));
    if (minuteStart(reservedAt).equals(usage.getMinuteStart())) {
      usage.setTokens(Math.max(0, usage.getTokens() - reserved.tokens() + actualTokens));
    }
    BigDecimal delta = actualCost.subtract(reserved.cost());
    boolean sameDay = dayStart(reservedAt).equals(usage.getDayStart());
    if (sameDay) {
      usage.setDaySpend(Usd.of(usage.getDaySpend().add(delta).max(BigDecimal.ZERO)));
    }
    if (sameDay || monthStart(reservedAt).equals(usage.getMonthStart())) {
      usage.setMonthSpend(Usd.of(usage.getMonthSpend().add(delta).max(BigDecimal.ZERO)));
    }
  }

  private static boolean over(BigDecimal spent, BigDecimal more, BigDecimal budget) {
    return budget != null && spent.add(more).compareTo(budget) > 0;
  }

  private static String budgetMessage(
      String which, BigDecimal spent, BigDecimal more, BigDecimal budget) {
    return "the "
        + which
        + " budget of $"
        + budget.stripTrailingZeros().toPlainString()
        + " would be exceeded (spent or reserved $"
        + spent.stripTrailingZeros().toPlainString()
        + ", this request may cost up to $"
        + more.stripTrailingZeros().toPlainString()
        + ")";
  }

  private static Optional<Refusal> refuse(ReasonCode reason, String message, Long retryAfterMs) {
    return Optional.of(new Refusal(reason, message, retryAfterMs));
  }

  static Instant minuteStart(Instant now) {
    return now.truncatedTo(ChronoUnit.MINUTES);
  }

  static Instant dayStart(Instant now) {
    return now.truncatedTo(ChronoUnit.DAYS);
  }

  static Instant monthStart(Instant now) {
    return YearMonth.from(now.atZone(ZoneOffset.UTC))
        .atDay(1)
        .atStartOfDay(ZoneOffset.UTC)
        .toInstant();
  }

  private static Instant nextMonthStart(Instant monthStart) {
    return YearMonth.from(monthStart.atZone(ZoneOffset.UTC))
        .plusMonths(1)
        .atDay(1)
        .atStartOfDay(ZoneOffset.UTC)
        .toInstant();
  }
}
