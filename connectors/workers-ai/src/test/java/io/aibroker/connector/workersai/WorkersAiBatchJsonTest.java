package io.aibroker.connector.workersai;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import io.aibroker.connector.ChatMessage;
import io.aibroker.connector.ErrorClass;
import io.aibroker.connector.GenerationParams;
import io.aibroker.connector.ProviderCall;
import io.aibroker.connector.ProviderException;
import io.aibroker.connector.ProviderResponse;
import io.aibroker.connector.QuotaExhaustedException;
import io.aibroker.connector.RateLimitedException;
import io.aibroker.connector.Task;
import io.aibroker.connector.batch.BatchApi;
import io.aibroker.connector.batch.BatchJob;
import io.aibroker.connector.batch.BatchJobStatus;
import io.aibroker.connector.batch.BatchLineResult;
import io.aibroker.connector.batch.BatchSubmission;
import java.time.Clock;
import java.util.List;
import org.junit.jupiter.api.Test;

class WorkersAiBatchJsonTest {

  private static final String MODEL = "@cf/meta/llama-3.1-8b-instruct";
  private static final String KEY = "job-1";

  private final WorkersAiErrorMapper errors =
      new WorkersAiErrorMapper(WorkersAiConnector.PROVIDER, "secret-token", Clock.systemUTC());

  private static ProviderCall chat(String requestId, Integer maxTokens) {
    return new ProviderCall(
        requestId,
        "tenant",
        Task.CHAT,
        MODEL,
        null,
        List.of(ChatMessage.user("Hi")),
        List.of(),
        GenerationParams.defaults().withMaxTokens(maxTokens),
        false,
        null,
        BatchApi.BATCH_TIER);
  }

  private static ProviderCall embed(String requestId, String... inputs) {
    return new ProviderCall(
        requestId,
        "tenant",
        Task.EMBED,
        "@cf/baai/bge-base-en-v1.5",
        null,
        List.of(),
        List.of(inputs),
        GenerationParams.defaults(),
        false,
        null,
        BatchApi.BATCH_TIER);
  }

  private static BatchJob job(ProviderCall... calls) {
    BatchSubmission submission =
        new BatchSubmission(KEY, null, calls[0].providerModel(), List.of(calls));
    return new BatchJob(KEY, "req-uuid", BatchLineShapes.attributes(submission));
  }

  private BatchJobStatus status(int httpStatus, String body, BatchJob job) {
    return WorkersAiBatchJson.status(httpStatus, null, body, job, errors);
  }

  @Test
  void submitBodyIsEachNativeRunBodyWithItsLineId() throws Exception {
    BatchSubmission submission =
        new BatchSubmission(KEY, null, MODEL, List.of(chat("r1", 64), chat("r2", null)));

    JsonNode body = WorkersAiJson.parse(WorkersAiBatchJson.submitBody(submission).toString());

    assertThat(body.path("requests")).hasSize(2);
    JsonNode first = body.path("requests").get(0);
    assertThat(first.path("messages").get(0).path("content").asText()).isEqualTo("Hi");
    assertThat(first.path("max_tokens").asInt()).isEqualTo(64);
    assertThat(first.path("external_reference").asText()).isEqualTo("job-1:r1");
    assertThat(first.has("stream")).isFalse();
    assertThat(body.path("requests").get(1).has("max_tokens")).isFalse();
  }

  @Test
  void lineIdsMapBackToRequestIdsOnlyForTheirOwnJob() {
    assertThat(WorkersAiBatchJson.requestId(KEY, WorkersAiBatchJson.lineId(KEY, "a:b")))
        .isEqualTo("a:b");
    assertThat(WorkersAiBatchJson.requestId(KEY, "job-2:r1")).isNull();
    assertThat(WorkersAiBatchJson.requestId(KEY, "job-1:")).isNull();
    assertThat(WorkersAiBatchJson.requestId(KEY, null)).isNull();
  }

  @Test
  void theQueuedReplyGivesTheRequestId() throws Exception {
    JsonNode reply =
        WorkersAiJson.parse(
            "{\"result\":{\"status\":\"queued\",\"request_id\":\"768f\",\"model\":\"m\"},"
                + "\"success\":true,\"errors\":[],\"messages\":[]}");

    assertThat(WorkersAiBatchJson.requestIdOf(reply)).isEqualTo("768f");
    assertThatThrownBy(() -> WorkersAiBatchJson.requestIdOf(WorkersAiJson.parse("{\"result\":{}}")))
        .isInstanceOf(WorkersAiJson.Malformed.class);
  }

  @Test
  void queuedAndRunningAreRunningInEitherShape() {
    BatchJob job = job(chat("r1", null));

    assertThat(status(200, "{\"result\":{\"status\":\"queued\"},\"success\":true}", job))
        .isEqualTo(new BatchJobStatus.Running("queued"));
    assertThat(status(200, "{\"status\":\"running\",\"request_id\":\"x\"}", job))
        .isEqualTo(new BatchJobStatus.Running("running"));
  }

