package io.aibroker.app.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.core.StreamWriteFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.json.JsonMapper;
import io.aibroker.money.Usd;
import io.aibroker.records.RollupWindow;
import io.aibroker.records.UsageRollup;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class UsageSummaryTest {

  private static final UsageRange MARCH =
      new UsageRange(Instant.parse("2026-03-01T00:00:00Z"), Instant.parse("2026-04-01T00:00:00Z"));

  private static UsageRollup rollup(String model, String provider, String hour, String cost) {
    Instant start = Instant.parse(hour);
    return UsageRollup.newBuilder()
        .setTenantId("acme")
        .setModel(model)
        .setProvider(provider)
        .setProviderModel(provider + "-model")
        .setWindow(RollupWindow.HOUR)
        .setWindowStart(start)
        .setWindowEnd(start.plusSeconds(3600))
        .setRequests(2)
        .setCacheHits(1)
        .setInputTokens(100)
        .setOutputTokens(40)
        .setCacheReadInputTokens(60)
        .setCacheWriteInputTokens(30)
        .setCacheWrite1hInputTokens(10)
        .setReasoningTokens(25)
        .setCost(Usd.of(new BigDecimal(cost)))
        .setSavedCost(Usd.of(new BigDecimal("0.0000001")))
        .setUpdatedAt(start)
        .build();
  }

  @Test
  void addsUpTotalsAndPerModelAndProviderWithExactMoney() throws Exception {
    List<UsageRollup> rollups =
        List.of(
            rollup("chat-default", "simulated", "2026-03-02T10:00:00Z", "0.0000001"),
            rollup("chat-default", "simulated", "2026-03-02T11:00:00Z", "0.0000002"),
            rollup("chat-default", "bedrock", "2026-03-02T11:00:00Z", "1.5"));

    // Rendered the way the API renders it, then read back.
    String text =
        JsonMapper.builder()
            .enable(StreamWriteFeature.WRITE_BIGDECIMAL_AS_PLAIN)
            .build()
            .writeValueAsString(UsageSummary.of("acme", MARCH, rollups));
    JsonNode body = JsonMapper.builder().build().readTree(text);

    assertThat(body.get("tenant").asText()).isEqualTo("acme");
    assertThat(body.get("start_time").asLong()).isEqualTo(MARCH.start().getEpochSecond());
    assertThat(body.at("/totals/requests").asLong()).isEqualTo(6);
    assertThat(body.at("/totals/cache_hits").asLong()).isEqualTo(3);
    assertThat(body.at("/totals/input_tokens").asLong()).isEqualTo(300);
    assertThat(body.at("/totals/output_tokens").asLong()).isEqualTo(120);
    assertThat(text).contains("\"cost_usd\":1.5000003").doesNotContain("E-");
    assertThat(body.get("data")).hasSize(2);
    JsonNode first = body.at("/data/0");
    assertThat(first.get("provider").asText()).isEqualTo("bedrock");
    assertThat(first.get("requests").asLong()).isEqualTo(2);
    JsonNode simulated = body.at("/data/1");
    assertThat(simulated.get("provider_model").asText()).isEqualTo("simulated-model");
    assertThat(simulated.get("requests").asLong()).isEqualTo(4);
    assertThat(simulated.get("cost_usd").decimalValue()).isEqualByComparingTo("0.0000003");
  }

  @Test
  void reportsCacheReadCacheWriteAndReasoningTokensInTotalAndPerGroup() {
    List<UsageRollup> rollups =
        List.of(
            rollup("chat-default", "bedrock", "2026-03-02T10:00:00Z", "0.01"),
            rollup("chat-default", "bedrock", "2026-03-02T11:00:00Z", "0.01"),
            rollup("chat-default", "simulated", "2026-03-02T11:00:00Z", "0.01"));

    JsonNode body = UsageSummary.of("acme", MARCH, rollups);

    assertThat(body.at("/totals/cache_read_tokens").asLong()).isEqualTo(180);
    assertThat(body.at("/totals/cache_write_tokens").asLong()).isEqualTo(90);
    assertThat(body.at("/totals/cache_write_1h_tokens").asLong()).isEqualTo(30);
    assertThat(body.at("/totals/reasoning_tokens").asLong()).isEqualTo(75);
    JsonNode bedrock = body.at("/data/0");
    assertThat(bedrock.get("provider").asText()).isEqualTo("bedrock");
    assertThat(bedrock.get("cache_read_tokens").asLong()).isEqualTo(120);
    assertThat(bedrock.get("cache_write_tokens").asLong()).isEqualTo(60);
    assertThat(bedrock.get("cache_write_1h_tokens").asLong()).isEqualTo(20);
    assertThat(bedrock.get("reasoning_tokens").asLong()).isEqualTo(50);
  }

  @Test
  void showsWhatCheaperTiersSavedAgainstTheStandardTierInTotalAndPerGroup() {
    UsageRollup batch = rollup("chat-batch", "bedrock", "2026-03-02T11:00:00Z", "0.75");
    batch.setStandardCost(Usd.of(new BigDecimal("1.5"))); // batch jobs at half price
    UsageRollup old = rollup("chat-default", "simulated", "2026-03-02T10:00:00Z", "0.2");

    JsonNode body = UsageSummary.of("acme", MARCH, List.of(batch, old));

    assertThat(body.at("/totals/saved_vs_standard_usd").decimalValue())
        .isEqualByComparingTo("0.75");
    assertThat(body.at("/data/0/model").asText()).isEqualTo("chat-batch");
    assertThat(body.at("/data/0/saved_vs_standard_usd").decimalValue())
        .isEqualByComparingTo("0.75");
    // a rollup without a standard cost (written before it existed) claims no saving
    assertThat(body.at("/data/1/saved_vs_standard_usd").decimalValue()).isEqualByComparingTo("0");
  }

  @Test
  void noUsageIsZeroEverywhereAndNoGroups() {
    JsonNode body = UsageSummary.of("acme", MARCH, List.of());

    assertThat(body.at("/totals/requests").asLong()).isZero();
    assertThat(body.at("/totals/cost_usd").decimalValue()).isEqualByComparingTo("0");
    assertThat(body.at("/totals/cache_read_tokens").asLong()).isZero();
    assertThat(body.at("/totals/reasoning_tokens").isIntegralNumber()).isTrue();
    assertThat(body.get("data")).isEmpty();
  }
}
