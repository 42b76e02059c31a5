package io.aibroker.app.cli;

import io.aibroker.app.cli.TopicSnapshot.Entry;
import io.aibroker.client.RollupTable;
import io.aibroker.records.RollupWindow;
import io.aibroker.records.UsageRollup;
import java.time.Instant;
import java.util.List;

/**
 * The current rollups among all records read from the rollups topic, for a report: the latest
 * record of each window wins ({@link RollupTable}), since the broker rewrites a window's rollup
 * every time its totals change.
 */
public final class UsageLedger {

  private UsageLedger() {}

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
    RollupTable table = new RollupTable();
    for (Entry<UsageRollup> entry : entries) {
      table.apply(entry.value(), entry.partition(), entry.offset());
    }
    table.dropBefore(since);
    return table.current().stream()
        .filter(r -> tenant == null || tenant.equals(r.getTenantId()))
        .filter(r -> r.getWindow() == window)
        .toList();
  }
}
