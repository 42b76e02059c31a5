package io.aibroker.broker;

import static org.assertj.core.api.Assertions.assertThat;

import io.aibroker.records.OverLimitAction;
import io.aibroker.records.ReasonCode;
import io.aibroker.records.internal.TenantUsage;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** A tenant's quota arithmetic: windows, limits in order, reservation, settlement. */
class QuotaLedgerTest {

  private static final Instant NOW = Instant.parse("2026-11-22T10:15:30Z");

  private static EffectivePolicy policy(
      Integer rpm, Long tpm, Integer concurrent, String daily, String monthly) {
    return new EffectivePolicy(
        rpm,
        tpm,
        concurrent,
        daily == null ? null : new BigDecimal(daily),
        monthly == null ? null : new BigDecimal(monthly),
        OverLimitAction.REJECT,
        List.of(),
        Duration.ofHours(1),
        false);
  }

  private static Demand demand(long tokens, String cost) {
    return new Demand(tokens, new BigDecimal(cost));
  }

  @Test
  void anEmptyUsageStartsTheCurrentWindows() {
    TenantUsage usage = QuotaLedger.empty(NOW);

    assertThat(usage.getMinuteStart()).isEqualTo(Instant.parse("2026-11-22T10:15:00Z"));
    assertThat(usage.getDayStart()).isEqualTo(Instant.parse("2026-11-22T00:00:00Z"));
    assertThat(usage.getMonthStart()).isEqualTo(Instant.parse("2026-11-01T00:00:00Z"));
    assertThat(usage.getRequests()).isZero();
    assertThat(usage.getDaySpend()).isEqualByComparingTo("0");
    assertThat(usage.getQueued()).isEmpty();
    assertThat(QuotaLedger.current(null, NOW)).isEqualTo(usage);
  }

  @Test
  void rollingStartsOnlyTheWindowsWhoseTimeHasCome() {
    TenantUsage usage = QuotaLedger.empty(NOW);
    QuotaLedger.reserve(usage, demand(100, "1.00"));

    QuotaLedger.roll(usage, NOW.plusSeconds(10)); // same minute
    assertThat(usage.getRequests()).isEqualTo(1);
    assertThat(usage.getTokens()).isEqualTo(100);

    QuotaLedger.roll(usage, NOW.plusSeconds(60)); // next minute, same day
    assertThat(usage.getRequests()).isZero();
    assertThat(usage.getTokens()).isZero();
    assertThat(usage.getInFlight()).isEqualTo(1); // concurrency is not a window
    assertThat(usage.getDaySpend()).isEqualByComparingTo("1.00");

    QuotaLedger.roll(usage, Instant.parse("2026-11-23T00:00:01Z")); // next day, same month
    assertThat(usage.getDaySpend()).isEqualByComparingTo("0");
    assertThat(usage.getMonthSpend()).isEqualByComparingTo("1.00");

    QuotaLedger.roll(usage, Instant.parse("2026-12-01T00:00:01Z")); // next month
    assertThat(usage.getMonthSpend()).isEqualByComparingTo("0");
    assertThat(usage.getMonthStart()).isEqualTo(Instant.parse("2026-12-01T00:00:00Z"));
  }

  @Test
  void eachLimitRefusesWithItsReasonAndWhenItFrees() {
    TenantUsage usage = QuotaLedger.empty(NOW);
    QuotaLedger.reserve(usage, demand(100, "1.00"));

    assertThat(QuotaLedger.check(usage, policy(1, null, null, null, null), demand(1, "0"), NOW))
        .hasValueSatisfying(
            r -> {
              assertThat(r.reason()).isEqualTo(ReasonCode.QUOTA_RPM);
              assertThat(r.retryAfterMs()).isEqualTo(30_000);
            });
    assertThat(QuotaLedger.check(usage, policy(null, 150L, null, null, null), demand(51, "0"), NOW))
        .hasValueSatisfying(
            r -> {
              assertThat(r.reason()).isEqualTo(ReasonCode.QUOTA_TPM);
              assertThat(r.message()).isEqualTo("needs up to 51 tokens; 50 of 150 per minute left");
            });
    assertThat(QuotaLedger.check(usage, policy(null, null, 1, null, null), demand(1, "0"), NOW))
        .hasValueSatisfying(
            r -> {
              assertThat(r.reason()).isEqualTo(ReasonCode.QUOTA_CONCURRENCY);
              assertThat(r.retryAfterMs()).isNull();
            });
    assertThat(
            QuotaLedger.check(usage, policy(null, null, null, "1.5", null), demand(1, "0.6"), NOW))
        .hasValueSatisfying(
            r -> {
              assertThat(r.reason()).isEqualTo(ReasonCode.BUDGET_DAILY);
              assertThat(r.message()).contains("daily budget of $1.5", "spent or reserved $1");
              assertThat(r.retryAfterMs())
                  .isEqualTo(
                      Duration.between(NOW, Instant.parse("2026-11-23T00:00:00Z")).toMillis());
            });
    assertThat(
            QuotaLedger.check(usage, policy(null, null, null, null, "1.5"), demand(1, "0.6"), NOW))
        .hasValueSatisfying(
            r -> {
              assertThat(r.reason()).isEqualTo(ReasonCode.BUDGET_MONTHLY);
              assertThat(r.retryAfterMs())
                  .isEqualTo(
                      Duration.between(NOW, Instant.parse("2026-12-01T00:00:00Z")).toMillis());
            });
  }

