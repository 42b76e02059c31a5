package io.aibroker.app.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.aibroker.money.Usd;
import io.aibroker.records.ModelTierPrice;
import io.aibroker.records.PriceList;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class PricesTableTest {

  private static final PriceList MARCH =
      PriceList.newBuilder()
          .setVersion("2026-03")
          .setEffectiveFrom(Instant.parse("2026-03-01T00:00:00Z"))
          .setSource("list prices of March 2026")
          .setPrices(
              List.of(
                  ModelTierPrice.newBuilder()
                      .setProviderModel("gpt-4o")
                      .setInputPerMillion(Usd.parse("2.50"))
                      .setOutputPerMillion(Usd.parse("10"))
                      .build()))
          .build();

  private static final PriceList DECEMBER =
      PriceList.newBuilder()
          .setVersion("2026-12")
          .setEffectiveFrom(Instant.parse("2026-12-01T00:00:00Z"))
          .setSource("Bedrock pricing page, read 2026-12-01")
          .setPrices(
              List.of(
                  ModelTierPrice.newBuilder()
                      .setProviderModel("anthropic.claude-sonnet-4")
                      .setInputPerMillion(Usd.parse("3"))
                      .setOutputPerMillion(Usd.parse("15"))
                      .setCacheReadPerMillion(Usd.parse("0.30"))
                      .setCacheWritePerMillion(Usd.parse("3.75"))
                      .setCacheWrite1hPerMillion(Usd.parse("6"))
                      .build(),
                  ModelTierPrice.newBuilder()
                      .setProviderModel("gpt-4o")
                      .setTier("batch")
                      .setInputPerMillion(Usd.parse("1.25"))
                      .setOutputPerMillion(Usd.parse("5"))
                      .setCacheReadPerMillion(Usd.parse("0.625"))
                      .build()))
          .build();

  @Test
  void listsVersionsAndMarksTheOneInEffect() {
    String table =
        PricesTable.versions(
            List.of(MARCH, DECEMBER),
            Instant.parse("2026-06-01T00:00:00Z"),
            PricesTable.Format.TABLE);

    assertThat(table.lines().toList())
        .containsExactly(
            "VERSION  EFFECTIVE FROM        IN EFFECT  PRICES  SOURCE",
            "2026-03  2026-03-01T00:00:00Z  yes             1  list prices of March 2026",
            "2026-12  2026-12-01T00:00:00Z                  2  Bedrock pricing page, read 2026-12-01");
  }

  @Test
  void showsEachTokenClassAtThePriceItIsBilledAtFallbacksResolved() {
    String table = PricesTable.prices(DECEMBER, PricesTable.Format.TABLE);

    assertThat(table.lines().toList())
        .containsExactly(
            "version 2026-12, effective from 2026-12-01T00:00:00Z (Bedrock pricing page, read"
                + " 2026-12-01); USD per million tokens",
            "MODEL                      TIER      INPUT  OUTPUT  CACHE READ  CACHE WRITE  CACHE WRITE 1H",
            "anthropic.claude-sonnet-4  standard      3      15         0.3         3.75               6",
            "gpt-4o                     batch      1.25       5       0.625         1.25            1.25");
  }

  @Test
  void writesCsvWithAHeaderAndOneRowPerPrice() {
    assertThat(PricesTable.prices(DECEMBER, PricesTable.Format.CSV))
        .isEqualTo(
            "MODEL,TIER,INPUT,OUTPUT,CACHE READ,CACHE WRITE,CACHE WRITE 1H\r\n"
                + "anthropic.claude-sonnet-4,standard,3,15,0.3,3.75,6\r\n"
                + "gpt-4o,batch,1.25,5,0.625,1.25,1.25\r\n");
    assertThat(PricesTable.versions(List.of(DECEMBER), Instant.EPOCH, PricesTable.Format.CSV))
        .isEqualTo(
            "VERSION,EFFECTIVE FROM,IN EFFECT,PRICES,SOURCE\r\n"
                + "2026-12,2026-12-01T00:00:00Z,,2,\"Bedrock pricing page, read 2026-12-01\"\r\n");
  }

  @Test
  void writesJsonRecordsWithUnsetCachePricesLeftOut() {
    String json = PricesTable.prices(DECEMBER, PricesTable.Format.JSON);
    assertThat(json)
        .contains("\"version\":\"2026-12\"")
        .contains("\"cacheReadPerMillion\":0.3")
        .contains("\"cacheWrite1hPerMillion\":6");
    assertThat(json.substring(json.indexOf("\"gpt-4o\""))).doesNotContain("cacheWritePerMillion");
    assertThat(PricesTable.versions(List.of(MARCH), Instant.EPOCH, PricesTable.Format.JSON))
        .startsWith("[{\"version\":\"2026-03\"");
  }
}
