package io.aibroker.app.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.aibroker.money.Usd;
import io.aibroker.records.ResultStatus;
import io.aibroker.records.UsageEvent;
import java.math.BigDecimal;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** The lines {@code aibroker tail usage} prints: every token class that was billed shows. */
class TailUsageLineTest {

  private static UsageEvent event(long cacheRead, long cacheWrite, long write1h, long reasoning) {
    return UsageEvent.newBuilder()
        .setEventId("e1")
        .setRequestId("r1")
        .setTenantId("acme")
        .setModel("chat-default")
        .setProvider("bedrock")
        .setProviderModel("claude")
        .setInputTokens(1_500)
        .setOutputTokens(500)
        .setCacheReadInputTokens(cacheRead)
        .setCacheWriteInputTokens(cacheWrite)
        .setCacheWrite1hInputTokens(write1h)
        .setReasoningTokens(reasoning)
        .setCost(Usd.of(new BigDecimal("0.0123")))
        .setPriceVersion("2026-12")
        .setSavedCost(Usd.of(BigDecimal.ZERO))
        .setStatus(ResultStatus.SUCCEEDED)
        .setOccurredAt(Instant.parse("2026-12-01T10:00:00Z"))
        .build();
  }

  @Test
  void aUsageLineShowsCacheAndReasoningTokensAndThePriceVersion() {
    String line = TailCommand.usageLine(event(1_000, 200, 50, 320));

    assertThat(line)
        .contains(
            "tokens 1500+500 (cache-read 1000, cache-write 200 (1h 50), reasoning 320)",
            "price 2026-12");
  }

  @Test
  void aUsageLineWithoutCacheOrReasoningShowsTheTokensAsBefore() {
    String line = TailCommand.usageLine(event(0, 0, 0, 0));

    assertThat(line).contains("tokens 1500+500  ").doesNotContain("cache-read", "reasoning");
  }

  @Test
  void onlyTheClassesThatWereBilledShow() {
    assertThat(TailCommand.tokenClasses(0, 200, 0, 0)).isEqualTo(" (cache-write 200)");
    assertThat(TailCommand.tokenClasses(0, 0, 0, 7)).isEqualTo(" (reasoning 7)");
    assertThat(TailCommand.tokenClasses(0, 0, 0, 0)).isEmpty();
  }
}
