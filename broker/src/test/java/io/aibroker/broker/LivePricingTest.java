package io.aibroker.broker;

import static io.aibroker.broker.PriceCatalogTest.list;
import static io.aibroker.broker.PriceCatalogTest.price;
import static io.aibroker.broker.TestRequests.NOW;
import static io.aibroker.broker.TestRequests.chat;
import static org.assertj.core.api.Assertions.assertThat;

import io.aibroker.records.DispatchRequest;
import io.aibroker.records.InferenceResult;
import io.aibroker.records.ProviderOutcome;
import io.aibroker.records.RollupWindow;
import io.aibroker.records.TokenUsage;
import io.aibroker.records.UsageEvent;
import io.aibroker.records.UsageRollup;
import java.math.BigDecimal;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Prices on the compacted prices topic, through the whole topology: a version written there prices
 * the next completion, without a restart; usage events and roll-ups carry every token class and the
 * tier.
 */
class LivePricingTest {

  private final BrokerHarness broker = new BrokerHarness(TenantDefaults.unlimited(), Set.of());

  @AfterEach
  void close() {
    broker.close();
  }

  /** 1,500 prompt tokens (1,000 read from the cache, 200 written), 500 output (300 reasoning). */
  private static final TokenUsage CACHED_CALL =
      new TokenUsage(1_500L, 500L, 1_000L, 200L, 50L, 300L);

  private DispatchRequest dispatched(String requestId, String text) {
    broker.send(chat(requestId, "acme", text).build());
    return broker.dispatch.readValue();
  }

  private void complete(DispatchRequest dispatch, TokenUsage usage, String reportedTier) {
    ProviderOutcome outcome =
        BrokerHarness.success(
            dispatch.getRequestId(), "acme", dispatch.getRoute(), dispatch.getAttempt(), 0, 0);
    outcome.setUsage(usage);
    outcome.setServiceTier(reportedTier);
    broker.outcomes.pipeInput("acme", outcome);
  }

  @Test
  void aPriceVersionWrittenToThePricesTopicPricesTheNextCompletionWithoutARestart() {
    complete(dispatched("r1", "one"), CACHED_CALL, null);
    UsageEvent configured = broker.usage.readValue();
    // test-1 has no cache prices: 1,500 x 1.00 + 500 x 2.00 = 2,500 micro
    assertThat(configured.getPriceVersion()).isEqualTo("test-1");
    assertThat(configured.getCost()).isEqualByComparingTo("0.0025");

    broker.prices.pipeInput(
        "live-1",
        list(
            "live-1",
            NOW.minusSeconds(3600),
            price("sim-chat-1", "standard", "10", "20", "1", "12.5", "20")));
    complete(dispatched("r2", "two"), CACHED_CALL, null);

    UsageEvent live = broker.usage.readValue();
    // 300 x 10 + 1,000 x 1 + 150 x 12.5 + 50 x 20 + 500 x 20 = 3,000 + 1,000 + 1,875 + 1,000
    // + 10,000 = 16,875 micro
    assertThat(live.getPriceVersion()).isEqualTo("live-1");
    assertThat(live.getCost()).isEqualTo(new BigDecimal("0.0168750000"));
    InferenceResult result = lastResult();
    assertThat(result.getCost()).isEqualTo(live.getCost());
    assertThat(result.getUsage()).isEqualTo(CACHED_CALL);
  }

  @Test
  void aTombstoneWithdrawsATopicVersionAndTheConfiguredOnesPriceAgain() {
    broker.prices.pipeInput(
        "live-1",
        list("live-1", NOW.minusSeconds(3600), price("sim-chat-1", "standard", "10", "20")));
    complete(dispatched("r1", "one"), CACHED_CALL, null);
    assertThat(broker.usage.readValue().getPriceVersion()).isEqualTo("live-1");

    broker.prices.pipeInput("live-1", null);
    complete(dispatched("r2", "two"), CACHED_CALL, null);

    assertThat(broker.usage.readValue().getPriceVersion()).isEqualTo("test-1");
  }

