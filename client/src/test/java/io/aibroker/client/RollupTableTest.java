package io.aibroker.client;

import static org.assertj.core.api.Assertions.assertThat;

import io.aibroker.money.Usd;
import io.aibroker.records.RollupWindow;
import io.aibroker.records.UsageRollup;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class RollupTableTest {

  private static final Instant NINE = Instant.parse("2026-03-14T09:00:00Z");
  private static final Instant TEN = Instant.parse("2026-03-14T10:00:00Z");
  private static final Instant ELEVEN = Instant.parse("2026-03-14T11:00:00Z");

  private final RollupTable table = new RollupTable();

  private static UsageRollup hour(String tenant, String model, Instant start, long requests) {
    return UsageRollup.newBuilder()
        .setTenantId(tenant)
        .setModel(model)
        .setProvider("simulated")
        .setProviderModel("sim-chat-1")
        .setWindow(RollupWindow.HOUR)
        .setWindowStart(start)
        .setWindowEnd(start.plus(Duration.ofHours(1)))
        .setRequests(requests)
        .setCacheHits(0)
        .setInputTokens(requests)
        .setOutputTokens(requests)
        .setCost(Usd.of(BigDecimal.ZERO))
        .setSavedCost(Usd.of(BigDecimal.ZERO))
        .setUpdatedAt(start.plusSeconds(requests))
        .build();
  }

  @Test
  void withinAPartitionTheHigherOffsetWins() {
    assertThat(table.apply(hour("acme", "m", NINE, 1), 0, 10)).isTrue();
    assertThat(table.apply(hour("acme", "m", NINE, 3), 0, 12)).isTrue();
    assertThat(table.apply(hour("acme", "m", NINE, 2), 0, 11)).isFalse();

    assertThat(table.current()).extracting(UsageRollup::getRequests).containsExactly(3L);
    assertThat(table.size()).isEqualTo(1);
  }

  @Test
  void acrossPartitionsTheLaterComputedWins() {
    UsageRollup older = hour("acme", "m", NINE, 5);
    UsageRollup newer = hour("acme", "m", NINE, 7);

    table.apply(newer, 1, 50);
    assertThat(table.apply(older, 0, 3)).isFalse();

    assertThat(table.current()).containsExactly(newer);
  }

  @Test
  void everyPartOfTheWindowsIdentityCounts() {
    table.apply(hour("acme", "m", NINE, 1), 0, 0);
    table.apply(hour("acme", "m", TEN, 1), 0, 1);
    table.apply(hour("acme", "other", NINE, 1), 0, 2);
    table.apply(hour("globex", "m", NINE, 1), 1, 0);
    UsageRollup day = hour("acme", "m", NINE, 1);
    day.setWindow(RollupWindow.DAY);
    table.apply(day, 0, 3);
    UsageRollup elsewhere = hour("acme", "m", NINE, 1);
    elsewhere.setProvider("bedrock");
    table.apply(elsewhere, 0, 4);
    UsageRollup otherModel = hour("acme", "m", NINE, 1);
    otherModel.setProviderModel("sim-chat-2");
    table.apply(otherModel, 0, 5);

    assertThat(table.size()).isEqualTo(7);
  }

  @Test
  void keepsWindowStartThenTenantThenModelOrder() {
    table.apply(hour("globex", "a", TEN, 1), 0, 0);
    table.apply(hour("acme", "b", TEN, 2), 0, 1);
    table.apply(hour("acme", "a", TEN, 3), 0, 2);
    table.apply(hour("zeta", "a", NINE, 4), 1, 0);

    assertThat(table.current())
        .extracting(UsageRollup::getRequests)
        .containsExactly(4L, 3L, 2L, 1L);
    assertThat(table.current()).isSortedAccordingTo(RollupTable.ORDER);
  }

  @Test
  void readsAndDropsRangesOfWindowStarts() {
    table.apply(hour("acme", "m", NINE, 1), 0, 0);
    table.apply(hour("acme", "m", TEN, 2), 0, 1);
    table.apply(hour("acme", "m", ELEVEN, 3), 0, 2);

    assertThat(table.startingIn(TEN, ELEVEN))
        .extracting(UsageRollup::getRequests)
        .containsExactly(2L);
    assertThat(table.startingIn(NINE, ELEVEN.plusSeconds(1)))
        .extracting(UsageRollup::getRequests)
        .containsExactly(1L, 2L, 3L);
    assertThat(table.startingIn(ELEVEN, TEN)).isEmpty();

    table.dropBefore(TEN);
    assertThat(table.current()).extracting(UsageRollup::getRequests).containsExactly(2L, 3L);
    table.dropBefore(ELEVEN.plusSeconds(1));
    assertThat(table.isEmpty()).isTrue();
  }

  @Test
  void ignoresTombstones() {
    assertThat(table.apply(null, 0, 0)).isFalse();
    assertThat(table.isEmpty()).isTrue();
  }
}