  @Test
  void demandExactlyAtALimitFitsAndTheFirstBrokenLimitIsReported() {
    TenantUsage usage = QuotaLedger.empty(NOW);

    assertThat(QuotaLedger.check(usage, policy(1, 100L, 1, "1", "1"), demand(100, "1"), NOW))
        .isEmpty();
    QuotaLedger.reserve(usage, demand(100, "1"));
    assertThat(QuotaLedger.check(usage, policy(1, 100L, 1, "1", "1"), demand(100, "1"), NOW))
        .hasValueSatisfying(r -> assertThat(r.reason()).isEqualTo(ReasonCode.QUOTA_RPM));
    assertThat(QuotaLedger.check(usage, policy(null, null, null, null, null), demand(9, "9"), NOW))
        .isEmpty();
  }

  @Test
  void reservingCountsTheWorstCaseEverywhere() {
    TenantUsage usage = QuotaLedger.empty(NOW);

    QuotaLedger.reserve(usage, demand(100, "0.25"));
    QuotaLedger.reserve(usage, demand(50, "0.5"));

    assertThat(usage.getRequests()).isEqualTo(2);
    assertThat(usage.getTokens()).isEqualTo(150);
    assertThat(usage.getInFlight()).isEqualTo(2);
    assertThat(usage.getDaySpend()).isEqualByComparingTo("0.75");
    assertThat(usage.getMonthSpend()).isEqualByComparingTo("0.75");
  }

  @Test
  void settlingInTheSameWindowsReplacesTheReservationWithTheActual() {
    TenantUsage usage = QuotaLedger.empty(NOW);
    QuotaLedger.reserve(usage, demand(100, "1.00"));

    QuotaLedger.settle(usage, demand(100, "1.00"), NOW, 40, new BigDecimal("0.30"));

    assertThat(usage.getInFlight()).isZero();
    assertThat(usage.getRequests()).isEqualTo(1); // the request was made
    assertThat(usage.getTokens()).isEqualTo(40);
    assertThat(usage.getDaySpend()).isEqualByComparingTo("0.30");
    assertThat(usage.getMonthSpend()).isEqualByComparingTo("0.30");
  }

  @Test
  void settlingAfterWindowsRolledChangesOnlyTheWindowsThatCarryTheReservation() {
    TenantUsage usage = QuotaLedger.empty(NOW);
    QuotaLedger.reserve(usage, demand(100, "1.00"));
    Instant tomorrow = Instant.parse("2026-11-23T00:00:30Z");
    QuotaLedger.roll(usage, tomorrow);

    QuotaLedger.settle(usage, demand(100, "1.00"), NOW, 40, new BigDecimal("0.30"));

    assertThat(usage.getTokens()).isZero(); // the new minute never carried the reservation
    assertThat(usage.getDaySpend()).isEqualByComparingTo("0"); // neither did the new day
    assertThat(usage.getMonthSpend()).isEqualByComparingTo("0.30"); // the month did

    QuotaLedger.roll(usage, Instant.parse("2026-12-01T00:00:30Z"));
    QuotaLedger.settle(usage, demand(0, "5"), tomorrow, 0, BigDecimal.ZERO);
    assertThat(usage.getMonthSpend()).isEqualByComparingTo("0"); // last month's is left alone
  }

  @Test
  void countsNeverGoNegative() {
    TenantUsage usage = QuotaLedger.empty(NOW);

    QuotaLedger.release(usage);
    QuotaLedger.settle(usage, demand(100, "1.00"), NOW, 0, BigDecimal.ZERO);

    assertThat(usage.getInFlight()).isZero();
    assertThat(usage.getTokens()).isZero();
    assertThat(usage.getDaySpend()).isEqualByComparingTo("0");
  }

  @Test
  void aReleasedWaiterGivesBackOnlyItsConcurrency() {
    TenantUsage usage = QuotaLedger.empty(NOW);
    QuotaLedger.reserve(usage, Demand.NONE);

    QuotaLedger.release(usage);

    assertThat(usage.getInFlight()).isZero();
    assertThat(usage.getRequests()).isEqualTo(1);
  }
}
