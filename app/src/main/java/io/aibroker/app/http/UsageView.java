package io.aibroker.app.http;

import io.aibroker.client.RollupTable;
import io.aibroker.records.RollupWindow;
import io.aibroker.records.UsageRollup;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Every tenant's current usage rollups, kept in memory so that {@code GET /v1/usage} reads no
 * topic: one reader per process ({@link UsageViewReader}) feeds it the rollups topic as it grows.
 * The broker rewrites a window's rollup whenever its totals change, so only the latest record of
 * each (tenant, model, provider, provider model, window, window start) is kept.
 *
 * <p>Memory is bounded by time: day windows are kept from the first day of the month twelve months
 * back ({@link #availableFrom}: this month and the twelve before it), hour windows only for the
 * current UTC day and the two before it. Older windows are dropped, on arrival and as time passes.
 * A range is therefore summed from day windows up to the first retained hour and from hour windows
 * after it; before that, whole UTC days count whose start lies in the range.
 */
public final class UsageView {

  /** Days of hour windows kept before the current UTC day. */
  static final int HOUR_WINDOW_DAYS = 2;

  /** Months of day windows kept before the current month. */
  static final int DAY_WINDOW_MONTHS = 12;

  /** One tenant's windows of both sizes. */
  private record TenantWindows(RollupTable hours, RollupTable days) {
    TenantWindows() {
      this(new RollupTable(), new RollupTable());
    }

    RollupTable of(RollupWindow window) {
      return window == RollupWindow.HOUR ? hours : days;
    }

    boolean isEmpty() {
      return hours.isEmpty() && days.isEmpty();
    }
  }

  private final Clock clock;
  private final Map<String, TenantWindows> tenants = new ConcurrentHashMap<>();
  private volatile boolean caughtUp;
  private volatile boolean stopped;

  /** An empty view, its horizons following {@code clock}. */
  public UsageView(Clock clock) {
    this.clock = clock;
  }

  /**
   * Takes in one rollup read from the topic: it replaces the window's earlier rollup (the latest
   * one wins, see {@link RollupTable}). Windows older than kept are ignored.
   *
   * @param rollup the record's value
   * @param partition the partition it was read from
   * @param offset its offset there
   */
  public void apply(UsageRollup rollup, int partition, long offset) {
    if (rollup.getWindowStart().isBefore(horizon(rollup.getWindow(), clock.instant()))) {
      return;
    }
    tenants
        .computeIfAbsent(rollup.getTenantId(), t -> new TenantWindows())
        .of(rollup.getWindow())
        .apply(rollup, partition, offset);
  }

  /** Drops the windows that fell behind the horizons since they arrived. */
  public void evictExpired() {
    Instant now = clock.instant();
    Instant hours = horizon(RollupWindow.HOUR, now);
    Instant days = horizon(RollupWindow.DAY, now);
    for (var entry : tenants.entrySet()) {
      TenantWindows windows = entry.getValue();
      windows.hours().dropBefore(hours);
      windows.days().dropBefore(days);
      if (windows.isEmpty()) {
        tenants.remove(entry.getKey(), windows);
      }
    }
  }

  /**
   * The tenant's current rollups counted for the range: day windows starting in the range before
   * the first retained hour, hour windows starting in the range from then on.
   */
  List<UsageRollup> rollups(String tenant, UsageRange range) {
    TenantWindows windows = tenants.get(tenant);
    if (windows == null) {
      return List.of();
    }
    Instant cut = horizon(RollupWindow.HOUR, clock.instant());
    List<UsageRollup> counted = new ArrayList<>();
    Instant end = range.end().isBefore(cut) ? range.end() : cut;
    counted.addAll(windows.days().startingIn(range.start(), end));
    Instant start = range.start().isBefore(cut) ? cut : range.start();
    counted.addAll(windows.hours().startingIn(start, range.end()));
    return counted;
  }

  /**
   * Every tenant's tokens by class since the start of the current UTC day, from the day windows
   * (each holds the day's latest totals); empty until the view has caught up with the topic.
   */
  public Optional<TokenTotals> tokensToday() {
    if (!caughtUp || stopped) {
      return Optional.empty();
    }
    Instant today = clock.instant().truncatedTo(ChronoUnit.DAYS);
    Instant tomorrow = today.plus(Duration.ofDays(1));
    List<UsageRollup> rollups = new ArrayList<>();
    tenants.values().forEach(w -> rollups.addAll(w.days().startingIn(today, tomorrow)));
    return Optional.of(TokenTotals.of(rollups));
  }

  /** The earliest instant the view counts usage from: earlier usage is no longer kept. */
  public Instant availableFrom() {
    return horizon(RollupWindow.DAY, clock.instant());
  }

  /** Whether the view has read the topic up to where it ended when reading began. */
  public boolean caughtUp() {
    return caughtUp;
  }

  /** Records that the view has caught up with the topic; it then stays so while it follows it. */
  void markCaughtUp() {
    caughtUp = true;
  }

  /** Whether the view stopped following the topic (its reader failed): it is no longer current. */
  public boolean stopped() {
    return stopped;
  }

  /** Records that the view no longer follows the topic. */
  void markStopped() {
    stopped = true;
  }

  /** Windows held, of both sizes and every tenant (for tests and metrics). */
  public int size() {
    return tenants.values().stream().mapToInt(w -> w.hours().size() + w.days().size()).sum();
  }

  /** The start of the oldest window of this size that is kept at {@code now}. */
  static Instant horizon(RollupWindow window, Instant now) {
    LocalDate today = LocalDate.ofInstant(now, ZoneOffset.UTC);
    LocalDate first =
        window == RollupWindow.HOUR
            ? today.minusDays(HOUR_WINDOW_DAYS)
            : today.withDayOfMonth(1).minusMonths(DAY_WINDOW_MONTHS);
    return first.atStartOfDay(ZoneOffset.UTC).toInstant();
  }

  /** How far back the topic must be read for the view: the day horizon, less a day of slack. */
  Instant readFrom() {
    // A rollup written late may carry a timestamp before its window's; a day covers that.
    return availableFrom().minus(Duration.ofDays(1)).truncatedTo(ChronoUnit.DAYS);
  }
}