  @Test
  void responsesAreAnsweredLikeRealTimeRepliesAtTheBatchTier() {
    BatchJob job = job(chat("r1", 5), chat("r2", 100));
    String body =
        """
        {"result":{"responses":[
          {"id":0,"result":{"response":"cut short","usage":{"prompt_tokens":3,"completion_tokens":5}},
           "success":true,"external_reference":"job-1:r1"},
          {"id":1,"result":{"response":"done","usage":{"prompt_tokens":3,"completion_tokens":2,
           "prompt_tokens_details":{"cached_tokens":1}}},
           "success":true,"external_reference":"job-1:r2"}
        ]},"success":true}
        """;

    BatchJobStatus.Ended ended = (BatchJobStatus.Ended) status(200, body, job);

    assertThat(ended.end()).isEqualTo(BatchJobStatus.End.COMPLETED);
    assertThat(ended.message()).isNull();
    ProviderResponse cut = ((BatchLineResult.Answered) ended.lines().get("r1")).response();
    assertThat(cut.text()).isEqualTo("cut short");
    assertThat(cut.finishReason()).isEqualTo(ProviderResponse.FINISH_LENGTH);
    assertThat(cut.serviceTier()).isEqualTo(BatchApi.BATCH_TIER);
    ProviderResponse done = ((BatchLineResult.Answered) ended.lines().get("r2")).response();
    assertThat(done.finishReason()).isEqualTo(ProviderResponse.FINISH_STOP);
    assertThat(done.usage().inputTokens()).isEqualTo(3);
    assertThat(done.usage().cacheReadInputTokens()).isEqualTo(1);
  }

  @Test
  void sharedMaxTokensIsOneAttributeAndMixedOnesArePerLine() {
    assertThat(job(chat("r1", 5), chat("r2", 5)).attributes())
        .containsEntry(BatchLineShapes.MAX_TOKENS, "5")
        .doesNotContainKey(BatchLineShapes.LINES)
        .containsEntry(BatchLineShapes.MODEL, MODEL);
    assertThat(job(chat("r1", 5), chat("r2", null)).attributes())
        .doesNotContainKey(BatchLineShapes.MAX_TOKENS)
        .containsKey(BatchLineShapes.LINES);
  }

  @Test
  void failedLinesAreClassifiedByCloudflareCodeOrStatus() {
    BatchJob job = job(chat("r1", null), chat("r2", null), chat("r3", null), chat("r4", null));
    String body =
        """
        {"result":{"responses":[
          {"id":0,"success":false,"errors":[{"code":3040,"message":"Capacity exceeded"}],
           "external_reference":"job-1:r1"},
          {"id":1,"success":false,"error":{"code":3036,"message":"daily allocation used"},
           "external_reference":"job-1:r2"},
          {"id":2,"success":false,"status":400,"errors":[{"code":"bad","message":"no"}],
           "external_reference":"job-1:r3"},
          {"id":3,"success":false,"error":"server exploded","status":502,
           "external_reference":"job-1:r4"},
          {"id":4,"success":true,"result":{"response":"x"},"external_reference":"other:r5"}
        ]}}
        """;

    BatchJobStatus.Ended ended = (BatchJobStatus.Ended) status(200, body, job);

    assertThat(ended.lines()).containsOnlyKeys("r1", "r2", "r3", "r4");
    assertThat(error(ended, "r1")).isInstanceOf(RateLimitedException.class);
    assertThat(error(ended, "r1").errorClass()).isEqualTo(ErrorClass.RETRYABLE);
    assertThat(error(ended, "r2")).isInstanceOf(QuotaExhaustedException.class);
    assertThat(error(ended, "r3").errorClass()).isEqualTo(ErrorClass.TERMINAL);
    assertThat(error(ended, "r3").providerCode()).isEqualTo("bad");
    assertThat(error(ended, "r4").errorClass()).isEqualTo(ErrorClass.RETRYABLE);
    assertThat(error(ended, "r4").getMessage()).contains("server exploded");
  }

  @Test
  void aLineThatIsNotWhatWorkersAiPromisesFailsAlone() {
    BatchJob job = job(chat("r1", null), chat("r2", null));
    String body =
        """
        {"result":{"responses":[
          {"id":0,"success":true,"result":{"nothing":"here"},"external_reference":"job-1:r1"},
          {"id":1,"success":true,"result":{"response":"ok"},"external_reference":"job-1:r2"}
        ]}}
        """;

    BatchJobStatus.Ended ended = (BatchJobStatus.Ended) status(200, body, job);

    assertThat(error(ended, "r1").providerCode())
        .isEqualTo(WorkersAiErrorMapper.MALFORMED_RESPONSE);
    assertThat(ended.lines().get("r2")).isInstanceOf(BatchLineResult.Answered.class);
  }

