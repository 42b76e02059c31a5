package io.aibroker.connector.workersai;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import io.aibroker.connector.ChatMessage;
import io.aibroker.connector.ErrorClass;
import io.aibroker.connector.GenerationParams;
import io.aibroker.connector.InvalidRequestException;
import io.aibroker.connector.ProviderCall;
import io.aibroker.connector.ProviderException;
import io.aibroker.connector.Task;
import io.aibroker.connector.batch.BatchApi;
import io.aibroker.connector.batch.BatchJob;
import io.aibroker.connector.batch.BatchJobStatus;
import io.aibroker.connector.batch.BatchLineResult;
import io.aibroker.connector.batch.BatchSubmission;
import io.aibroker.connector.testing.FakeBatchJobs;
import io.aibroker.connector.testing.FakeScenario;
import io.aibroker.connector.testing.RecordedRequest;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The batch API against the fake: wire shapes, large jobs and failures of submit and poll. */
class WorkersAiBatchApiTest {

  private static final String MODEL = "@cf/meta/llama-3.1-8b-instruct";

  private WorkersAiFakeServer fake;
  private WorkersAiConnector connector;
  private BatchApi api;

  @BeforeEach
  void start() throws Exception {
    fake = new WorkersAiFakeServer();
    connector =
        new WorkersAiConnector(
            new WorkersAiConfig(
                WorkersAiFakeServer.ACCOUNT,
                "test-token",
                fake.nativeBaseUrl(),
                Duration.ofSeconds(5),
                Duration.ofSeconds(30)),
            Clock.systemUTC());
    api = connector.batch().orElseThrow();
  }

  @AfterEach
  void stop() {
    connector.close();
    fake.close();
  }

  private static ProviderCall chat(String requestId, String text) {
    return new ProviderCall(
        requestId,
        "tenant",
        Task.CHAT,
        MODEL,
        null,
        List.of(ChatMessage.user(text)),
        List.of(),
        GenerationParams.defaults().withMaxTokens(50),
        false,
        null,
        BatchApi.BATCH_TIER);
  }

  @Test
  void queuesTheJobAndPollsItAtTheQueueUrlWithTheToken() throws Exception {
    BatchJob job =
        await(api.submit(new BatchSubmission("key-1", null, MODEL, List.of(chat("r1", "Hi")))));
    await(api.poll(job));

    List<RecordedRequest> requests = fake.requests();
    assertThat(requests).hasSize(2);
    assertThat(requests)
        .allSatisfy(
            request -> {
              assertThat(request.path())
                  .isEqualTo(
                      "/client/v4/accounts/" + WorkersAiFakeServer.ACCOUNT + "/ai/run/" + MODEL);
              assertThat(request.query()).isEqualTo("queueRequest=true");
              assertThat(request.header("Authorization")).isEqualTo("Bearer test-token");
            });
    JsonNode poll = WorkersAiJson.parse(requests.get(1).body());
    assertThat(poll.path("request_id").asText()).isEqualTo(job.providerJobId());
    assertThat(job.attributes()).containsEntry("model", MODEL);
    assertThat(fake.batchJobs().byKey("key-1")).isPresent();
  }

  @Test
  void aThousandLineJobIsAnsweredLineByLine() throws Exception {
    fake.batchJobs()
        .failLinesContaining(
            "poison", new FakeBatchJobs.LineError(400, "invalid_request", "rejected"));
    List<ProviderCall> calls =
        IntStream.range(0, 1000)
            .mapToObj(i -> chat("req-" + i, i % 100 == 7 ? "poison " + i : "Say " + i))
            .toList();

    BatchJob job = await(api.submit(new BatchSubmission("big", null, MODEL, calls)));
    BatchJobStatus.Ended ended = (BatchJobStatus.Ended) await(api.poll(job));

    assertThat(fake.batchJobs().jobs().get(0).lines()).hasSize(1000);
    assertThat(ended.end()).isEqualTo(BatchJobStatus.End.COMPLETED);
    assertThat(ended.lines()).hasSize(1000);
    assertThat(ended.lines().values())
        .filteredOn(BatchLineResult.Failed.class::isInstance)
        .hasSize(10);
    assertThat(ended.lines().get("req-7")).isInstanceOf(BatchLineResult.Failed.class);
    assertThat(ended.lines().get("req-8")).isInstanceOf(BatchLineResult.Answered.class);
  }

  @Test
  void aRefusedSubmissionIsClassifiedLikeARealTimeError() {
    fake.enqueue(FakeScenario.RATE_LIMITED, FakeScenario.BAD_REQUEST);
    BatchSubmission submission = new BatchSubmission("k", null, MODEL, List.of(chat("r1", "Hi")));

    assertThatThrownBy(() -> await(api.submit(submission)))
        .isInstanceOfSatisfying(
            ProviderException.class,
            e -> assertThat(e.errorClass()).isEqualTo(ErrorClass.RETRYABLE));
    assertThatThrownBy(() -> await(api.submit(submission)))
        .isInstanceOfSatisfying(
            ProviderException.class,
            e -> assertThat(e.errorClass()).isEqualTo(ErrorClass.TERMINAL));
    assertThat(fake.batchJobs().creates()).isZero();
  }

  @Test
  void aPollThatFailsLeavesTheJobToBePolledAgain() throws Exception {
    BatchJob job =
        await(api.submit(new BatchSubmission("k", null, MODEL, List.of(chat("r1", "Hi")))));
    fake.enqueue(FakeScenario.SERVER_ERROR);

    assertThatThrownBy(() -> await(api.poll(job)))
        .isInstanceOfSatisfying(
            ProviderException.class,
            e -> assertThat(e.errorClass()).isEqualTo(ErrorClass.RETRYABLE));
    assertThat(await(api.poll(job))).isInstanceOf(BatchJobStatus.Ended.class);
  }

  @Test
  void aJobOverCloudflaresPayloadLimitIsRefusedBeforeItIsSent() {
    String big = "x".repeat(WorkersAiBatchApi.MAX_PAYLOAD_BYTES / 4);
    List<ProviderCall> calls = IntStream.range(0, 5).mapToObj(i -> chat("r" + i, big)).toList();

    assertThatThrownBy(() -> await(api.submit(new BatchSubmission("k", null, MODEL, calls))))
        .isInstanceOf(InvalidRequestException.class)
        .hasMessageNotContaining("xxxx");
    assertThat(fake.requestCount()).isZero();
  }

  @Test
  void findIsNotSupported() {
    assertThat(api.canFind()).isFalse();
    assertThatThrownBy(
            () -> api.find(new BatchSubmission("k", null, MODEL, List.of(chat("r1", "Hi")))))
        .isInstanceOf(UnsupportedOperationException.class);
  }

  @Test
  void aRecordedJobWithoutItsModelCannotBePolled() {
    assertThatThrownBy(() -> await(api.poll(BatchJob.of("k", "id"))))
        .isInstanceOf(InvalidRequestException.class);
  }

  private static <T> T await(CompletionStage<T> stage) throws Exception {
    try {
      return stage.toCompletableFuture().get(30, TimeUnit.SECONDS);
    } catch (ExecutionException failed) {
      throw (Exception) failed.getCause();
    }
  }
}
