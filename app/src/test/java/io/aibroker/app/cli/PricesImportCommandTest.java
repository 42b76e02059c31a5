package io.aibroker.app.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.aibroker.records.PriceList;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class PricesImportCommandTest {

  private static final String VERSIONS =
      """
      - version: "2027-01"
        effective-from: "2027-01-01"
        source: "Azure OpenAI pricing page, read 2026-12-20"
        models:
          gpt-4o:
            input-per-million: "2.50"
            output-per-million: "10.00"
            cache-read-per-million: "1.25"
            tiers:
              batch: {input-per-million: "1.25", output-per-million: "5.00"}
      - version: "2027-02"
        effective-from: "2027-02-01T12:00:00Z"
        models:
          sim-chat-1: {input-per-million: "0.15", output-per-million: "0.60"}
      """;

  @Test
  void readsAListShapedLikeTheConfigurationsPriceVersions() {
    List<PriceList> versions = PricesImportCommand.parse(VERSIONS);

    assertThat(versions).extracting(PriceList::getVersion).containsExactly("2027-01", "2027-02");
    PriceList january = versions.getFirst();
    assertThat(january.getEffectiveFrom()).isEqualTo(Instant.parse("2027-01-01T00:00:00Z"));
    assertThat(january.getSource()).isEqualTo("Azure OpenAI pricing page, read 2026-12-20");
    assertThat(january.getPrices())
        .extracting(
            p -> p.getTier() + " " + p.getInputPerMillion() + " " + p.getCacheReadPerMillion())
        .containsExactly("standard 2.5000000000 1.2500000000", "batch 1.2500000000 null");
    assertThat(versions.get(1).getEffectiveFrom()).isEqualTo(Instant.parse("2027-02-01T12:00:00Z"));
  }

  @Test
  void readsTheListUnderVersionsOrPricesVersionsToo() {
    String indented = VERSIONS.indent(4);
    assertThat(PricesImportCommand.parse("versions:\n" + indented)).hasSize(2);
    assertThat(PricesImportCommand.parse("prices:\n  versions:\n" + indented)).hasSize(2);
  }

  @Test
  void refusesDuplicateIdsNegativePricesUnknownKeysAndEmptyFiles() {
    assertThatThrownBy(() -> PricesImportCommand.parse(VERSIONS + VERSIONS))
        .hasMessageContaining("2027-01 appears twice");
    assertThatThrownBy(
            () ->
                PricesImportCommand.parse(
                    "- version: x\n  models:\n    m: {input-per-million: \"-1\","
                        + " output-per-million: \"1\"}\n"))
        .hasMessageContaining("must not be negative");
    assertThatThrownBy(
            () -> PricesImportCommand.parse("- version: x\n  models: {}\n  colour: blue\n"))
        .hasMessageContaining("colour");
    assertThatThrownBy(() -> PricesImportCommand.parse("")).hasMessageContaining("expected a list");
    assertThatThrownBy(() -> PricesImportCommand.parse("- version: \"a b\"\n"))
        .hasMessageContaining("version id");
  }
}