  @Test
  void aTopicVersionWithTheIdOfAConfiguredOneReplacesIt() {
    broker.prices.pipeInput(
        "test-1",
        list("test-1", NOW.minusSeconds(3600), price("sim-chat-1", "standard", "0", "0")));
    complete(dispatched("r1", "one"), CACHED_CALL, null);

    UsageEvent event = broker.usage.readValue();
    assertThat(event.getPriceVersion()).isEqualTo("test-1");
    assertThat(event.getCost()).isEqualByComparingTo("0");
  }

  @Test
  void aCompletionIsPricedByTheVersionInEffectWhenTheWorkerCompletedIt() {
    // effective a minute after the outcome's completedAt (NOW): it does not price that outcome,
    // though the broker's clock is past it when the outcome arrives
    broker.prices.pipeInput(
        "later", list("later", NOW.plusSeconds(60), price("sim-chat-1", "standard", "10", "20")));
    broker.clock.set(NOW.plusSeconds(120));

    complete(dispatched("r1", "one"), CACHED_CALL, null);

    assertThat(broker.usage.readValue().getPriceVersion()).isEqualTo("test-1");
  }

  @Test
  void usageEventsAndRollupsCarryEveryTokenClassAndTheTierTheProviderReported() {
    broker.prices.pipeInput(
        "live-1",
        list(
            "live-1",
            NOW.minusSeconds(3600),
            price("sim-chat-1", "standard", "10", "20"),
            price("sim-chat-1", "priority", "20", "40")));

    complete(dispatched("r1", "one"), CACHED_CALL, "priority");
    complete(dispatched("r2", "two"), CACHED_CALL, null);

    UsageEvent priority = broker.usage.readValue();
    assertThat(priority.getServiceTier()).isEqualTo("priority");
    assertThat(priority.getCost()).isEqualByComparingTo("0.05"); // 1,500 x 20 + 500 x 40
    assertThat(priority.getCacheReadInputTokens()).isEqualTo(1_000);
    assertThat(priority.getCacheWriteInputTokens()).isEqualTo(200);
    assertThat(priority.getCacheWrite1hInputTokens()).isEqualTo(50);
    assertThat(priority.getReasoningTokens()).isEqualTo(300);
    UsageEvent standard = broker.usage.readValue();
    assertThat(standard.getServiceTier()).isEqualTo("standard"); // the route's tier
    assertThat(standard.getCost()).isEqualByComparingTo("0.025");

    broker.publishRollups();
    UsageRollup hour =
        broker.rollups.readValuesToList().stream()
            .filter(r -> r.getWindow() == RollupWindow.HOUR)
            .reduce((first, second) -> second)
            .orElseThrow();
    assertThat(hour.getRequests()).isEqualTo(2);
    assertThat(hour.getInputTokens()).isEqualTo(3_000);
    assertThat(hour.getCacheReadInputTokens()).isEqualTo(2_000);
    assertThat(hour.getCacheWriteInputTokens()).isEqualTo(400);
    assertThat(hour.getCacheWrite1hInputTokens()).isEqualTo(100);
    assertThat(hour.getReasoningTokens()).isEqualTo(600);
    assertThat(hour.getCost()).isEqualByComparingTo("0.075");
  }

  @Test
  void aCacheHitSavesWhatItsTokensCostInTheVersionInEffectAtTheHit() {
    broker.send(chat("r1", "acme", "same").build());
    complete(broker.dispatch.readValue(), CACHED_CALL, null);
    broker.usage.readValue();

    broker.prices.pipeInput(
        "live-1",
        list("live-1", NOW.minusSeconds(3600), price("sim-chat-1", "standard", "10", "20")));
    broker.send(chat("r2", "acme", "same").build());

    UsageEvent hit = broker.usage.readValue();
    assertThat(hit.getCacheHit()).isTrue();
    assertThat(hit.getPriceVersion()).isEqualTo("live-1");
    assertThat(hit.getSavedCost()).isEqualByComparingTo("0.025"); // 1,500 x 10 + 500 x 20
    assertThat(hit.getCacheReadInputTokens()).isEqualTo(1_000);
  }

  private InferenceResult lastResult() {
    return broker.results.readValuesToList().getLast();
  }
}
