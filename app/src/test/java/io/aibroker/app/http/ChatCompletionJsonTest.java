package io.aibroker.app.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.aibroker.records.InferenceResult;
import io.aibroker.records.Output;
import io.aibroker.records.ResultStatus;
import io.aibroker.records.TokenUsage;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ChatCompletionJsonTest {

  private static final ChatCompletionJson JSON = new ChatCompletionJson("chatcmpl-r1", "m", 1000);

  /** 1,200 prompt tokens of which 1,000 read from the cache, 500 output of which 320 reasoning. */
  private static InferenceResult result(TokenUsage usage) {
    return InferenceResult.newBuilder()
        .setRequestId("r1")
        .setTenantId("acme")
        .setStatus(ResultStatus.SUCCEEDED)
        .setOutput(Output.newBuilder().setText("Hi").setFinishReason("stop").build())
        .setUsage(usage)
        .setCompletedAt(Instant.EPOCH)
        .build();
  }

  private static final InferenceResult CACHED_AND_REASONED =
      result(new TokenUsage(1_200L, 500L, 1_000L, 150L, 50L, 320L));

  @Test
  void aCompletionReportsCachedPromptTokensAndReasoningTokensAsOpenAiDoes() {
    JsonNode usage = JSON.completion(CACHED_AND_REASONED).get("usage");

    assertThat(usage.get("prompt_tokens").asLong()).isEqualTo(1_200);
    assertThat(usage.get("completion_tokens").asLong()).isEqualTo(500);
    assertThat(usage.get("total_tokens").asLong()).isEqualTo(1_700);
    assertThat(usage.at("/prompt_tokens_details/cached_tokens").asLong()).isEqualTo(1_000);
    assertThat(usage.at("/completion_tokens_details/reasoning_tokens").asLong()).isEqualTo(320);
  }

  @Test
  void theStreamsFinishChunkAndUsageChunkCarryTheSameDetails() {
    JsonNode finish = JSON.finishChunk(CACHED_AND_REASONED, true).get("usage");
    JsonNode usageChunk = JSON.usageChunk(CACHED_AND_REASONED).get("usage");

    for (JsonNode usage : new JsonNode[] {finish, usageChunk}) {
      assertThat(usage.at("/prompt_tokens_details/cached_tokens").asLong()).isEqualTo(1_000);
      assertThat(usage.at("/completion_tokens_details/reasoning_tokens").asLong()).isEqualTo(320);
    }
  }

  @Test
  void aResultWithoutCacheOrReasoningReportsZeroDetails() {
    JsonNode usage = JSON.completion(result(new TokenUsage(7L, 3L, 0L, 0L, 0L, 0L))).get("usage");

    assertThat(usage.at("/prompt_tokens_details/cached_tokens").isIntegralNumber()).isTrue();
    assertThat(usage.at("/prompt_tokens_details/cached_tokens").asLong()).isZero();
    assertThat(usage.at("/completion_tokens_details/reasoning_tokens").asLong()).isZero();
  }

  @Test
  void aResultWithoutUsageReportsZeroTokens() {
    JsonNode usage = JSON.completion(result(null)).get("usage");

    assertThat(usage.get("total_tokens").asLong()).isZero();
    assertThat(usage.at("/prompt_tokens_details/cached_tokens").asLong()).isZero();
  }

  @Test
  void embeddingUsageHasPromptAndTotalTokensOnly() {
    JsonNode usage =
        ChatCompletionJson.embeddingUsage(result(new TokenUsage(42L, 0L, 0L, 0L, 0L, 0L)));

    assertThat(usage.properties())
        .extracting(Map.Entry::getKey)
        .containsExactly("prompt_tokens", "total_tokens");
    assertThat(usage.get("total_tokens").asLong()).isEqualTo(42);
  }
}
