package io.aibroker.broker;

import static io.aibroker.broker.TestRequests.FALLBACK;
import static io.aibroker.broker.TestRequests.NOW;
import static io.aibroker.broker.TestRequests.PRIMARY;
import static io.aibroker.broker.TestRequests.chat;
import static io.aibroker.broker.TestRequests.params;
import static org.assertj.core.api.Assertions.assertThat;

import io.aibroker.records.ChatMessage;
import io.aibroker.records.InferenceRequest;
import io.aibroker.records.ProviderOutcome;
import io.aibroker.records.Task;
import io.aibroker.records.TokenUsage;
import java.util.List;
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

    assertThat(Demands.of(plain, CHAT, TestRequests.prices()).tokens()).isEqualTo(3 + 1000);
    assertThat(Demands.of(capped, CHAT, TestRequests.prices()).tokens()).isEqualTo(3 + 10);
    assertThat(Demands.of(embed, EMBED, TestRequests.prices()).tokens()).isEqualTo(1);
  }

  @Test
  void theCostIsTheWorstOverTheModelsRoutes() {
    InferenceRequest request = chat("r1", "acme", "hello").build();
    var prices = TestRequests.prices();

    Demand demand = Demands.of(request, CHAT, prices);

    assertThat(demand.cost())
        .isEqualByComparingTo(prices.cost(FALLBACK.getProviderModel(), 3, 1000))
        .isGreaterThan(prices.cost(PRIMARY.getProviderModel(), 3, 1000));
  }

  @Test
  void anUnpricedModelCostsNothing() {
    InferenceRequest embed =
        chat("r1", "acme", "")
            .setTask(Task.EMBED)
            .setMessages(List.of())
            .setInputs(List.of("abc"))
            .build();

    assertThat(Demands.of(embed, EMBED, TestRequests.prices()).cost()).isEqualByComparingTo("0");
  }

  @Test
  void aSuccessfulCallUsedItsReportedTokensPricedForItsRoute() {
    Demand used =
        Demands.used(
            outcome(true, new TokenUsage(100L, 50L, 0L, 0L, 0L, 0L)), TestRequests.prices());

    assertThat(used.tokens()).isEqualTo(150);
    assertThat(used.cost())
        .isEqualByComparingTo(TestRequests.prices().cost(FALLBACK.getProviderModel(), 100, 50));
    assertThat(Demands.used(outcome(true, null), TestRequests.prices()))
        .satisfies(d -> assertThat(d.tokens()).isZero());
  }

  @Test
  void aFailedCallUsedNothing() {
    assertThat(
            Demands.used(
                outcome(false, new TokenUsage(100L, 50L, 0L, 0L, 0L, 0L)), TestRequests.prices()))
        .isEqualTo(Demand.NONE);
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