  @Test
  void embeddingLinesAreReadWithTheirRecordedInputCounts() {
    BatchJob job = job(embed("e1", "one", "two"));
    String body =
        """
        {"result":{"responses":[
          {"id":0,"success":true,"result":{"shape":[2,2],"data":[[0.1,0.2],[0.3,0.4]]},
           "external_reference":"job-1:e1"}
        ]}}
        """;

    BatchJobStatus.Ended ended = (BatchJobStatus.Ended) status(200, body, job);

    ProviderResponse response = ((BatchLineResult.Answered) ended.lines().get("e1")).response();
    assertThat(response.embeddings()).hasSize(2);
    assertThat(response.usage().inputTokens()).isEqualTo(2);
    assertThat(response.serviceTier()).isEqualTo(BatchApi.BATCH_TIER);
  }

  @Test
  void aJobStateOfFailedOrExpiredEndsTheJobWithTheEnvelopesMessage() {
    BatchJob job = job(chat("r1", null), chat("r2", null));

    BatchJobStatus.Ended failed =
        (BatchJobStatus.Ended)
            status(
                400,
                "{\"result\":{\"status\":\"failed\"},\"success\":false,"
                    + "\"errors\":[{\"code\":3000,\"message\":\"bad input\"}]}",
                job);
    BatchJobStatus.Ended expired =
        (BatchJobStatus.Ended)
            status(
                200,
                "{\"result\":{\"status\":\"expired\",\"responses\":[{\"id\":0,\"success\":true,"
                    + "\"result\":{\"response\":\"a\"},\"external_reference\":\"job-1:r1\"}]},"
                    + "\"success\":false,\"errors\":[{\"code\":3000,\"message\":\"too late\"}]}",
                job);

    assertThat(failed.end()).isEqualTo(BatchJobStatus.End.FAILED);
    assertThat(failed.message()).isEqualTo("bad input");
    assertThat(failed.lines()).isEmpty();
    assertThat(expired.end()).isEqualTo(BatchJobStatus.End.EXPIRED);
    assertThat(expired.message()).isEqualTo("too late");
    assertThat(expired.lines()).containsOnlyKeys("r1");
  }

  @Test
  void anErrorEnvelopeSayingTheRequestFailedOrExpiredEndsTheJob() {
    BatchJob job = job(chat("r1", null));

    BatchJobStatus.Ended failed =
        (BatchJobStatus.Ended)
            status(
                400,
                "{\"result\":null,\"success\":false,"
                    + "\"errors\":[{\"code\":5000,\"message\":\"Queued request failed\"}]}",
                job);
    BatchJobStatus.Ended expired =
        (BatchJobStatus.Ended)
            status(
                404,
                "{\"result\":null,\"success\":false,"
                    + "\"errors\":[{\"code\":5001,\"message\":\"Request expired\"}]}",
                job);

    assertThat(failed.end()).isEqualTo(BatchJobStatus.End.FAILED);
    assertThat(failed.message()).contains("Queued request failed");
    assertThat(expired.end()).isEqualTo(BatchJobStatus.End.EXPIRED);
  }

  @Test
  void aPollThatFailsIsAnErrorNotAnEndedJob() {
    BatchJob job = job(chat("r1", null));

    assertThatThrownBy(
            () ->
                status(
                    429,
                    "{\"success\":false,\"errors\":[{\"code\":3040,\"message\":\"failed: busy\"}]}",
                    job))
        .isInstanceOf(RateLimitedException.class);
    assertThatThrownBy(() -> status(503, "<html>503</html>", job))
        .isInstanceOfSatisfying(
            ProviderException.class,
            e -> assertThat(e.errorClass()).isEqualTo(ErrorClass.RETRYABLE));
    assertThatThrownBy(
            () ->
                status(
                    401,
                    "{\"success\":false,\"errors\":[{\"code\":10000,"
                        + "\"message\":\"Authentication error secret-token\"}]}",
                    job))
        .isInstanceOfSatisfying(
            ProviderException.class,
            e -> assertThat(e.getMessage()).doesNotContain("secret-token"));
    assertThatThrownBy(() -> status(200, "{\"result\":{\"status\":\"what\"}}", job))
        .isInstanceOfSatisfying(
            ProviderException.class,
            e -> assertThat(e.providerCode()).isEqualTo(WorkersAiErrorMapper.MALFORMED_RESPONSE));
    assertThatThrownBy(() -> status(200, "{\"result\":{\"response\":\"cut", job))
        .isInstanceOfSatisfying(
            ProviderException.class, e -> assertThat(e.getMessage()).doesNotContain("cut"));
  }

  private static ProviderException error(BatchJobStatus.Ended ended, String requestId) {
    return ((BatchLineResult.Failed) ended.lines().get(requestId)).error();
  }
}
