package io.aibroker.broker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.aibroker.money.Usd;
import io.aibroker.records.ModelTierPrice;
import io.aibroker.records.PriceList;
import io.aibroker.records.TokenUsage;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The pricing table: which version, which tier, which model, and what each costs. */
class PriceCatalogTest {

  private static final String SONNET = "anthropic.claude-3-5-sonnet-20241022-v2:0";
  private static final Instant T = Instant.parse("2026-12-01T00:00:00Z");

  /** The March list: input and output only. */
  private static final PriceList MARCH =
      list(
          "2026-03",
          Instant.parse("2026-03-01T00:00:00Z"),
          price(SONNET, "standard", "3.00", "15.00"));

  /** December, effective at T: cache prices, and a batch tier at half price. */
  private static final PriceList DECEMBER =
      list(
          "2026-12",
          T,
          price(SONNET, "standard", "3.00", "15.00", "0.30", "3.75", "6.00"),
          price(SONNET, "batch", "1.50", "7.50", "0.15", "1.875", "3.00"));

  private static final PriceCatalog CATALOG = PriceCatalog.ofLists(List.of(DECEMBER, MARCH));

  /** 1,000 cache-read, 200 cache-write and 300 uncached prompt tokens; 500 output. */
  private static final TokenUsage CACHED_CALL = new TokenUsage(1_500L, 500L, 1_000L, 200L, 0L, 0L);

  @Test
  void aClaudeCallOnBedrockCostsExactlyTheSumOverItsTokenClasses() {
    PriceVersion version = CATALOG.at(T.plusSeconds(1));

    // 300 x 3.00 + 1,000 x 0.30 + 200 x 3.75 + 500 x 15.00 = 9,450 micro-dollars
    assertThat(version.cost(SONNET, "standard", CACHED_CALL))
        .isEqualTo(new BigDecimal("0.0094500000"));
    assertThat(version.version()).isEqualTo("2026-12");
  }

  @Test
  void aVersionEffectiveAtTPricesCompletionsBeforeAndAfterTDifferentlyAndEachNamesItsVersion() {
    PriceVersion before = CATALOG.at(T.minusMillis(1));
    PriceVersion at = CATALOG.at(T);

    assertThat(before.version()).isEqualTo("2026-03");
    // March has no cache prices: all 1,500 prompt tokens at 3.00 + 500 x 15.00 = 12,000 micro
    assertThat(before.cost(SONNET, "standard", CACHED_CALL))
        .isEqualTo(new BigDecimal("0.0120000000"));
    assertThat(at.version()).isEqualTo("2026-12");
    assertThat(at.cost(SONNET, "standard", CACHED_CALL)).isEqualTo(new BigDecimal("0.0094500000"));
  }

  @Test
  void beforeTheFirstVersionTheFirstOnePrices() {
    assertThat(CATALOG.at(Instant.EPOCH).version()).isEqualTo("2026-03");
  }

  @Test
  void aListedTierHasItsOwnPriceAndAnUnlistedOneTheStandardPrice() {
    PriceVersion version = CATALOG.at(T);

    assertThat(version.cost(SONNET, "batch", CACHED_CALL))
        .isEqualTo(new BigDecimal("0.0047250000")); // half of 9,450
    assertThat(version.cost(SONNET, "flex", CACHED_CALL))
        .isEqualTo(version.cost(SONNET, "standard", CACHED_CALL));
  }

  @Test
  void anUnknownModelCostsNothingButIsStillPricedByANamedVersion() {
    PriceVersion version = CATALOG.at(T);

    assertThat(version.cost("some-new-model", "standard", CACHED_CALL)).isEqualTo(Usd.ZERO);
    assertThat(version.version()).isEqualTo("2026-12");
  }

  @Test
  void anEmptyCatalogPricesEverythingAtZeroUnderTheNoneVersion() {
    PriceCatalog empty = PriceCatalog.ofLists(List.of());

    assertThat(empty.at(T).version()).isEqualTo(PriceCatalog.NO_VERSION);
    assertThat(empty.at(T).cost(SONNET, "standard", CACHED_CALL)).isEqualTo(Usd.ZERO);
  }

  @Test
  void aVersionLaidOverTheCatalogReplacesTheOneOfTheSameIdAndAddsNewOnes() {
    PriceVersion cheaperDecember =
        PriceVersion.of(list("2026-12", T, price(SONNET, "standard", "1.00", "1.00")));
    PriceVersion january =
        PriceVersion.of(
            list(
                "2027-01",
                Instant.parse("2027-01-01T00:00:00Z"),
                price(SONNET, "standard", "2", "2")));

    PriceCatalog overlaid = CATALOG.overlaidWith(List.of(cheaperDecember, january));

    assertThat(overlaid.versions())
        .extracting(PriceVersion::version)
        .containsExactly("2026-03", "2026-12", "2027-01");
    assertThat(overlaid.at(T).cost(SONNET, "standard", CACHED_CALL))
        .isEqualTo(new BigDecimal("0.0020000000")); // 2,000 tokens at 1.00
    assertThat(overlaid.at(Instant.parse("2027-06-01T00:00:00Z")).version()).isEqualTo("2027-01");
    assertThat(CATALOG.at(T).cost(SONNET, "standard", CACHED_CALL))
        .isEqualTo(new BigDecimal("0.0094500000")); // the base catalog is unchanged
  }

  @Test
  void versionsEffectiveAtTheSameInstantAreOrderedByIdSoEveryBrokerPicksTheSame() {
    PriceCatalog tie =
        PriceCatalog.ofLists(
            List.of(
                list("b", T, price(SONNET, "standard", "2", "2")),
                list("a", T, price(SONNET, "standard", "1", "1"))));

    assertThat(tie.at(T).version()).isEqualTo("b");
  }

  @Test
  void refusesAVersionThatPricesAModelAndTierTwiceOrATierWithoutAStandardOne() {
    assertThatThrownBy(
            () ->
                PriceVersion.of(
                    list(
                        "x",
                        T,
                        price(SONNET, "standard", "1", "1"),
                        price(SONNET, "standard", "2", "2"))))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("twice");
    assertThatThrownBy(() -> PriceVersion.of(list("x", T, price(SONNET, "batch", "1", "1"))))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("standard");
    assertThatThrownBy(() -> PriceCatalog.ofLists(List.of(MARCH, MARCH)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("twice");
  }

  static PriceList list(String version, Instant from, ModelTierPrice... prices) {
    return PriceList.newBuilder()
        .setVersion(version)
        .setEffectiveFrom(from)
        .setSource("test")
        .setPrices(List.of(prices))
        .build();
  }

  static ModelTierPrice price(String model, String tier, String input, String output) {
    return price(model, tier, input, output, null, null, null);
  }

  static ModelTierPrice price(
      String model,
      String tier,
      String input,
      String output,
      String cacheRead,
      String cacheWrite,
      String cacheWrite1h) {
    return ModelTierPrice.newBuilder()
        .setProviderModel(model)
        .setTier(tier)
        .setInputPerMillion(Usd.parse(input))
        .setOutputPerMillion(Usd.parse(output))
        .setCacheReadPerMillion(cacheRead == null ? null : Usd.parse(cacheRead))
        .setCacheWritePerMillion(cacheWrite == null ? null : Usd.parse(cacheWrite))
        .setCacheWrite1hPerMillion(cacheWrite1h == null ? null : Usd.parse(cacheWrite1h))
        .build();
  }
}
