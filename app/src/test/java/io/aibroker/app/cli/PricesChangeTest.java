package io.aibroker.app.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.aibroker.money.Usd;
import io.aibroker.records.ModelTierPrice;
import io.aibroker.records.PriceList;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class PricesChangeTest {

  private static final Instant T = Instant.parse("2026-12-06T22:03:05.123Z");

  private static ModelTierPrice price(String model, String tier, String input, String output) {
    return ModelTierPrice.newBuilder()
        .setProviderModel(model)
        .setTier(tier)
        .setInputPerMillion(Usd.parse(input))
        .setOutputPerMillion(Usd.parse(output))
        .build();
  }

  private static PriceList base() {
    return PriceList.newBuilder()
        .setVersion("2026-12")
        .setEffectiveFrom(Instant.parse("2026-12-01T00:00:00Z"))
        .setSource("list prices")
        .setPrices(
            List.of(
                price("gpt-4o", "standard", "2.50", "10"),
                price("gpt-4o", "batch", "1.25", "5"),
                price("sim-chat-1", "standard", "0.15", "0.60")))
        .build();
  }

  @Test
  void replacesTheModelsPriceAtThatTierAndKeepsEveryOtherPrice() {
    PriceList next =
        PricesChange.apply(
            Optional.of(base()), price("gpt-4o", "standard", "2", "8"), "v2", T, "test");

    assertThat(next.getVersion()).isEqualTo("v2");
    assertThat(next.getEffectiveFrom()).isEqualTo(T);
    assertThat(next.getPrices())
        .extracting(p -> p.getProviderModel() + "/" + p.getTier() + "=" + p.getInputPerMillion())
        .containsExactly(
            "gpt-4o/standard=2.0000000000",
            "gpt-4o/batch=1.2500000000",
            "sim-chat-1/standard=0.1500000000");
  }

  @Test
  void addsAModelOrTierTheLatestVersionLacks() {
    PriceList next =
        PricesChange.apply(
            Optional.of(base()), price("gpt-4o", "priority", "4.25", "17"), "v2", T, "test");
    assertThat(next.getPrices())
        .hasSize(4)
        .last()
        .isEqualTo(price("gpt-4o", "priority", "4.25", "17"));
  }

  @Test
  void startsTheCatalogWhenThereIsNoVersionYet() {
    PriceList first =
        PricesChange.apply(
            Optional.empty(), price("gpt-4o", "standard", "2.5", "10"), "v1", T, "test");
    assertThat(first.getPrices()).hasSize(1);
  }

  @Test
  void readsPricesAsExactDecimalsAtTheSchemasScale() {
    assertThat(PricesChange.price("0.30", "--cache-read"))
        .isEqualTo(new BigDecimal("0.3000000000"));
    assertThat(PricesChange.price(" 3.75 ", "--cache-write")).isEqualByComparingTo("3.75");
    assertThat(PricesChange.price("0.0000000001", "--input")).isEqualByComparingTo("1E-10");
    assertThat(PricesChange.price(null, "--cache-read")).isNull();
  }

  @Test
  void refusesNegativeMalformedOverPreciseAndOversizedPrices() {
    assertThatThrownBy(() -> PricesChange.price("-1", "--input"))
        .hasMessageContaining("--input")
        .hasMessageContaining("must not be negative");
    assertThatThrownBy(() -> PricesChange.price("2,50", "--output"))
        .hasMessageContaining("--output: '2,50' is not a price");
    assertThatThrownBy(() -> PricesChange.price("0.00000000001", "--input"))
        .hasMessageContaining("at most 10 decimal places");
    assertThatThrownBy(() -> PricesChange.price("1e15", "--input"))
        .hasMessageContaining("too large");
  }

  @Test
  void boundsVersionIdsModelsAndTiers() {
    assertThat(PricesChange.versionId("2026-12.1")).isEqualTo("2026-12.1");
    assertThatThrownBy(() -> PricesChange.versionId("a b")).hasMessageContaining("version id");
    assertThatThrownBy(() -> PricesChange.versionId("x".repeat(65))).hasMessageContaining("1-64");
    assertThatThrownBy(() -> PricesChange.model("gpt\n4o")).hasMessageContaining("model");
    assertThatThrownBy(() -> PricesChange.model("m".repeat(257))).hasMessageContaining("model");
    assertThatThrownBy(() -> PricesChange.tier("Priority!")).hasMessageContaining("tier");
  }

  @Test
  void refusesAVersionPricingAModelsTierTwice() {
    PriceList twice =
        PriceList.newBuilder(base())
            .setPrices(
                List.of(
                    price("gpt-4o", "standard", "1", "1"), price("gpt-4o", "standard", "2", "2")))
            .build();
    assertThatThrownBy(() -> PricesChange.check(twice)).hasMessageContaining("priced twice");
  }

  @Test
  void defaultVersionIdsFollowTheClockToTheMillisecond() {
    assertThat(PricesChange.defaultVersionId(T)).isEqualTo("20261206T220305123Z");
    assertThat(PricesChange.versionId(PricesChange.defaultVersionId(T))).isNotBlank();
  }

  @Test
  void readsInstantsAndDatesForEffectiveFrom() {
    assertThat(PricesChange.instant("2027-01-01", "--effective-from"))
        .isEqualTo(Instant.parse("2027-01-01T00:00:00Z"));
    assertThat(PricesChange.instant("2027-01-01T08:30:00Z", "--effective-from"))
        .isEqualTo(Instant.parse("2027-01-01T08:30:00Z"));
    assertThatThrownBy(() -> PricesChange.instant("next week", "--effective-from"))
        .hasMessageContaining("--effective-from");
  }
}
