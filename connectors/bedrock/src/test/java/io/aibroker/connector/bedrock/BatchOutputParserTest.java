package io.aibroker.connector.bedrock;

import static org.assertj.core.api.Assertions.assertThat;

import io.aibroker.connector.ErrorClass;
import io.aibroker.connector.InvalidRequestException;
import io.aibroker.connector.ProviderException;
import io.aibroker.connector.ProviderResponse;
import io.aibroker.connector.ProviderServerException;
import io.aibroker.connector.RateLimitedException;
import io.aibroker.connector.TokenUsage;
import io.aibroker.connector.batch.BatchApi;
import io.aibroker.connector.batch.BatchLineResult;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class BatchOutputParserTest {

  private final BatchOutputParser claude =
      new BatchOutputParser(
          BatchModelFamily.ANTHROPIC, List.of("req-1", "req-2", "req-3"), new BedrockErrorMapper());

  @Test
  void readsAnAnthropicAnswerCountingCacheTokensAsInput() {
    Map<String, BatchLineResult> lines =
        claude.parse(
            utf8(
                """
                {"recordId":"R0000000002","modelInput":{"messages":[]},"modelOutput":{"type":"message",\
                "content":[{"type":"thinking","thinking":"hm"},{"type":"text","text":"Hel"},{"type":"text","text":"lo"}],\
                "stop_reason":"max_tokens","usage":{"input_tokens":10,"output_tokens":7,\
                "cache_read_input_tokens":100,"cache_creation_input_tokens":20}}}
                """));

    assertThat(lines).containsOnlyKeys("req-2");
    ProviderResponse response = ((BatchLineResult.Answered) lines.get("req-2")).response();
    assertThat(response.text()).isEqualTo("Hello");
    assertThat(response.finishReason()).isEqualTo(ProviderResponse.FINISH_LENGTH);
    assertThat(response.serviceTier()).isEqualTo(BatchApi.BATCH_TIER);
    assertThat(response.usage()).isEqualTo(new TokenUsage(130, 7, 100, 20, 0, 0));
  }

  @Test
  void classifiesLineErrorsLikeRealTimeErrors() {
    Map<String, BatchLineResult> lines =
        claude.parse(
            utf8(
                """
                {"recordId":"R0000000001","modelInput":{},"error":{"errorCode":400,"errorMessage":"Malformed input request"}}
                {"recordId":"R0000000002","modelInput":{},"error":{"errorCode":429,"errorMessage":"Too many tokens"}}
                {"recordId":"R0000000003","modelInput":{},"error":{"errorCode":424,"errorMessage":"The model failed"}}
                """));

    ProviderException invalid = error(lines, "req-1");
    assertThat(invalid).isInstanceOf(InvalidRequestException.class);
    assertThat(invalid.errorClass()).isEqualTo(ErrorClass.TERMINAL);
    assertThat(invalid.httpStatus()).isEqualTo(400);
    assertThat(invalid.getMessage()).contains("Malformed input request");
    assertThat(error(lines, "req-2")).isInstanceOf(RateLimitedException.class);
    assertThat(error(lines, "req-2").errorClass()).isEqualTo(ErrorClass.RETRYABLE);
    assertThat(error(lines, "req-3")).isInstanceOf(ProviderServerException.class);
    assertThat(error(lines, "req-3").errorClass()).isEqualTo(ErrorClass.RETRYABLE);
  }

  @Test
  void serverErrorsAndNamedCodesAreRetryableOrNot() {
    Map<String, BatchLineResult> lines =
        claude.parse(
            utf8(
                """
                {"recordId":"R0000000001","error":{"errorCode":"500","errorMessage":"Internal"}}
                {"recordId":"R0000000002","error":{"errorCode":"ValidationException","errorMessage":"Bad"}}
                {"recordId":"R0000000003","error":{"errorCode":"ThrottlingException","errorMessage":"Slow"}}
                """));

    assertThat(error(lines, "req-1").errorClass()).isEqualTo(ErrorClass.RETRYABLE);
    assertThat(error(lines, "req-2").errorClass()).isEqualTo(ErrorClass.TERMINAL);
    assertThat(error(lines, "req-3").errorClass()).isEqualTo(ErrorClass.RETRYABLE);
  }

  @Test
  void anAnswerThatCannotBeBilledIsARetryableFailure() {
    Map<String, BatchLineResult> lines =
        claude.parse(
            utf8(
                """
                {"recordId":"R0000000001","modelOutput":{"content":[{"type":"text","text":"x"}]}}
                {"recordId":"R0000000002"}
                """));

    assertThat(error(lines, "req-1").errorClass()).isEqualTo(ErrorClass.RETRYABLE);
    assertThat(error(lines, "req-2").errorClass()).isEqualTo(ErrorClass.RETRYABLE);
  }

  @Test
  void leavesOutLinesItCannotPlace() {
    Map<String, BatchLineResult> lines =
        claude.parse(
            utf8(
                """
                {"recordId":"R0000000009","modelOutput":{}}
                {"recordId":"custom","modelOutput":{}}
                {"recordId":"R00000

                not json at all
                """));

    assertThat(lines).isEmpty();
  }

  @Test
  void readsNovaAndLlamaAnswers() {
    BatchOutputParser nova =
        new BatchOutputParser(BatchModelFamily.NOVA, List.of("n"), new BedrockErrorMapper());
    ProviderResponse novaAnswer =
        answer(
            nova.parse(
                utf8(
                    """
                    {"recordId":"R0000000001","modelOutput":{"output":{"message":{"role":"assistant",\
                    "content":[{"text":"Hi"}]}},"stopReason":"end_turn","usage":{"inputTokens":3,\
                    "outputTokens":2,"cacheReadInputTokenCount":4,"cacheWriteInputTokenCount":1}}}
                    """)),
            "n");
    assertThat(novaAnswer.text()).isEqualTo("Hi");
    assertThat(novaAnswer.finishReason()).isEqualTo(ProviderResponse.FINISH_STOP);
    assertThat(novaAnswer.usage()).isEqualTo(new TokenUsage(8, 2, 4, 1, 0, 0));

    BatchOutputParser llama =
        new BatchOutputParser(BatchModelFamily.LLAMA3, List.of("l"), new BedrockErrorMapper());
    ProviderResponse llamaAnswer =
        answer(
            llama.parse(
                utf8(
                    """
                    {"recordId":"R0000000001","modelOutput":{"generation":"Yo","prompt_token_count":9,\
                    "generation_token_count":1,"stop_reason":"length"}}
                    """)),
            "l");
    assertThat(llamaAnswer.text()).isEqualTo("Yo");
    assertThat(llamaAnswer.finishReason()).isEqualTo(ProviderResponse.FINISH_LENGTH);
    assertThat(llamaAnswer.usage()).isEqualTo(new TokenUsage(9, 1));
  }

  private static ProviderException error(Map<String, BatchLineResult> lines, String id) {
    assertThat(lines.get(id)).isInstanceOf(BatchLineResult.Failed.class);
    return ((BatchLineResult.Failed) lines.get(id)).error();
  }

  private static ProviderResponse answer(Map<String, BatchLineResult> lines, String id) {
    assertThat(lines.get(id)).isInstanceOf(BatchLineResult.Answered.class);
    return ((BatchLineResult.Answered) lines.get(id)).response();
  }

  private static byte[] utf8(String text) {
    return text.getBytes(StandardCharsets.UTF_8);
  }
}
