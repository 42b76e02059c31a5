package io.aibroker.money;

import io.aibroker.records.UsageEvent;
import io.aibroker.records.UsageRollup;
import java.math.BigDecimal;

/**
 * What a service tier other than the standard one (batch, flex) saved: the usage's cost at the
 * standard tier of the same price version, less what it was charged. Negative for a dearer tier
 * (priority). Records written before they carried a standard cost are read as charged at the
 * standard tier: they claim no saving.
 */
public final class TierSavings {

  private TierSavings() {}

  /** The event's cost at the standard tier (its cost, for an event that carries none). */
  public static BigDecimal standardCost(UsageEvent event) {
    return event.getStandardCost() != null ? event.getStandardCost() : event.getCost();
  }

  /** The rollup's cost at the standard tier (its cost, for a rollup that carries none). */
  public static BigDecimal standardCost(UsageRollup rollup) {
    return rollup.getStandardCost() != null ? rollup.getStandardCost() : rollup.getCost();
  }

  /** What the rollup's tiers saved against the standard tier. */
  public static BigDecimal savedVsStandard(UsageRollup rollup) {
    return standardCost(rollup).subtract(rollup.getCost());
  }
}
