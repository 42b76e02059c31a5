package io.aibroker.app.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.aibroker.client.StreamingResponse;
import io.aibroker.records.InferenceRequest;
import io.aibroker.records.InferenceResult;
import io.aibroker.records.Output;
import io.aibroker.records.ReasonCode;
import io.aibroker.records.ResultChunk;
import io.aibroker.records.ResultStatus;
import io.aibroker.records.Task;
import io.aibroker.records.TokenUsage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.SubmissionPublisher;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The SSE answer of a streamed chat completion, driven by a real Flow publisher, without Kafka: the
 * OpenAI chunk sequence, errors before and after the first byte, and a client that goes away.
 */
class ChatCompletionStreamTest {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final ChatCompletionJson IDS = new ChatCompletionJson("chatcmpl-r1", "m", 1000);

  private final SubmissionPublisher<ResultChunk> chunks = new SubmissionPublisher<>();
  private final CompletableFuture<InferenceResult> result = new CompletableFuture<>();
  private final ExecutorService runner = Executors.newVirtualThreadPerTaskExecutor();

  @AfterEach
  void stop() {
    chunks.close();
    runner.shutdownNow();
  }

  /** Records what the stream answered. */
  private static final class Recorder implements ChatCompletionStream.Responder {
    final ByteArrayOutputStream body = new ByteArrayOutputStream();
    InferenceResult error;
    boolean started;

    @Override
    public void error(InferenceResult result) {
      error = result;
    }

    @Override
    public OutputStream start() {
      started = true;
      return body;
    }

    /** The data of every event, in order. */
    List<String> events() {
      List<String> data = new ArrayList<>();
      for (String event : body.toString(StandardCharsets.UTF_8).split("\n\n")) {
        if (event.startsWith("data: ")) {
          data.add(event.substring(6));
        }
      }
      return data;
    }
  }

  private ChatCompletionStream stream(boolean usageChunk, Duration keepAlive) {
    InferenceRequest request =
        InferenceRequest.newBuilder()
            .setRequestId("r1")
            .setTenantId("acme")
            .setTask(Task.CHAT)
            .setModel("m")
            .setCreatedAt(Instant.EPOCH)
            .build();
    return new ChatCompletionStream(
        new StreamingResponse(chunks, result),
        IDS,
        usageChunk,
        keepAlive,
        e -> OpenAiErrors.noResult(request, e, Clock.systemUTC()));
  }

  /** Runs the stream on its own thread and returns once it subscribed to the chunks. */
  private Future<ChatCompletionStream.Outcome> run(
      ChatCompletionStream stream, ChatCompletionStream.Responder responder) {
    Future<ChatCompletionStream.Outcome> outcome = runner.submit(() -> stream.run(responder));
    // SubmissionPublisher, unlike the client's publisher, does not replay to late subscribers.
    Awaitility.await()
        .atMost(Duration.ofSeconds(5))
        .pollInterval(Duration.ofMillis(1))
        .until(() -> chunks.getNumberOfSubscribers() > 0);
    return outcome;
  }

  private static ResultChunk chunk(int attempt, int sequence, String delta) {
    return ResultChunk.newBuilder()
        .setRequestId("r1")
        .setTenantId("acme")
        .setAttempt(attempt)
        .setSequence(sequence)
        .setDelta(delta)
        .setCreatedAt(Instant.EPOCH)
        .build();
  }

  private static InferenceResult succeeded(String text) {
    return InferenceResult.newBuilder()
        .setRequestId("r1")
        .setTenantId("acme")
        .setStatus(ResultStatus.SUCCEEDED)
        .setOutput(Output.newBuilder().setText(text).setFinishReason("stop").build())
        .setUsage(new TokenUsage(7L, 3L, 0L, 0L, 0L, 0L))
        .setCompletedAt(Instant.EPOCH)
        .build();
  }

  private static InferenceResult failed(ResultStatus status, ReasonCode reason) {
    return InferenceResult.newBuilder()
        .setRequestId("r1")
        .setTenantId("acme")
        .setStatus(status)
        .setReason(reason)
        .setMessage("no")
        .setRetryAfterMs(1500L)
        .setCompletedAt(Instant.EPOCH)
        .build();
  }

  private void finish(InferenceResult r) {
    result.complete(r);
    chunks.close();
  }

  @Test
  void sendsTheRoleThenTheDeltasInOrderThenTheFinishChunkWithUsageThenDone() throws Exception {
    Recorder out = new Recorder();
    var outcome = run(stream(false, Duration.ofSeconds(5)), out);
    chunks.submit(chunk(1, 0, "Hello "));
    chunks.submit(chunk(1, 1, "brave "));
    chunks.submit(chunk(1, 2, "world"));
    finish(succeeded("Hello brave world"));

    assertThat(outcome.get(5, TimeUnit.SECONDS)).isEqualTo(ChatCompletionStream.Outcome.COMPLETED);
    List<String> events = out.events();
    assertThat(events).hasSize(6).last().isEqualTo("[DONE]");
    List<JsonNode> json = new ArrayList<>();
    for (String data : events.subList(0, 5)) {
      json.add(JSON.readTree(data));
    }
    assertThat(json)
        .allSatisfy(
            c -> {
              assertThat(c.get("object").asText()).isEqualTo("chat.completion.chunk");
              assertThat(c.get("id").asText()).isEqualTo("chatcmpl-r1");
            });
    assertThat(json.get(0).at("/choices/0/delta/role").asText()).isEqualTo("assistant");
    assertThat(json.subList(1, 4).stream().map(c -> c.at("/choices/0/delta/content").asText()))
        .containsExactly("Hello ", "brave ", "world");
    assertThat(json.get(3).at("/choices/0/finish_reason").isNull()).isTrue();
    JsonNode last = json.get(4);
    assertThat(last.at("/choices/0/finish_reason").asText()).isEqualTo("stop");
    assertThat(last.at("/usage/prompt_tokens").asLong()).isEqualTo(7);
    assertThat(last.at("/usage/completion_tokens").asLong()).isEqualTo(3);
    assertThat(last.at("/usage/total_tokens").asLong()).isEqualTo(10);
  }

