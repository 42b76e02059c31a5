package io.aibroker.broker;

import static io.aibroker.broker.TestRequests.FALLBACK;
import static io.aibroker.broker.TestRequests.NOW;
import static io.aibroker.broker.TestRequests.PRIMARY;
import static io.aibroker.broker.TestRequests.chat;
import static io.aibroker.broker.TestRequests.params;
import static org.assertj.core.api.Assertions.assertThat;

import io.aibroker.records.CacheLifetime;
import io.aibroker.records.ChatMessage;
import io.aibroker.records.InferenceRequest;
import io.aibroker.records.ProviderOutcome;
import io.aibroker.records.Route;
import io.aibroker.records.Task;
import io.aibroker.records.TokenUsage;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Worst-case demand reserved at admission, and what a call actually used. */
class DemandsTest {

  private static final ModelDefinition CHAT =
      TestRequests.models().resolve("chat-default").orElseThrow();
  private static final ModelDefinition EMBED =
      TestRequests.models().resolve("embed-default").orElseThrow();

  @Test
  void promptTokensAreUtf8BytesOverThreeRoundedUpAtLeastOne() {
    assertThat(Demands.promptTokens(chat("r1", "acme", "hello").build())).isEqualTo(3); // 5+4 B
    assertThat(Demands.promptTokens(chat("r1", "acme", "").build())).isEqualTo(2); // 4 B
    assertThat(Demands.promptTokens(chat("r1", "acme", "é").build())).isEqualTo(2); // 2+4 B
    InferenceRequest noContent =
        chat("r1", "acme", "").setMessages(List.of()).setInputs(List.of()).build();
    assertThat(Demands.promptTokens(noContent)).isEqualTo(1);
    InferenceRequest inputs =
        chat("r1", "acme", "")
            .setMessages(List.of(new ChatMessage("user", "abcdef", null)))
            .setInputs(List.of("abc"))
            .build();
    assertThat(Demands.promptTokens(inputs)).isEqualTo(5); // (6+4)+3 = 13 B
  }

  @Test
  void theOutputIsTheRequestsMaxTokensElseTheModelsAndNoneForEmbeddings() {
    InferenceRequest plain = chat("r1", "acme", "hello").build();
    InferenceRequest capped = chat("r1", "acme", "hello").setParams(params(10, null, null)).build();
    InferenceRequest embed =
        chat("r1", "acme", "")
            .setTask(Task.EMBED)
            .setMessages(List.of())
            .setInputs(List.of("abc"))
            .build();

    assertThat(Demands.of(plain, CHAT, TestRequests.prices(), NOW).tokens()).isEqualTo(3 + 1000);
    assertThat(Demands.of(capped, CHAT, TestRequests.prices(), NOW).tokens()).isEqualTo(3 + 10);
    assertThat(Demands.of(embed, EMBED, TestRequests.prices(), NOW).tokens()).isEqualTo(1);
  }

  @Test
  void theCostIsTheWorstOverTheModelsRoutes() {
    InferenceRequest request = chat("r1", "acme", "hello").build();

    Demand demand = Demands.of(request, CHAT, TestRequests.prices(), NOW);

    // backup-chat-1: 3 prompt tokens at 3.00 + 1,000 output at 4.00 per million
    assertThat(demand.cost()).isEqualByComparingTo("0.004009");
  }

  @Test
  void withACachePointEveryPromptTokenIsReservedAtTheHighestOfTheInputAndCacheWritePrices() {
    InferenceRequest request = chat("r1", "acme", "hello").build(); // 3 prompt tokens
    request.getMessages().getFirst().setCachePoint(CacheLifetime.ONE_HOUR);
    PriceCatalog prices =
        catalog(
            version(
                "v1",
                Instant.EPOCH,
                "sim-chat-1",
                new TierPrice(
                    new BigDecimal("1"),
                    new BigDecimal("2"),
                    new BigDecimal("0.1"),
                    new BigDecimal("1.25"),
                    new BigDecimal("1000000"))));

    Demand demand = Demands.of(request, CHAT, prices, NOW);

    // the one-hour write price (1,000,000 per million = 1 USD a token) beats input and 5-min write
    assertThat(demand.cost()).isEqualByComparingTo("3.002");
  }

