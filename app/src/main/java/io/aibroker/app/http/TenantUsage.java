package io.aibroker.app.http;

import io.aibroker.app.cli.TopicSnapshot;
import io.aibroker.app.cli.UsageLedger;
import io.aibroker.records.RollupWindow;
import io.aibroker.records.UsageRollup;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.apache.kafka.common.serialization.Deserializer;

/**
 * One tenant's usage from the usage rollups topic. Rollups are keyed by tenant, so only the one
 * partition holding the tenant's records is read, from a day before the range starts (a rollup
 * written late may carry an earlier timestamp) up to its current end; of every hourly window the
 * latest rollup counts, and only the tenant's own.
 */
public final class TenantUsage {

  private static final Duration SEEK_SLACK = Duration.ofDays(1);

  private final TopicSnapshot snapshot;
  private final String topic;
  private final Deserializer<UsageRollup> rollups;

  /**
   * Reads rollups with this snapshot reader.
   *
   * @param snapshot reads a partition as it is now
   * @param topic the usage rollups topic
   * @param rollups how to read its values
   */
  public TenantUsage(TopicSnapshot snapshot, String topic, Deserializer<UsageRollup> rollups) {
    this.snapshot = snapshot;
    this.topic = topic;
    this.rollups = rollups;
  }

  /** The tenant's current hourly rollups whose hour starts within the range. */
  List<UsageRollup> hourly(String tenant, UsageRange range) {
    Instant from = range.start().minus(SEEK_SLACK);
    var entries =
        snapshot.readPartitionOf(
            topic, tenant, rollups, from.isBefore(Instant.EPOCH) ? null : from);
    return UsageLedger.current(entries, tenant, RollupWindow.HOUR, range.start()).stream()
        .filter(r -> r.getWindowStart().isBefore(range.end()))
        .toList();
  }
}
