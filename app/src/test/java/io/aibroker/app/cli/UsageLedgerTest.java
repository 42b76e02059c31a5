package io.aibroker.app.cli;

import static io.aibroker.app.cli.Rollups.hourly;
import static io.aibroker.app.cli.Rollups.rollup;
import static org.assertj.core.api.Assertions.assertThat;

import io.aibroker.app.cli.TopicSnapshot.Entry;
import io.aibroker.records.RollupWindow;
import io.aibroker.records.UsageRollup;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class UsageLedgerTest {

  private static final Instant NINE = Instant.parse("2026-03-14T09:00:00Z");
  private static final Instant TEN = Instant.parse("2026-03-14T10:00:00Z");
  private static final Instant DAY = Instant.parse("2026-03-14T00:00:00Z");

  private static Entry<UsageRollup> at(int partition, long offset, UsageRollup rollup) {
    return new Entry<>(rollup.getTenantId(), rollup, partition, offset);
  }

  @Test
  void laterRecordsOfAWindowSupersedeEarlierOnes() {
    var entries =
        List.of(
            at(0, 0, hourly("acme", "m", NINE, 1, "1")),
            at(0, 1, hourly("acme", "m", NINE, 2, "2")),
            at(0, 2, hourly("acme", "m", NINE, 3, "3")));

    List<UsageRollup> current = UsageLedger.current(entries, null, RollupWindow.HOUR, DAY);

    assertThat(current).extracting(UsageRollup::getRequests).containsExactly(3L);
  }

  @Test
  void acrossPartitionsTheLaterComputedRecordWins() {
    UsageRollup older = hourly("acme", "m", NINE, 5, "5");
    UsageRollup newer = hourly("acme", "m", NINE, 7, "7");
    newer.setUpdatedAt(older.getUpdatedAt().plusSeconds(1));

    var current =
        UsageLedger.current(
            List.of(at(1, 50, newer), at(0, 3, older)), null, RollupWindow.HOUR, DAY);

    assertThat(current).extracting(UsageRollup::getRequests).containsExactly(7L);
  }

  @Test
  void keepsEveryDistinctWindowModelAndTenant() {
    var entries =
        List.of(
            at(0, 0, hourly("acme", "m", NINE, 1, "1")),
            at(0, 1, hourly("acme", "m", TEN, 2, "1")),
            at(0, 2, hourly("acme", "other", NINE, 3, "1")),
            at(1, 0, hourly("globex", "m", NINE, 4, "1")));

    var current = UsageLedger.current(entries, null, RollupWindow.HOUR, DAY);

    assertThat(current).hasSize(4);
  }

  @Test
  void filtersByTenantWindowSizeAndStart() {
    var entries =
        List.of(
            at(0, 0, hourly("acme", "m", NINE, 1, "1")),
            at(0, 1, hourly("acme", "m", TEN, 2, "1")),
            at(0, 2, rollup("acme", "m", RollupWindow.DAY, DAY, 3, "1", "0")),
            at(1, 0, hourly("globex", "m", TEN, 4, "1")));

    var current = UsageLedger.current(entries, "acme", RollupWindow.HOUR, TEN);

    assertThat(current).extracting(UsageRollup::getRequests).containsExactly(2L);
  }

  @Test
  void sortsByWindowStartThenTenantThenModel() {
    var entries =
        List.of(
            at(0, 0, hourly("globex", "a", TEN, 1, "1")),
            at(0, 1, hourly("acme", "b", TEN, 2, "1")),
            at(0, 2, hourly("acme", "a", TEN, 3, "1")),
            at(1, 0, hourly("zeta", "a", NINE, 4, "1")));

    var current = UsageLedger.current(entries, null, RollupWindow.HOUR, DAY);

    assertThat(current).extracting(UsageRollup::getRequests).containsExactly(4L, 3L, 2L, 1L);
  }

  @Test
  void ignoresTombstones() {
    var entries =
        List.of(
            new Entry<UsageRollup>("acme", null, 0, 0),
            at(0, 1, hourly("acme", "m", NINE, 1, "1")));

    assertThat(UsageLedger.current(entries, null, RollupWindow.HOUR, DAY)).hasSize(1);
  }
}
