package io.aibroker.connector.azureopenai;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.azure.ai.openai.models.CompletionsUsage;
import com.azure.json.JsonProviders;
import com.azure.json.JsonReader;
import io.aibroker.connector.ProviderServerException;
import io.aibroker.connector.TokenUsage;
import java.io.IOException;
import org.junit.jupiter.api.Test;

class ResponsesTest {

  @Test
  void cachedPromptTokensAreCacheReadsWithinTheInput() throws IOException {
    TokenUsage usage =
        Responses.usage(
            usage(
                """
                {"prompt_tokens":1500,"completion_tokens":500,"total_tokens":2000,
                 "prompt_tokens_details":{"cached_tokens":1000,"audio_tokens":0},
                 "completion_tokens_details":{"reasoning_tokens":120}}
                """));

    assertThat(usage).isEqualTo(new TokenUsage(1_500, 500, 1_000, 0, 0, 120));
    assertThat(usage.uncachedInputTokens()).isEqualTo(500);
  }

  @Test
  void usageWithoutDetailsHasNoCacheOrReasoningTokens() throws IOException {
    TokenUsage usage =
        Responses.usage(
            usage("{\"prompt_tokens\":11,\"completion_tokens\":7,\"total_tokens\":18}"));

    assertThat(usage).isEqualTo(new TokenUsage(11, 7));
  }

  @Test
  void detailsLargerThanTheirTotalsAreAMalformedResponse() throws IOException {
    CompletionsUsage usage =
        usage(
            """
            {"prompt_tokens":10,"completion_tokens":7,"total_tokens":17,
             "prompt_tokens_details":{"cached_tokens":11}}
            """);

    assertThatThrownBy(() -> Responses.usage(usage)).isInstanceOf(ProviderServerException.class);
  }

  private static CompletionsUsage usage(String json) throws IOException {
    try (JsonReader reader = JsonProviders.createReader(json)) {
      return CompletionsUsage.fromJson(reader);
    }
  }
}
