package io.aibroker.money;

import static org.assertj.core.api.Assertions.assertThat;

import io.aibroker.records.RollupWindow;
import io.aibroker.records.UsageRollup;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class TierSavingsTest {

  private static UsageRollup rollup(String cost, String standardCost) {
    return UsageRollup.newBuilder()
        .setTenantId("acme")
        .setModel("chat-batch")
        .setProvider("bedrock")
        .setProviderModel("m")
        .setWindow(RollupWindow.HOUR)
        .setWindowStart(Instant.EPOCH)
        .setWindowEnd(Instant.EPOCH.plusSeconds(3600))
        .setRequests(1)
        .setCacheHits(0)
        .setInputTokens(1)
        .setOutputTokens(1)
        .setCost(Usd.parse(cost))
        .setSavedCost(Usd.ZERO)
        .setStandardCost(standardCost == null ? null : Usd.parse(standardCost))
        .setUpdatedAt(Instant.EPOCH)
        .build();
  }

  @Test
  void aBatchCallSavedTheDifferenceToTheStandardPrice() {
    assertThat(TierSavings.savedVsStandard(rollup("0.5", "1"))).isEqualByComparingTo("0.5");
  }

  @Test
  void aDearerTierSavedLessThanNothing() {
    assertThat(TierSavings.savedVsStandard(rollup("1.2", "1"))).isEqualByComparingTo("-0.2");
  }

  @Test
  void aRollupWithoutAStandardCostClaimsNoSaving() {
    assertThat(TierSavings.standardCost(rollup("0.5", null))).isEqualByComparingTo("0.5");
    assertThat(TierSavings.savedVsStandard(rollup("0.5", null))).isEqualByComparingTo("0");
  }
}
