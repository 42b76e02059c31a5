package io.aibroker.app.cli;

import io.aibroker.money.Usd;
import io.aibroker.records.RollupWindow;
import io.aibroker.records.UsageRollup;
import java.time.Duration;
import java.time.Instant;

/** UsageRollup records for tests. */
final class Rollups {

  private Rollups() {}

  /** An hourly rollup with the given numbers; updatedAt is the window's end. */
  static UsageRollup hourly(
      String tenant, String model, Instant windowStart, long requests, String cost) {
    return rollup(tenant, model, RollupWindow.HOUR, windowStart, requests, cost, "0");
  }

  /** The rollup, its usage priced at {@code standardCost} at the standard tier (batch saved). */
  static UsageRollup atStandard(UsageRollup rollup, String standardCost) {
    rollup.setStandardCost(Usd.parse(standardCost));
    return rollup;
  }

  /**
   * A rollup of any window: per request 100 input tokens (40 cache reads, 20 cache writes of which
   * 5 for an hour) and 10 output tokens (3 of reasoning).
   */
  static UsageRollup rollup(
      String tenant,
      String model,
      RollupWindow window,
      Instant windowStart,
      long requests,
      String cost,
      String saved) {
    Duration size = window == RollupWindow.HOUR ? Duration.ofHours(1) : Duration.ofDays(1);
    return UsageRollup.newBuilder()
        .setTenantId(tenant)
        .setModel(model)
        .setProvider("simulated")
        .setProviderModel("sim-" + model)
        .setWindow(window)
        .setWindowStart(windowStart)
        .setWindowEnd(windowStart.plus(size))
        .setRequests(requests)
        .setCacheHits(requests / 2)
        .setInputTokens(requests * 100)
        .setOutputTokens(requests * 10)
        .setCacheReadInputTokens(requests * 40)
        .setCacheWriteInputTokens(requests * 20)
        .setCacheWrite1hInputTokens(requests * 5)
        .setReasoningTokens(requests * 3)
        .setCost(Usd.parse(cost))
        .setSavedCost(Usd.parse(saved))
        .setUpdatedAt(windowStart.plus(size))
        .build();
  }
}
