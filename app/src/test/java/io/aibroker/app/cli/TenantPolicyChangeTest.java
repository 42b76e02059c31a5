package io.aibroker.app.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.aibroker.money.Usd;
import io.aibroker.records.OverLimitAction;
import io.aibroker.records.TenantCachePolicy;
import io.aibroker.records.TenantPolicy;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class TenantPolicyChangeTest {

  private static final Instant NOW = Instant.parse("2026-03-14T09:30:00.123456Z");

  /** A change with only the given settings; the rest stay null. */
  private static final class Change {
    Integer rpm;
    Long tpm;
    Integer maxConcurrent;
    BigDecimal daily;
    BigDecimal monthly;
    OverLimitAction overLimit;
    List<String> models;
    Duration ttl;
    Boolean shared;
    Set<TenantField> clear = Set.of();

    TenantPolicyChange build() {
      return new TenantPolicyChange(
          rpm, tpm, maxConcurrent, daily, monthly, overLimit, models, ttl, shared, clear);
    }
  }

  private static TenantPolicy full() {
    Change c = new Change();
    c.rpm = 600;
    c.tpm = 200_000L;
    c.maxConcurrent = 50;
    c.daily = new BigDecimal("25");
    c.monthly = new BigDecimal("500");
    c.overLimit = OverLimitAction.QUEUE;
    c.models = List.of("chat-default", "embed-default");
    c.ttl = Duration.ofHours(1);
    c.shared = true;
    return c.build().applyTo(null, "acme", NOW.minusSeconds(60));
  }

  @Test
  void aNewTenantGetsTheGivenSettingsAndDefaultsForTheRest() {
    Change c = new Change();
    c.rpm = 600;

    TenantPolicy policy = c.build().applyTo(null, "acme", NOW);

    assertThat(policy.getTenantId()).isEqualTo("acme");
    assertThat(policy.getRequestsPerMinute()).isEqualTo(600);
    assertThat(policy.getTokensPerMinute()).isNull();
    assertThat(policy.getDailyBudgetUsd()).isNull();
    assertThat(policy.getOverLimit()).isEqualTo(OverLimitAction.REJECT);
    assertThat(policy.getAllowedModels()).isEmpty();
    assertThat(policy.getCache()).isNull();
    assertThat(policy.getUpdatedAt()).isEqualTo(Instant.parse("2026-03-14T09:30:00.123Z"));
  }

  @Test
  void settingsNotGivenKeepTheirCurrentValue() {
    TenantPolicy current = full();
    Change c = new Change();
    c.tpm = 1_000L;

    TenantPolicy policy = c.build().applyTo(current, "acme", NOW);

    assertThat(policy.getTokensPerMinute()).isEqualTo(1_000L);
    assertThat(policy.getRequestsPerMinute()).isEqualTo(600);
    assertThat(policy.getMaxConcurrent()).isEqualTo(50);
    assertThat(policy.getDailyBudgetUsd()).isEqualTo(Usd.parse("25"));
    assertThat(policy.getMonthlyBudgetUsd()).isEqualTo(Usd.parse("500"));
    assertThat(policy.getOverLimit()).isEqualTo(OverLimitAction.QUEUE);
    assertThat(policy.getAllowedModels()).containsExactly("chat-default", "embed-default");
    assertThat(policy.getCache()).isEqualTo(new TenantCachePolicy(3600, true));
    assertThat(policy.getUpdatedAt()).isAfter(current.getUpdatedAt());
  }

  @Test
  void clearedSettingsFallBackToTheirDefaults() {
    Change c = new Change();
    c.clear = Set.of(TenantField.values());

    TenantPolicy policy = c.build().applyTo(full(), "acme", NOW);

    assertThat(policy)
        .isEqualTo(new Change().build().applyTo(null, "acme", NOW))
        .extracting(TenantPolicy::getRequestsPerMinute, TenantPolicy::getCache)
        .containsOnlyNulls();
  }

  @Test
  void clearingOneCacheSettingKeepsTheOther() {
    Change c = new Change();
    c.clear = Set.of(TenantField.CACHE_TTL);

    TenantPolicy policy = c.build().applyTo(full(), "acme", NOW);

    assertThat(policy.getCache()).isEqualTo(new TenantCachePolicy(null, true));
  }

  @Test
  void budgetsAreStoredAtTheSchemaScale() {
    Change c = new Change();
    c.daily = new BigDecimal("12.5");

    TenantPolicy policy = c.build().applyTo(null, "acme", NOW);

    assertThat(policy.getDailyBudgetUsd().scale()).isEqualTo(Usd.SCALE);
    assertThat(policy.getDailyBudgetUsd()).isEqualByComparingTo("12.5");
  }

  @Test
  void allowedModelsAreTrimmedAndDeduplicated() {
    Change c = new Change();
    c.models = List.of(" a", "b ", "a");

    assertThat(c.build().allowedModels()).containsExactly("a", "b");
  }

  @Test
  void rejectsNonPositiveLimits() {
    Change c = new Change();
    c.rpm = 0;
    assertThatThrownBy(c::build).hasMessage("--rpm must be a positive whole number, was 0");

    Change t = new Change();
    t.tpm = -1L;
    assertThatThrownBy(t::build).hasMessageContaining("--tpm must be a positive");

    Change m = new Change();
    m.maxConcurrent = -3;
    assertThatThrownBy(m::build).hasMessageContaining("--max-concurrent must be a positive");
  }

  @Test
  void rejectsBudgetsThatAreNotPositiveOrDoNotFitTheSchema() {
    Change zero = new Change();
    zero.daily = BigDecimal.ZERO;
    assertThatThrownBy(zero::build)
        .hasMessage("--daily-budget-usd must be a positive amount of USD, was 0");

    Change fine = new Change();
    fine.monthly = new BigDecimal("0.00000000001");
    assertThatThrownBy(fine::build).hasMessageContaining("more than 10 decimal places");

    Change huge = new Change();
    huge.monthly = new BigDecimal("1e15");
    assertThatThrownBy(huge::build).hasMessageContaining("--monthly-budget-usd is too large");
  }

  @Test
  void acceptsTheLargestBudgetTheSchemaHolds() {
    Change c = new Change();
    c.monthly = new BigDecimal("99999999999999.9999999999");

    assertThat(c.build().monthlyBudgetUsd()).isEqualByComparingTo("99999999999999.9999999999");
  }

  @Test
  void rejectsCacheTtlsShorterThanASecondOrWithFractions() {
    Change shortTtl = new Change();
    shortTtl.ttl = Duration.ofMillis(500);
    assertThatThrownBy(shortTtl::build).hasMessageContaining("--cache-ttl must be at least 1s");

    Change fraction = new Change();
    fraction.ttl = Duration.ofMillis(1500);
    assertThatThrownBy(fraction::build).hasMessageContaining("whole seconds");
  }

  @Test
  void rejectsAnEmptyModelName() {
    Change c = new Change();
    c.models = List.of("a", " ");

    assertThatThrownBy(c::build)
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("--clear allowed-models");
  }

  @Test
  void rejectsSettingAndClearingTheSameSetting() {
    Change c = new Change();
    c.rpm = 5;
    c.clear = Set.of(TenantField.RPM);

    assertThatThrownBy(c::build)
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("--rpm and --clear rpm contradict each other; give one of them");
  }
}
