package io.aibroker.broker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.aibroker.records.TokenUsage;
import java.math.BigDecimal;
import org.junit.jupiter.api.Test;

/** The exact cost of one call, token class by token class. */
class TierPriceTest {

  /** Claude 3.5 Sonnet v2 on Bedrock: read 0.1x, write 1.25x, one-hour write 2x the input price. */
  private static final TierPrice SONNET =
      new TierPrice(
          new BigDecimal("3.00"),
          new BigDecimal("15.00"),
          new BigDecimal("0.30"),
          new BigDecimal("3.75"),
          new BigDecimal("6.00"));

  /** 1,000 read from the cache, 200 written to it, 300 uncached: 1,500 prompt tokens. */
  private static TokenUsage cachedCall(long write1h, long reasoning) {
    return new TokenUsage(1_500L, 500L, 1_000L, 200L, write1h, reasoning);
  }

  @Test
  void pricesEachTokenClassAtItsOwnPrice() {
    // 300 x 3.00 + 1,000 x 0.30 + 200 x 3.75 + 500 x 15.00 = 900 + 300 + 750 + 7,500 = 9,450 micro
    assertThat(SONNET.cost(cachedCall(0, 0))).isEqualTo(new BigDecimal("0.0094500000"));
  }

  @Test
  void pricesOneHourCacheWritesAtTheOneHourPrice() {
    // 120 of the 200 writes live an hour: 900 + 300 + 80 x 3.75 + 120 x 6.00 + 7,500 = 9,720
    assertThat(SONNET.cost(cachedCall(120, 0))).isEqualTo(new BigDecimal("0.0097200000"));
  }

  @Test
  void reasoningTokensAreBilledAsTheOutputTheyArePartOf() {
    assertThat(SONNET.cost(cachedCall(0, 400))).isEqualTo(SONNET.cost(cachedCall(0, 0)));
  }

  @Test
  void cacheReadsAndWritesWithoutPricesCostTheInputPrice() {
    TierPrice flat = new TierPrice(new BigDecimal("3.00"), new BigDecimal("15.00"));

    // 1,500 x 3.00 + 500 x 15.00 = 12,000 micro
    assertThat(flat.cost(cachedCall(120, 0))).isEqualTo(new BigDecimal("0.0120000000"));
    assertThat(flat.cacheReadPerMillion()).isEqualByComparingTo("3.00");
    assertThat(flat.cacheWrite1hPerMillion()).isEqualByComparingTo("3.00");
  }

  @Test
  void oneHourWritesWithoutAPriceCostTheWritePrice() {
    TierPrice noHour =
        new TierPrice(
            new BigDecimal("3.00"),
            new BigDecimal("15.00"),
            new BigDecimal("0.30"),
            new BigDecimal("3.75"),
            null);

    assertThat(noHour.cost(cachedCall(120, 0))).isEqualTo(new BigDecimal("0.0094500000"));
  }

  @Test
  void inconsistentCountsNeverBillATokenTwice() {
    // more cached than prompt tokens, more one-hour writes than writes: clamped to the prompt
    TokenUsage odd = new TokenUsage(100L, 0L, 80L, 50L, 70L, 0L);

    // 80 read x 0.30 + 20 written, all one-hour, x 6.00 = 24 + 120 = 144 micro
    assertThat(SONNET.cost(odd)).isEqualTo(new BigDecimal("0.0001440000"));
  }

  @Test
  void noUsageCostsNothing() {
    assertThat(SONNET.cost(null)).isEqualByComparingTo("0");
  }

  @Test
  void theWorstCaseOfACallThatMayWriteTheCacheTakesEveryPromptTokenAtTheDearestPromptPrice() {
    // 1,000 x 6.00 (one-hour write) + 100 x 15.00 = 7,500 micro
    assertThat(SONNET.worstCase(1_000, 100, true)).isEqualTo(new BigDecimal("0.0075000000"));
  }

  @Test
  void theWorstCaseOfACallWithoutACachePointTakesPromptTokensAtTheInputPrice() {
    // 1,000 x 3.00 + 100 x 15.00 = 4,500 micro
    assertThat(SONNET.worstCase(1_000, 100, false)).isEqualTo(new BigDecimal("0.0045000000"));
  }

  @Test
  void refusesNegativeOrMissingPrices() {
    assertThatThrownBy(() -> new TierPrice(new BigDecimal("-1"), BigDecimal.ONE))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(
            () ->
                new TierPrice(BigDecimal.ONE, BigDecimal.ONE, null, null, new BigDecimal("-0.01")))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new TierPrice(null, BigDecimal.ONE))
        .isInstanceOf(NullPointerException.class);
  }
}
