package io.aibroker.app.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.aibroker.broker.PriceCatalog;
import io.aibroker.broker.PriceVersion;
import io.aibroker.records.PriceList;
import io.aibroker.records.TokenUsage;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The configured price versions, as the broker's catalog and the prices topic get them. */
class PriceListsTest {

  private static final String SONNET = "anthropic.claude-3-5-sonnet-20241022-v2:0";

  /** 1,000 cache-read, 200 cache-write (50 of them for an hour), 300 uncached; 500 output. */
  private static final TokenUsage CACHED_CALL = new TokenUsage(1_500L, 500L, 1_000L, 200L, 50L, 0L);

  @TempDir Path dir;

  @Test
  void theDefaultsKeepMarchAsHistoryAndPriceFromDecemberWithCacheClassesAndBatch() {
    PriceCatalog catalog = ComponentConfigs.prices(ConfigLoader.load(null, Map.of()));

    assertThat(catalog.versions())
        .extracting(PriceVersion::version)
        .containsExactly("2026-03", "2026-12");
    PriceVersion march = catalog.at(Instant.parse("2026-11-30T23:59:59Z"));
    PriceVersion december = catalog.at(Instant.parse("2026-12-01T00:00:00Z"));
    assertThat(march.version()).isEqualTo("2026-03");
    // March: every prompt token at 3.00, 500 x 15.00 = 4,500 + 7,500 = 12,000 micro
    assertThat(march.cost(SONNET, "standard", CACHED_CALL))
        .isEqualTo(new BigDecimal("0.0120000000"));
    // December: 300 x 3.00 + 1,000 x 0.30 + 150 x 3.75 + 50 x 6.00 + 500 x 15.00
    //   = 900 + 300 + 562.5 + 300 + 7,500 = 9,562.5 micro
    assertThat(december.cost(SONNET, "standard", CACHED_CALL))
        .isEqualTo(new BigDecimal("0.0095625000"));
    assertThat(december.cost(SONNET, "batch", CACHED_CALL))
        .isEqualTo(new BigDecimal("0.0047812500"));
    // Azure: the cached tokens at 1.25 instead of 2.50
    TokenUsage azure = new TokenUsage(2_000L, 0L, 1_000L, 0L, 0L, 0L);
    assertThat(december.cost("gpt-4o", "standard", azure))
        .isEqualTo(new BigDecimal("0.0037500000"));
    assertThat(december.price("sim-chat-1", "standard").cacheWrite1hPerMillion())
        .isEqualByComparingTo("0.30");
  }

  @Test
  void everyDefaultModelOfTheExamplesIsPricedInTheCurrentVersion() {
    PriceVersion current =
        ComponentConfigs.prices(ConfigLoader.load(null, Map.of())).at(Instant.now());
    List<String> models =
        List.of(
            "sim-chat-1",
            "sim-embed-1",
            SONNET,
            "anthropic.claude-3-5-haiku-20241022-v1:0",
            "meta.llama3-3-70b-instruct-v1:0",
            "gpt-4o",
            "gpt-4o-mini",
            "o3-mini",
            "o1",
            "@cf/meta/llama-3.3-70b-instruct-fp8-fast",
            "@cf/meta/llama-3.1-8b-instruct",
            "@cf/baai/bge-m3");

    assertThat(models).allSatisfy(m -> assertThat(current.price(m, "standard")).isNotNull());
  }

  @Test
  void theCurrentVersionNamesItsSources() {
    List<PriceList> lists = ComponentConfigs.priceLists(ConfigLoader.load(null, Map.of()));

    assertThat(lists.getLast().getSource())
        .contains("aws.amazon.com/bedrock/pricing")
        .contains("azure.microsoft.com")
        .contains("developers.cloudflare.com");
  }

  @Test
  void aUserFileReplacesTheVersionsAndTiersAndOneHourWritesAreRead() throws Exception {
    Path file = dir.resolve("prices.yaml");
    Files.writeString(
        file,
        """
        prices:
          versions:
            - version: "mine"
              effective-from: "2027-01-01T12:00:00Z"
              models:
                m1:
                  input-per-million: "1"
                  output-per-million: "2"
                  cache-write-per-million: "3"
                  cache-write-1h-per-million: "4"
                  tiers:
                    flex: {input-per-million: "0.5", output-per-million: "1"}
        """);

    PriceCatalog catalog = ComponentConfigs.prices(ConfigLoader.load(file, Map.of()));

    PriceVersion mine = catalog.at(Instant.parse("2027-01-01T12:00:00Z"));
    assertThat(catalog.versions()).hasSize(1);
    assertThat(mine.version()).isEqualTo("mine");
    assertThat(mine.price("m1", "standard").cacheWrite1hPerMillion()).isEqualByComparingTo("4");
    assertThat(mine.price("m1", "standard").cacheReadPerMillion()).isEqualByComparingTo("1");
    assertThat(mine.price("m1", "flex").inputPerMillion()).isEqualByComparingTo("0.5");
  }

  @Test
  void aBadPriceIsRefusedWithItsPath() throws Exception {
    Path file = dir.resolve("bad.yaml");
    Files.writeString(
        file,
        """
        prices:
          versions:
            - version: "bad"
              models:
                m1: {input-per-million: "-1", output-per-million: "2"}
        """);

    assertThatThrownBy(() -> ComponentConfigs.prices(ConfigLoader.load(file, Map.of())))
        .hasMessageContaining("bad")
        .hasMessageContaining("m1");
  }
}
