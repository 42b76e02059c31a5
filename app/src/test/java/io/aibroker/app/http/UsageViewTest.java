package io.aibroker.app.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.aibroker.money.Usd;
import io.aibroker.records.RollupWindow;
import io.aibroker.records.UsageRollup;
import io.aibroker.testing.MutableClock;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class UsageViewTest {

  private static final Instant NOW = Instant.parse("2026-03-15T12:00:00Z");

  private final MutableClock clock = new MutableClock(NOW);
  private final UsageView view = new UsageView(clock);

  /** The offset of the next rollup a test applies: each is read after the one before. */
  private long offset;

  private static UsageRollup rollup(
      String tenant, RollupWindow window, String start, long requests, String updatedAt) {
    Instant from = Instant.parse(start);
    return UsageRollup.newBuilder()
        .setTenantId(tenant)
        .setModel("chat-default")
        .setProvider("simulated")
        .setProviderModel("sim-chat-1")
        .setWindow(window)
        .setWindowStart(from)
        .setWindowEnd(
            from.plus(window == RollupWindow.HOUR ? Duration.ofHours(1) : Duration.ofDays(1)))
        .setRequests(requests)
        .setCacheHits(0)
        .setInputTokens(10 * requests)
        .setOutputTokens(20 * requests)
        .setCacheReadInputTokens(4 * requests)
        .setCacheWriteInputTokens(2 * requests)
        .setCacheWrite1hInputTokens(requests)
        .setReasoningTokens(5 * requests)
        .setCost(Usd.of(new BigDecimal("0.001").multiply(BigDecimal.valueOf(requests))))
        .setSavedCost(Usd.of(BigDecimal.ZERO))
        .setUpdatedAt(Instant.parse(updatedAt))
        .build();
  }

  private static UsageRollup hour(String tenant, String start, long requests) {
    return rollup(tenant, RollupWindow.HOUR, start, requests, start);
  }

  private static UsageRollup day(String tenant, String start, long requests) {
    return rollup(tenant, RollupWindow.DAY, start, requests, start);
  }

  private long requests(String tenant, String start, String end) {
    return view.rollups(tenant, new UsageRange(Instant.parse(start), Instant.parse(end))).stream()
        .mapToLong(UsageRollup::getRequests)
        .sum();
  }

  @Test
  void aLaterRollupOfAWindowReplacesTheEarlierOne() {
    view.apply(hour("acme", "2026-03-15T10:00:00Z", 1), 0, offset++);
    view.apply(hour("acme", "2026-03-15T10:00:00Z", 3), 0, offset++);

    assertThat(requests("acme", "2026-03-15T00:00:00Z", "2026-03-16T00:00:00Z")).isEqualTo(3);
    assertThat(view.size()).isEqualTo(1);
  }

  @Test
  void ofTheSameWindowInTwoPartitionsTheLaterComputedCounts() {
    view.apply(
        rollup("acme", RollupWindow.HOUR, "2026-03-15T10:00:00Z", 5, "2026-03-15T10:30:00Z"),
        1,
        offset++);
    view.apply(
        rollup("acme", RollupWindow.HOUR, "2026-03-15T10:00:00Z", 2, "2026-03-15T10:10:00Z"),
        0,
        offset++);

    assertThat(requests("acme", "2026-03-15T00:00:00Z", "2026-03-16T00:00:00Z")).isEqualTo(5);
  }

  @Test
  void aMonthIsSummedFromDaysBeforeTheRetainedHoursAndFromHoursAfterWithoutCountingTwice() {
    // The broker writes every request into an hour window and a day window.
    for (int d = 1; d <= 15; d++) {
      String date = "2026-03-%02d".formatted(d);
      int hours = d == 15 ? 12 : 24;
      view.apply(day("acme", date + "T00:00:00Z", hours), 0, offset++);
      for (int h = 0; h < hours; h++) {
        view.apply(hour("acme", date + "T%02d:00:00Z".formatted(h), 1), 0, offset++);
      }
    }

    // 14 whole days and 12 hours of one request an hour
    assertThat(requests("acme", "2026-03-01T00:00:00Z", "2026-03-15T12:00:00Z"))
        .isEqualTo(14 * 24 + 12);
    // within the retained hours, hours count exactly
    assertThat(requests("acme", "2026-03-14T06:00:00Z", "2026-03-14T09:00:00Z")).isEqualTo(3);
    // before them, whole days count whose start lies in the range
    assertThat(requests("acme", "2026-03-02T06:00:00Z", "2026-03-05T00:00:00Z")).isEqualTo(2 * 24);
  }

  @Test
  void oneTenantNeverSeesAnothersUsage() {
    view.apply(hour("acme", "2026-03-15T10:00:00Z", 4), 0, offset++);
    view.apply(hour("globex", "2026-03-15T10:00:00Z", 7), 0, offset++);

    assertThat(requests("acme", "2026-03-15T00:00:00Z", "2026-03-16T00:00:00Z")).isEqualTo(4);
    assertThat(requests("initech", "2026-03-15T00:00:00Z", "2026-03-16T00:00:00Z")).isZero();
  }

  @Test
  void windowsOlderThanKeptAreNotTakenIn() {
    view.apply(hour("acme", "2026-03-12T23:00:00Z", 1), 0, offset++);
    view.apply(hour("acme", "2026-03-13T00:00:00Z", 1), 0, offset++);
    view.apply(day("acme", "2025-02-28T00:00:00Z", 1), 0, offset++);
    view.apply(day("acme", "2025-03-01T00:00:00Z", 1), 0, offset++);

    assertThat(view.size()).isEqualTo(2);
    assertThat(view.availableFrom()).isEqualTo(Instant.parse("2025-03-01T00:00:00Z"));
    assertThat(view.readFrom()).isEqualTo(Instant.parse("2025-02-28T00:00:00Z"));
  }

  @Test
  void windowsThatFallBehindAsTimePassesAreEvicted() {
    view.apply(hour("acme", "2026-03-13T05:00:00Z", 1), 0, offset++);
    view.apply(hour("acme", "2026-03-15T05:00:00Z", 1), 0, offset++);
    view.apply(day("acme", "2025-03-01T00:00:00Z", 1), 0, offset++);
    view.apply(day("globex", "2026-03-01T00:00:00Z", 1), 0, offset++);

    clock.advance(Duration.ofDays(20)); // 2026-04-04: hours from 04-02, days from 2025-04-01
    view.evictExpired();

    assertThat(view.size()).isEqualTo(1);
    assertThat(view.rollups("globex", new UsageRange(Instant.EPOCH, clock.instant())))
        .singleElement()
        .extracting(UsageRollup::getWindow)
        .isEqualTo(RollupWindow.DAY);
  }

  @Test
  void isNotCaughtUpUntilTheReaderSaysSo() {
    assertThat(view.caughtUp()).isFalse();

    view.markCaughtUp();

    assertThat(view.caughtUp()).isTrue();
  }

  @Test
  void tokensTodayAddUpEveryTenantsDayWindowOfTheCurrentUtcDayByClass() {
    view.apply(day("acme", "2026-03-15T00:00:00Z", 2), 0, offset++);
    view.apply(day("acme", "2026-03-15T00:00:00Z", 3), 0, offset++); // the day's latest totals
    view.apply(day("globex", "2026-03-15T00:00:00Z", 1), 1, offset++);
    view.apply(day("acme", "2026-03-14T00:00:00Z", 100), 0, offset++); // yesterday
    view.apply(hour("acme", "2026-03-15T10:00:00Z", 50), 0, offset++); // hours are not added
    view.markCaughtUp();

    TokenTotals today = view.tokensToday().orElseThrow();

    assertThat(today).isEqualTo(new TokenTotals(4, 40, 80, 16, 8, 4, 20, 0.004, 0));
  }

  @Test
  void tokensTodayAreUnknownUntilTheViewHasCaughtUpOrAfterItStopped() {
    view.apply(day("acme", "2026-03-15T00:00:00Z", 2), 0, offset++);

    assertThat(view.tokensToday()).isEmpty();
    view.markCaughtUp();
    assertThat(view.tokensToday()).isPresent();
    view.markStopped();
    assertThat(view.tokensToday()).isEmpty();
  }
}
