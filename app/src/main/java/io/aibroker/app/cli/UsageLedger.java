package io.aibroker.app.cli;

import io.aibroker.app.cli.TopicSnapshot.Entry;
import io.aibroker.records.RollupWindow;
import io.aibroker.records.UsageRollup;
import java.time.Instant;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The current rollups among all records read from the rollups topic. The broker rewrites a window's
 * rollup every time its totals change, so only the latest record of each (tenant, model, provider,
 * provider model, window, window start) counts; adding them all up would count usage many times.
 */
public final class UsageLedger {

  /** Report order: oldest window first, then by tenant, model, provider, provider model. */
  private static final Comparator<UsageRollup> ORDER =
      Comparator.comparing(UsageRollup::getWindowStart)
          .thenComparing(UsageRollup::getTenantId)
          .thenComparing(UsageRollup::getModel)
          .thenComparing(UsageRollup::getProvider)
          .thenComparing(UsageRollup::getProviderModel);

  private UsageLedger() {}

  /** The identity of one rollup window. */
  private record Key(
      String tenantId,
      String model,
      String provider,
      String providerModel,
      RollupWindow window,
      Instant windowStart) {

    static Key of(UsageRollup rollup) {
      return new Key(
          rollup.getTenantId(),
          rollup.getModel(),
          rollup.getProvider(),
          rollup.getProviderModel(),
          rollup.getWindow(),
          rollup.getWindowStart());
    }
  }

  /**
   * The latest rollup of every window, filtered and sorted for a report.
   *
   * @param entries records of the rollups topic, in offset order within each partition
   * @param tenant only this tenant's rollups, or null for all tenants
   * @param window only windows of this size
   * @param since only windows starting at or after this instant
   * @return rollups by window start, tenant, model, provider and provider model
   */
  public static List<UsageRollup> current(
      List<Entry<UsageRollup>> entries, String tenant, RollupWindow window, Instant since) {
    Map<Key, Entry<UsageRollup>> latest = new HashMap<>();
    for (Entry<UsageRollup> entry : entries) {
      if (entry.value() != null) {
        latest.merge(Key.of(entry.value()), entry, UsageLedger::later);
      }
    }
    return latest.values().stream()
        .map(Entry::value)
        .filter(r -> tenant == null || tenant.equals(r.getTenantId()))
        .filter(r -> r.getWindow() == window)
        .filter(r -> !r.getWindowStart().isBefore(since))
        .sorted(ORDER)
        .toList();
  }

  /**
   * Which of two records of the same window is the current one. Within a partition the log order
   * decides (rollups are keyed by tenant, so a window's records share a partition); should they
   * ever sit in different partitions, the later computed one wins.
   */
  private static Entry<UsageRollup> later(Entry<UsageRollup> seen, Entry<UsageRollup> next) {
    if (seen.partition() == next.partition()) {
      return next.offset() > seen.offset() ? next : seen;
    }
    return next.value().getUpdatedAt().isBefore(seen.value().getUpdatedAt()) ? seen : next;
  }
}