  @Test
  void withIncludeUsageTheUsageComesInALastChunkWithoutChoices() throws Exception {
    Recorder out = new Recorder();
    var outcome = run(stream(true, Duration.ofSeconds(5)), out);
    chunks.submit(chunk(1, 0, "Hi"));
    finish(succeeded("Hi"));

    assertThat(outcome.get(5, TimeUnit.SECONDS)).isEqualTo(ChatCompletionStream.Outcome.COMPLETED);
    List<String> events = out.events();
    JsonNode finishChunk = JSON.readTree(events.get(events.size() - 3));
    JsonNode usageChunk = JSON.readTree(events.get(events.size() - 2));
    assertThat(finishChunk.has("usage")).isFalse();
    assertThat(finishChunk.at("/choices/0/finish_reason").asText()).isEqualTo("stop");
    assertThat(usageChunk.get("choices").size()).isZero();
    assertThat(usageChunk.at("/usage/total_tokens").asLong()).isEqualTo(10);
  }

  @Test
  void aResultWithoutChunksSuchAsACacheHitIsSentAsOneContentChunk() throws Exception {
    Recorder out = new Recorder();
    var outcome = run(stream(false, Duration.ofSeconds(5)), out);
    finish(succeeded("from the cache"));

    assertThat(outcome.get(5, TimeUnit.SECONDS)).isEqualTo(ChatCompletionStream.Outcome.COMPLETED);
    assertThat(JSON.readTree(out.events().get(1)).at("/choices/0/delta/content").asText())
        .isEqualTo("from the cache");
  }

  @Test
  void aRejectionBeforeAnyOutputIsAnsweredAsAJsonErrorWithoutStartingTheStream() throws Exception {
    Recorder out = new Recorder();
    var outcome = run(stream(false, Duration.ofSeconds(5)), out);
    finish(failed(ResultStatus.REJECTED, ReasonCode.QUOTA_RPM));

    assertThat(outcome.get(5, TimeUnit.SECONDS))
        .isEqualTo(ChatCompletionStream.Outcome.ANSWERED_WITH_ERROR);
    assertThat(out.started).isFalse();
    assertThat(out.error.getReason()).isEqualTo(ReasonCode.QUOTA_RPM);
  }

  @Test
  void aTimeoutBeforeAnyOutputIsAnsweredAsA504Error() throws Exception {
    Recorder out = new Recorder();
    var outcome = run(stream(false, Duration.ofSeconds(5)), out);
    chunks.closeExceptionally(new TimeoutException());

    assertThat(outcome.get(5, TimeUnit.SECONDS))
        .isEqualTo(ChatCompletionStream.Outcome.ANSWERED_WITH_ERROR);
    assertThat(OpenAiErrors.status(out.error)).isEqualTo(504);
  }

  @Test
  void aFailureAfterTheStreamStartedEndsItWithAnErrorEventAndNoDone() throws Exception {
    Recorder out = new Recorder();
    var outcome = run(stream(false, Duration.ofSeconds(5)), out);
    chunks.submit(chunk(1, 0, "Half a sen"));
    finish(failed(ResultStatus.FAILED, ReasonCode.PROVIDER_ERROR));

    assertThat(outcome.get(5, TimeUnit.SECONDS))
        .isEqualTo(ChatCompletionStream.Outcome.FAILED_IN_STREAM);
    List<String> events = out.events();
    assertThat(events).doesNotContain("[DONE]");
    JsonNode error = JSON.readTree(events.getLast());
    assertThat(error.at("/error/code").asText()).isEqualTo("provider_error");
    assertThat(error.at("/error/type").asText()).isEqualTo("server_error");
  }

  @Test
  void aClientThatWentAwayEndsTheStreamAtOnceAndCancelsTheSubscription() throws Exception {
    ChatCompletionStream.Responder gone =
        new ChatCompletionStream.Responder() {
          @Override
          public void error(InferenceResult result) {}

          @Override
          public OutputStream start() {
            return new OutputStream() {
              @Override
              public void write(int b) throws IOException {
                throw new IOException("Broken pipe");
              }
            };
          }
        };
    var outcome = run(stream(false, Duration.ofSeconds(5)), gone);
    chunks.submit(chunk(1, 0, "Hello"));

    assertThat(outcome.get(5, TimeUnit.SECONDS))
        .isEqualTo(ChatCompletionStream.Outcome.CLIENT_GONE);
    // The result never came: the handler did not wait for it, and holds no subscriber anymore.
    assertThat(result).isNotDone();
    // SubmissionPublisher drops a cancelled subscriber on its executor, a moment after cancel().
    Awaitility.await()
        .atMost(Duration.ofSeconds(5))
        .untilAsserted(() -> assertThat(chunks.getNumberOfSubscribers()).isZero());
  }

  @Test
  void anIdleStreamWritesKeepAliveComments() throws Exception {
    Recorder out = new Recorder();
    var outcome = run(stream(false, Duration.ofMillis(50)), out);
    chunks.submit(chunk(1, 0, "thinking"));
    Thread.sleep(300);
    finish(succeeded("thinking"));

    assertThat(outcome.get(5, TimeUnit.SECONDS)).isEqualTo(ChatCompletionStream.Outcome.COMPLETED);
    assertThat(out.body.toString(StandardCharsets.UTF_8)).contains(": keep-alive\n\n");
  }
}
