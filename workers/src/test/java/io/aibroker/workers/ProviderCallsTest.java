package io.aibroker.workers;

import static org.assertj.core.api.Assertions.assertThat;

import io.aibroker.connector.CacheLifetime;
import io.aibroker.connector.ProviderCall;
import io.aibroker.records.ChatMessage;
import io.aibroker.records.DispatchRequest;
import io.aibroker.records.Route;
import java.util.List;
import org.junit.jupiter.api.Test;

class ProviderCallsTest {

  @Test
  void cachePointsOfTheMessagesReachTheCall() {
    DispatchRequest dispatch = Dispatches.chat("r1", "t", route("standard"));
    dispatch
        .getRequest()
        .setMessages(
            List.of(
                ChatMessage.newBuilder()
                    .setRole("system")
                    .setContent("long instructions")
                    .setCachePoint(io.aibroker.records.CacheLifetime.ONE_HOUR)
                    .build(),
                ChatMessage.newBuilder()
                    .setRole("user")
                    .setContent("context")
                    .setCachePoint(io.aibroker.records.CacheLifetime.FIVE_MINUTES)
                    .build(),
                ChatMessage.newBuilder().setRole("user").setContent("question").build()));

    ProviderCall call = ProviderCalls.from(dispatch);

    assertThat(call.messages())
        .extracting(io.aibroker.connector.ChatMessage::cachePoint)
        .containsExactly(CacheLifetime.ONE_HOUR, CacheLifetime.FIVE_MINUTES, null);
    assertThat(call.messages())
        .extracting(io.aibroker.connector.ChatMessage::content)
        .containsExactly("long instructions", "context", "question");
  }

  @Test
  void theRoutesServiceTierIsAskedFor() {
    assertThat(ProviderCalls.from(Dispatches.chat("r1", "t", route("flex"))).serviceTier())
        .isEqualTo("flex");
    assertThat(ProviderCalls.from(Dispatches.chat("r1", "t", route("standard"))).serviceTier())
        .isEqualTo(ProviderCall.STANDARD_TIER);
  }

  private static Route route(String tier) {
    return Route.newBuilder()
        .setProvider("bedrock")
        .setDeployment("us-east-1")
        .setProviderModel("anthropic.claude")
        .setServiceTier(tier)
        .build();
  }
}
