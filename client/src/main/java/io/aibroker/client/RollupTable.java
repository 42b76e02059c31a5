package io.aibroker.client;

import io.aibroker.records.RollupWindow;
import io.aibroker.records.UsageRollup;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.NavigableMap;
import java.util.Objects;
import java.util.concurrent.ConcurrentSkipListMap;

/**
 * The current usage rollups among those read from the rollups topic: the latest rollup wins. The
 * broker rewrites a window's rollup every time its totals change, so only the latest record of each
 * (tenant, model, provider, provider model, window, window start) counts; adding them all up would
 * count usage many times.
 *
 * <p>Which record is the latest: within a partition the log order decides (rollups are keyed by
 * tenant, so a window's records share a partition); should two ever sit in different partitions,
 * the later computed one ({@code updatedAt}) wins.
 *
 * <p>Rollups are kept in {@link #ORDER}, so that a range of window starts can be read ({@link
 * #startingIn}) and the windows before a horizon dropped ({@link #dropBefore}). One thread may
 * apply rollups while others read.
 *
 * <pre>{@code
 * RollupTable table = new RollupTable();
 * try (UsageReader reader =
 *     UsageReader.builder(kafka, serdes).rollupsInto(table).start()) {
 *   ...
 *   table.current().forEach(r -> System.out.println(r.getTenantId() + " " + r.getRequests()));
 * }
 * }</pre>
 */
public final class RollupTable {

  /** Oldest window first, then by tenant, model, provider, provider model and window size. */
  public static final Comparator<UsageRollup> ORDER =
      Comparator.comparing(UsageRollup::getWindowStart)
          .thenComparing(UsageRollup::getTenantId)
          .thenComparing(UsageRollup::getModel)
          .thenComparing(UsageRollup::getProvider)
          .thenComparing(UsageRollup::getProviderModel)
          .thenComparing(UsageRollup::getWindow);

  private static final Comparator<Window> WINDOW_ORDER =
      Comparator.comparing(Window::windowStart)
          .thenComparing(Window::tenantId)
          .thenComparing(Window::model)
          .thenComparing(Window::provider)
          .thenComparing(Window::providerModel)
          .thenComparing(Window::window, Comparator.nullsFirst(Comparator.naturalOrder()));

  /** The identity of one rollup window, window start first. */
  private record Window(
      Instant windowStart,
      String tenantId,
      String model,
      String provider,
      String providerModel,
      RollupWindow window) {

    static Window of(UsageRollup rollup) {
      return new Window(
          rollup.getWindowStart(),
          rollup.getTenantId(),
          rollup.getModel(),
          rollup.getProvider(),
          rollup.getProviderModel(),
          rollup.getWindow());
    }

    /** Less than every window starting at {@code windowStart}: the bound of a range. */
    static Window floor(Instant windowStart) {
      return new Window(windowStart, "", "", "", "", null);
    }
  }

  /** A rollup and where it was read. */
  private record Read(UsageRollup rollup, int partition, long offset) {}

  private final NavigableMap<Window, Read> current = new ConcurrentSkipListMap<>(WINDOW_ORDER);

  /**
   * Takes in one rollup read from the topic: it replaces its window's rollup unless that one is
   * later. Tombstones (null) are ignored.
   *
   * @param rollup the record's value
   * @param partition the partition it was read from
   * @param offset its offset there
   * @return whether it is now its window's current rollup
   */
  public boolean apply(UsageRollup rollup, int partition, long offset) {
    if (rollup == null) {
      return false;
    }
    Read next = new Read(rollup, partition, offset);
    return current.merge(Window.of(rollup), next, RollupTable::later) == next;
  }

  /** Which of two records of the same window is the current one (see the class comment). */
  private static Read later(Read seen, Read next) {
    if (seen.partition() == next.partition()) {
      return next.offset() > seen.offset() ? next : seen;
    }
    return next.rollup().getUpdatedAt().isBefore(seen.rollup().getUpdatedAt()) ? seen : next;
  }

  /** Every window's current rollup, in {@link #ORDER}. */
  public List<UsageRollup> current() {
    return current.values().stream().map(Read::rollup).toList();
  }

  /** The current rollups of the windows starting at or after {@code from} and before {@code to}. */
  public List<UsageRollup> startingIn(Instant from, Instant to) {
    if (!from.isBefore(to)) {
      return List.of();
    }
    return current.subMap(Window.floor(from), Window.floor(to)).values().stream()
        .map(Read::rollup)
        .toList();
  }

  /** Drops the windows starting before {@code windowStart}. */
  public void dropBefore(Instant windowStart) {
    current.headMap(Window.floor(Objects.requireNonNull(windowStart, "windowStart"))).clear();
  }

  /** How many windows the table holds. */
  public int size() {
    return current.size();
  }

  /** Whether the table holds no window. */
  public boolean isEmpty() {
    return current.isEmpty();
  }
}