  @Test
  void theWorstCaseIsPricedAtEachRoutesTier() {
    ModelDefinition batchRoute =
        new ModelDefinition(
            "chat-default",
            Task.CHAT,
            1000,
            List.of(RouteOption.of(new Route("simulated", "local", "sim-chat-1", "batch", null))));
    PriceCatalog prices =
        catalog(
            new PriceVersion(
                "v1",
                Instant.EPOCH,
                Map.of(
                    "sim-chat-1",
                    Map.of(
                        "standard",
                        new TierPrice(new BigDecimal("2"), new BigDecimal("4")),
                        "batch",
                        new TierPrice(new BigDecimal("1"), new BigDecimal("2"))))));

    Demand demand = Demands.of(chat("r1", "acme", "hello").build(), batchRoute, prices, NOW);

    assertThat(demand.cost()).isEqualByComparingTo("0.002003"); // 3 x 1 + 1,000 x 2, per million
  }

  @Test
  void aVersionTakingOverLaterIsReservedForTooSoTheBudgetIsNeverUndershot() {
    InferenceRequest request = chat("r1", "acme", "hello").build();
    PriceCatalog prices =
        catalog(
            version(
                "old", Instant.EPOCH, "sim-chat-1", new TierPrice(BigDecimal.ONE, BigDecimal.ONE)),
            version(
                "next",
                NOW.plusSeconds(60),
                "sim-chat-1",
                new TierPrice(BigDecimal.TEN, BigDecimal.TEN)));

    assertThat(Demands.of(request, onlyPrimary(), prices, NOW).cost())
        .isEqualByComparingTo("0.01003"); // 1,003 tokens at 10 per million
    assertThat(Demands.of(request, onlyPrimary(), prices, NOW.plusSeconds(120)).cost())
        .isEqualByComparingTo("0.01003");
  }

  @Test
  void anUnpricedModelCostsNothing() {
    InferenceRequest embed =
        chat("r1", "acme", "")
            .setTask(Task.EMBED)
            .setMessages(List.of())
            .setInputs(List.of("abc"))
            .build();

    assertThat(Demands.of(embed, EMBED, TestRequests.prices(), NOW).cost())
        .isEqualByComparingTo("0");
  }

  @Test
  void aSuccessfulCallUsedItsReportedTokensPricedForItsRoute() {
    PriceVersion version = TestRequests.prices().at(NOW);
    Demand used = Demands.used(outcome(true, new TokenUsage(100L, 50L, 0L, 0L, 0L, 0L)), version);

    assertThat(used.tokens()).isEqualTo(150);
    assertThat(used.cost()).isEqualByComparingTo("0.0005"); // 100 x 3 + 50 x 4, per million
    assertThat(Demands.used(outcome(true, null), version))
        .satisfies(d -> assertThat(d.tokens()).isZero());
  }

  @Test
  void aCallIsPricedAtTheTierTheProviderReportsElseItsRoutes() {
    PriceVersion version =
        new PriceVersion(
            "v1",
            Instant.EPOCH,
            Map.of(
                FALLBACK.getProviderModel(),
                Map.of(
                    "standard",
                    new TierPrice(new BigDecimal("2"), new BigDecimal("2")),
                    "flex",
                    new TierPrice(new BigDecimal("1"), new BigDecimal("1")))));
    ProviderOutcome standard = outcome(true, new TokenUsage(1_000_000L, 0L, 0L, 0L, 0L, 0L));
    ProviderOutcome flex = outcome(true, new TokenUsage(1_000_000L, 0L, 0L, 0L, 0L, 0L));
    flex.setServiceTier("flex");

    assertThat(Demands.used(standard, version).cost()).isEqualByComparingTo("2");
    assertThat(Demands.used(flex, version).cost()).isEqualByComparingTo("1");
  }

  @Test
  void aFailedCallUsedNothing() {
    assertThat(
            Demands.used(
                outcome(false, new TokenUsage(100L, 50L, 0L, 0L, 0L, 0L)),
                TestRequests.prices().at(NOW)))
        .isEqualTo(Demand.NONE);
  }

  private static ModelDefinition onlyPrimary() {
    return new ModelDefinition("chat-default", Task.CHAT, 1000, List.of(RouteOption.of(PRIMARY)));
  }

  private static PriceVersion version(String id, Instant from, String model, TierPrice price) {
    return new PriceVersion(id, from, Map.of(model, Map.of("standard", price)));
  }

  private static PriceCatalog catalog(PriceVersion... versions) {
    return PriceCatalog.of(List.of(versions));
  }

  private static ProviderOutcome outcome(boolean success, TokenUsage usage) {
    return ProviderOutcome.newBuilder()
        .setRequestId("r1")
        .setTenantId("acme")
        .setRoute(FALLBACK)
        .setSuccess(success)
        .setUsage(usage)
        .setCompletedAt(NOW)
        .build();
  }
}
