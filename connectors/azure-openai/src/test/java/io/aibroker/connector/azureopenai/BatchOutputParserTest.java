package io.aibroker.connector.azureopenai;

import static org.assertj.core.api.Assertions.assertThat;

import io.aibroker.connector.ErrorClass;
import io.aibroker.connector.ErrorKind;
import io.aibroker.connector.ProviderException;
import io.aibroker.connector.ProviderResponse;
import io.aibroker.connector.TokenUsage;
import io.aibroker.connector.batch.BatchApi;
import io.aibroker.connector.batch.BatchLineResult;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class BatchOutputParserTest {

  private static final String KEY = "sk-canary-key";

  private final BatchOutputParser parser =
      new BatchOutputParser(new AzureOpenAiErrorMapper(Clock.systemUTC(), List.of(KEY)));

  private static final String ANSWER_BODY =
      """
      {"id":"chatcmpl-1","object":"chat.completion","created":1722477079,"model":"gpt-4o",\
      "choices":[{"index":0,"finish_reason":"length","message":{"role":"assistant",\
      "content":"Founded in 1975."}}],\
      "usage":{"prompt_tokens":27,"completion_tokens":24,"total_tokens":51,\
      "prompt_tokens_details":{"cached_tokens":10},\
      "completion_tokens_details":{"reasoning_tokens":4}}}""";

  private static String answered(String id, String body) {
    return "{\"id\":\"batch_req_1\",\"custom_id\":\""
        + id
        + "\",\"response\":{\"status_code\":200,\"request_id\":\"r\",\"body\":"
        + body
        + "},\"error\":null}";
  }

  private static String failed(String id, int status, String code, String message) {
    return "{\"custom_id\":\""
        + id
        + "\",\"response\":{\"status_code\":"
        + status
        + ",\"body\":{\"error\":{\"code\":\""
        + code
        + "\",\"message\":\""
        + message
        + "\"}}},\"error\":null}";
  }

  private static String lineError(String id, String code, String message) {
    return "{\"custom_id\":\""
        + id
        + "\",\"response\":null,\"error\":{\"code\":\""
        + code
        + "\",\"message\":\""
        + message
        + "\"}}";
  }

  private Map<String, BatchLineResult> parse(String... files) {
    Map<String, BatchLineResult> results = new LinkedHashMap<>();
    for (String file : files) {
      parser.parse(file, results);
    }
    return results;
  }

  private ProviderException error(Map<String, BatchLineResult> results, String id) {
    assertThat(results.get(id)).isInstanceOf(BatchLineResult.Failed.class);
    return ((BatchLineResult.Failed) results.get(id)).error();
  }

  @Test
  void anAnsweredLineReadsLikeTheRealTimeReplyAtTheBatchTier() {
    ProviderResponse response =
        ((BatchLineResult.Answered) parse(answered("req-1", ANSWER_BODY)).get("req-1")).response();

    assertThat(response.text()).isEqualTo("Founded in 1975.");
    assertThat(response.finishReason()).isEqualTo(ProviderResponse.FINISH_LENGTH);
    assertThat(response.usage())
        .isEqualTo(new TokenUsage(27, 24).withCache(10, 0, 0).withReasoning(4));
    assertThat(response.serviceTier()).isEqualTo(BatchApi.BATCH_TIER);
  }

  @Test
  void aLineRejectedWith400IsATerminalInvalidRequestWithTheProvidersMessage() {
    ProviderException error =
        error(parse(failed("req-1", 400, "invalid_request", "max_tokens is too large")), "req-1");

    assertThat(error.errorClass()).isEqualTo(ErrorClass.TERMINAL);
    assertThat(error.kind()).isEqualTo(ErrorKind.INVALID_REQUEST);
    assertThat(error.providerCode()).isEqualTo("invalid_request");
    assertThat(error.httpStatus()).isEqualTo(400);
    assertThat(error.getMessage()).contains("max_tokens is too large");
  }

  @Test
  void aRateLimitedOrServerFailedLineIsRetryable() {
    Map<String, BatchLineResult> results =
        parse(
            failed("req-429", 429, "429", "Too many requests")
                + "\n"
                + failed("req-500", 500, "server_error", "oops"));

    assertThat(error(results, "req-429").kind()).isEqualTo(ErrorKind.RATE_LIMITED);
    assertThat(error(results, "req-429").errorClass()).isEqualTo(ErrorClass.RETRYABLE);
    assertThat(error(results, "req-500").kind()).isEqualTo(ErrorKind.SERVER_ERROR);
    assertThat(error(results, "req-500").errorClass()).isEqualTo(ErrorClass.RETRYABLE);
  }

  @Test
  void aContentFilteredLineIsClassifiedAsTheRealTimeContentFilterError() {
    ProviderException error =
        error(parse(failed("req-1", 400, "content_filter", "filtered")), "req-1");

    assertThat(error.kind()).isEqualTo(ErrorKind.CONTENT_FILTERED);
  }

  @Test
  void anErrorWithoutAResponseIsARetryableServerError() {
    ProviderException error =
        error(parse(lineError("req-1", "internal_error", "could not run the line")), "req-1");

    assertThat(error.errorClass()).isEqualTo(ErrorClass.RETRYABLE);
    assertThat(error.getMessage()).contains("could not run the line");
  }

  @Test
  void linesTheJobNeverReachedAreAbsent() {
    Map<String, BatchLineResult> results =
        parse(
            lineError("req-expired", "batch_expired", "not run before the window")
                + "\n"
                + lineError("req-cancelled", "batch_cancelled", "cancelled"));

    assertThat(results).isEmpty();
  }

  @Test
  void theKeyNeverReachesAMessage() {
    ProviderException error =
        error(parse(failed("req-1", 400, "invalid_request", "bad key " + KEY + " here")), "req-1");

    assertThat(error.getMessage()).doesNotContain(KEY).contains("bad key");
  }

  @Test
  void aLineWithUnreadableBodyFailsRetryablyWithoutQuotingIt() {
    String body = "{\"choices\":\"not a list\",\"usage\":\"secret reply\"}";
    ProviderException error = error(parse(answered("req-1", body)), "req-1");

    assertThat(error.errorClass()).isEqualTo(ErrorClass.RETRYABLE);
    assertThat(error.getMessage()).doesNotContain("secret reply");
  }

  @Test
  void anAnsweredLineWithoutUsageIsAFailureNotAFreeCall() {
    String body =
        "{\"id\":\"c\",\"created\":1,\"choices\":[{\"index\":0,\"finish_reason\":\"stop\","
            + "\"message\":{\"role\":\"assistant\",\"content\":\"x\"}}]}";

    assertThat(error(parse(answered("req-1", body)), "req-1").getMessage()).contains("usage");
  }

  @Test
  void skipsBlankLinesAndLinesItCannotAttribute() {
    Map<String, BatchLineResult> results =
        parse(
            "\n  \nnot json\n{\"response\":{\"status_code\":200}}\n"
                + answered("req-1", ANSWER_BODY)
                + "\r\n");

    assertThat(results).containsOnlyKeys("req-1");
  }

  @Test
  void theOutputFileReadFirstWinsOverTheErrorFileForTheSameLine() {
    Map<String, BatchLineResult> results =
        parse(answered("req-1", ANSWER_BODY), failed("req-1", 500, "server_error", "oops"));

    assertThat(results.get("req-1")).isInstanceOf(BatchLineResult.Answered.class);
  }

  @Test
  void aMissingFileAddsNothing() {
    assertThat(parse((String) null)).isEmpty();
  }
}
