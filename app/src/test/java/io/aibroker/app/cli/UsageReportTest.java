package io.aibroker.app.cli;

import static io.aibroker.app.cli.Rollups.hourly;
import static io.aibroker.app.cli.Rollups.rollup;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.aibroker.records.RollupWindow;
import io.aibroker.records.UsageRollup;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class UsageReportTest {

  private static final Instant NINE = Instant.parse("2026-03-14T09:00:00Z");
  private static final Instant TEN = Instant.parse("2026-03-14T10:00:00Z");
  private static final String EXPONENT = "\\d[eE][-+]?\\d";

  private final List<UsageRollup> rollups =
      List.of(
          hourly("acme", "chat-default", NINE, 3, "0.0000015"),
          // globex's calls were batch jobs at half the standard price
          Rollups.atStandard(
              rollup("globex", "chat-large", RollupWindow.HOUR, TEN, 10, "12.3456789", "1.5"),
              "24.6913578"));

  @Test
  void tablePrintsOneAlignedLinePerRollupAndATotalLine() {
    List<String> lines = UsageReport.table(rollups).lines().toList();

    assertThat(lines).hasSize(5);
    assertThat(lines.get(0))
        .startsWith("WINDOW START (UTC)  TENANT  MODEL")
        .endsWith("COST USD  SAVED USD  SAVED VS STANDARD USD");
    assertThat(lines.get(1))
        .startsWith("2026-03-14 09:00    acme    chat-default  simulated  sim-chat-default")
        .endsWith("0.000002   0.000000               0.000000");
    assertThat(lines.get(2)).startsWith("2026-03-14 10:00    globex  chat-large");
    assertThat(lines.get(3)).matches("[- ]+");
    assertThat(lines.get(4).split(" +"))
        .containsExactly(
            "TOTAL",
            "13",
            "6",
            "1300",
            "130",
            "520",
            "260",
            "65",
            "39",
            "12.345680",
            "1.500000",
            "12.345679");
    // Right-aligned numbers: every line has the same width up to its last column.
    assertThat(lines.get(1).length()).isEqualTo(lines.get(0).length());
    assertThat(lines.get(4).length()).isEqualTo(lines.get(0).length());
  }

  @Test
  void tableTotalAddsExactAmountsBeforeRounding() {
    var tiny =
        List.of(
            hourly("acme", "m", NINE, 1, "0.0000004"), hourly("acme", "n", NINE, 1, "0.0000004"));

    String total = UsageReport.table(tiny).lines().reduce((a, b) -> b).orElseThrow();

    // Each line rounds to 0.000000; together they are 0.0000008, i.e. 0.000001.
    assertThat(total).contains("0.000001");
  }

  @Test
  void tableWithNoRollupsStillPrintsAZeroTotal() {
    List<String> lines = UsageReport.table(List.of()).lines().toList();

    assertThat(lines).hasSize(3);
    assertThat(lines.get(2).split(" +"))
        .containsExactly(
            "TOTAL", "0", "0", "0", "0", "0", "0", "0", "0", "0.000000", "0.000000", "0.000000");
  }

  @Test
  void moneyIsNeverPrintedWithAnExponent() {
    var huge = List.of(hourly("acme", "m", NINE, 1, "12345678901234"));
    var small = List.of(hourly("acme", "m", NINE, 1, "0.0000000001"));

    assertThat(UsageReport.table(huge))
        .contains("12345678901234.000000")
        .doesNotContainPattern(EXPONENT);
    assertThat(UsageReport.csv(small)).contains("0.0000000001").doesNotContainPattern(EXPONENT);
    assertThat(UsageReport.render(small, UsageReport.Format.JSON))
        .contains("\"cost\":0.0000000001")
        .doesNotContainPattern(EXPONENT);
  }

  @Test
  void csvHasAHeaderAndOneLinePerRollupAtFullPrecision() {
    String csv = UsageReport.csv(rollups);

    assertThat(csv.split("\r\n", -1))
        .containsExactly(
            "window_start,tenant,model,provider,provider_model,requests,cache_hits,"
                + "input_tokens,output_tokens,cost_usd,saved_usd,"
                + "cache_read_tokens,cache_write_tokens,cache_write_1h_tokens,reasoning_tokens,"
                + "saved_vs_standard_usd",
            "2026-03-14T09:00:00Z,acme,chat-default,simulated,sim-chat-default,3,1,300,30,"
                + "0.0000015,0,120,60,15,9,0",
            "2026-03-14T10:00:00Z,globex,chat-large,simulated,sim-chat-large,10,5,1000,100,"
                + "12.3456789,1.5,400,200,50,30,12.3456789",
            "");
  }

  @Test
  void tableShowsTheTokenClassesOfEachRollupBetweenTokensAndMoney() {
    List<String> lines = UsageReport.table(rollups).lines().toList();

    assertThat(lines.get(0))
        .containsPattern(
            "OUTPUT TOKENS +CACHE READ +CACHE WRITE +CACHE WRITE 1H +REASONING +COST USD");
    assertThat(lines.get(1).split(" +"))
        .endsWith("300", "30", "120", "60", "15", "9", "0.000002", "0.000000", "0.000000");
  }

  @Test
  void csvKeepsTheEarlierColumnsInPlaceForReadersOfTheOldLayout() {
    String[] header = UsageReport.csv(rollups).split("\r\n")[0].split(",");

    assertThat(header)
        .startsWith(
            "window_start",
            "tenant",
            "model",
            "provider",
            "provider_model",
            "requests",
            "cache_hits",
            "input_tokens",
            "output_tokens",
            "cost_usd",
            "saved_usd");
    assertThat(header).hasSize(16);
    assertThat(header[15]).isEqualTo("saved_vs_standard_usd");
  }

  @Test
  void csvQuotesValuesThatContainCommas() {
    String csv = UsageReport.csv(List.of(hourly("acme", "model,with,commas", NINE, 1, "1")));

    assertThat(csv).contains(",\"model,with,commas\",");
  }

  @Test
  void jsonIsOneArrayOfRollupsWithExactAmounts() throws Exception {
    String json = UsageReport.render(rollups, UsageReport.Format.JSON);

    assertThat(json.strip().lines()).hasSize(1);
    JsonNode array =
        new ObjectMapper().enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS).readTree(json);
    assertThat(array.isArray()).isTrue();
    assertThat(array).hasSize(2);
    JsonNode first = array.get(0);
    assertThat(first.get("tenantId").asText()).isEqualTo("acme");
    assertThat(first.get("windowStart").asText()).isEqualTo("2026-03-14T09:00:00Z");
    assertThat(first.get("window").asText()).isEqualTo("HOUR");
    assertThat(first.get("requests").asLong()).isEqualTo(3);
    assertThat(first.get("cost").decimalValue()).isEqualByComparingTo(new BigDecimal("0.0000015"));
    assertThat(array.get(1).get("savedCost").decimalValue())
        .isEqualByComparingTo(new BigDecimal("1.5"));
    assertThat(first.get("cacheReadInputTokens").asLong()).isEqualTo(120);
    assertThat(first.get("cacheWriteInputTokens").asLong()).isEqualTo(60);
    assertThat(first.get("cacheWrite1hInputTokens").asLong()).isEqualTo(15);
    assertThat(first.get("reasoningTokens").asLong()).isEqualTo(9);
    assertThat(first.get("savedVsStandard").decimalValue()).isEqualByComparingTo("0");
    assertThat(array.get(1).get("standardCost").decimalValue())
        .isEqualByComparingTo(new BigDecimal("24.6913578"));
    assertThat(array.get(1).get("savedVsStandard").decimalValue())
        .isEqualByComparingTo(new BigDecimal("12.3456789"));
  }

  @Test
  void aRollupWrittenBeforeStandardCostsExistedClaimsNoTierSaving() {
    UsageRollup old = hourly("acme", "m", NINE, 1, "2");

    assertThat(old.getStandardCost()).isNull();
    assertThat(UsageReport.csv(List.of(old)).split("\r\n")[1]).endsWith(",0");
  }

  @Test
  void aDearerTierShowsANegativeSaving() {
    var priority = List.of(Rollups.atStandard(hourly("acme", "m", NINE, 1, "3"), "2"));

    assertThat(UsageReport.table(priority).lines().toList().get(1)).endsWith("-1.000000");
  }
}
