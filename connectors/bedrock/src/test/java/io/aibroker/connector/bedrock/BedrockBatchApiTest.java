package io.aibroker.connector.bedrock;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.json.JsonMapper;
import io.aibroker.connector.ChatMessage;
import io.aibroker.connector.Connector;
import io.aibroker.connector.InvalidRequestException;
import io.aibroker.connector.ProviderCall;
import io.aibroker.connector.batch.BatchApi;
import io.aibroker.connector.batch.BatchJob;
import io.aibroker.connector.batch.BatchJobStatus;
import io.aibroker.connector.batch.BatchLineResult;
import io.aibroker.connector.batch.BatchSubmission;
import io.aibroker.connector.testing.RecordedRequest;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Bedrock specifics of the batch path, against {@link BedrockBatchFakeServer}. */
class BedrockBatchApiTest {

  private static final JsonMapper JSON = JsonMapper.builder().build();
  private static final String CLAUDE = BedrockBatchConformanceTest.CHAT_MODEL;

  private BedrockBatchFakeServer server;
  private final List<Connector> connectors = new ArrayList<>();

  @BeforeEach
  void start() throws Exception {
    server = new BedrockBatchFakeServer();
  }

  @AfterEach
  void stop() {
    connectors.forEach(Connector::close);
    server.close();
  }

  @Test
  void uploadsTheJsonlAndCreatesTheJobNamedAfterTheKey() throws Exception {
    BatchSubmission submission =
        new BatchSubmission(
            "job-42",
            null,
            CLAUDE,
            List.of(call("req-a", CLAUDE, "Say one."), call("req-b", CLAUDE, "Say two.")));

    BatchJob job = await(api().submit(submission));

    String input = "s3://" + BedrockBatchFakeServer.BUCKET + "/input/job-42.jsonl";
    List<JsonNode> lines =
        new String(server.object(input).orElseThrow(), StandardCharsets.UTF_8)
            .lines()
            .map(BedrockBatchApiTest::json)
            .toList();
    assertThat(lines)
        .extracting(line -> line.path("recordId").asText())
        .containsExactly("R0000000001", "R0000000002");
    assertThat(lines.get(1).path("modelInput").path("messages").get(0).toString())
        .contains("Say two.");
    JsonNode create = json(createRequest().body());
    assertThat(create.path("jobName").asText()).isEqualTo("aibroker-job-42");
    assertThat(create.path("clientRequestToken").asText()).isEqualTo("job-42");
    assertThat(create.path("roleArn").asText()).isEqualTo(BedrockBatchFakeServer.ROLE_ARN);
    assertThat(create.path("modelId").asText()).isEqualTo(CLAUDE);
    assertThat(create.path("timeoutDurationInHours").asInt()).isEqualTo(24);
    assertThat(create.path("inputDataConfig").path("s3InputDataConfig").path("s3Uri").asText())
        .isEqualTo(input);
    assertThat(create.path("outputDataConfig").path("s3OutputDataConfig").path("s3Uri").asText())
        .isEqualTo("s3://" + BedrockBatchFakeServer.BUCKET + "/output/");
    assertThat(job.providerJobId()).startsWith(BedrockBatchFakeServer.JOB_ARN_PREFIX);
    assertThat(job.attributes())
        .containsEntry(BedrockBatchApi.INPUT_URI, input)
        .containsEntry(BedrockBatchApi.MODEL, CLAUDE)
        .containsEntry(BedrockBatchApi.REQUEST_IDS, "[\"req-a\",\"req-b\"]");
  }

  @Test
  void aRepeatedSubmitReturnsTheJobCreatedFirst() throws Exception {
    BatchSubmission submission =
        new BatchSubmission("job-again", null, CLAUDE, List.of(call("req-1", CLAUDE, "Hi.")));

    BatchJob first = await(api().submit(submission));
    BatchJob second = await(api().submit(submission));

    assertThat(second.providerJobId()).isEqualTo(first.providerJobId());
    assertThat(server.createRequests()).isEqualTo(2);
    assertThat(server.batchJobs().creates()).isEqualTo(1);
  }

  @Test
  void answersAThousandLineJob() throws Exception {
    List<ProviderCall> calls =
        IntStream.range(0, 1000)
            .mapToObj(i -> call("req-" + i + "-0123456789abcdef0123456789", CLAUDE, "Line " + i))
            .toList();
    BatchApi api = api();
    long started = System.nanoTime();

    BatchJob job = await(api.submit(new BatchSubmission("job-big", null, CLAUDE, calls)));
    BatchJobStatus status = await(api.poll(job));

    assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(10));
    assertThat(status).isInstanceOf(BatchJobStatus.Ended.class);
    BatchJobStatus.Ended ended = (BatchJobStatus.Ended) status;
    assertThat(ended.lines()).hasSize(1000);
    assertThat(ended.lines().keySet())
        .containsExactlyInAnyOrderElementsOf(calls.stream().map(ProviderCall::requestId).toList());
    assertThat(ended.lines().values()).allMatch(BatchLineResult.Answered.class::isInstance);
    assertThat(job.attributes().get(BedrockBatchApi.REQUEST_IDS)).hasSizeLessThan(50_000);
  }

  @Test
  void aStoppedJobIsCancelledWithTheLinesThatFinished() throws Exception {
    server.batchJobs().completeAfterPolls(5);
    BatchApi api = api();
    BatchJob job =
        await(
            api.submit(
                new BatchSubmission("job-stop", null, CLAUDE, List.of(call("r", CLAUDE, "Hi.")))));
    assertThat(await(api.poll(job))).isInstanceOf(BatchJobStatus.Running.class);

    server.batchJobs().job(job.providerJobId()).orElseThrow().cancel();
    BatchJobStatus status = await(api.poll(job));

    assertThat(status).isInstanceOf(BatchJobStatus.Ended.class);
    assertThat(((BatchJobStatus.Ended) status).end()).isEqualTo(BatchJobStatus.End.CANCELLED);
    assertThat(status.providerState()).isEqualTo("Stopped");
    assertThat(((BatchJobStatus.Ended) status).lines()).isEmpty();
  }

  @Test
  void aJobWithLineErrorsIsPartiallyCompleted() throws Exception {
    server
        .batchJobs()
        .failLinesContaining(
            "poison", new io.aibroker.connector.testing.FakeBatchJobs.LineError(400, "x", "bad"));
    BatchApi api = api();
    BatchJob job =
        await(
            api.submit(
                new BatchSubmission(
                    "job-partial",
                    null,
                    CLAUDE,
                    List.of(call("ok", CLAUDE, "Hi."), call("bad", CLAUDE, "poison")))));

    BatchJobStatus.Ended ended = (BatchJobStatus.Ended) await(api.poll(job));

    assertThat(ended.providerState()).isEqualTo("PartiallyCompleted");
    assertThat(ended.end()).isEqualTo(BatchJobStatus.End.COMPLETED);
    assertThat(ended.lines().get("bad")).isInstanceOf(BatchLineResult.Failed.class);
  }

  @Test
  void runsNovaJobs() throws Exception {
    String nova = "amazon.nova-lite-v1:0";
    BatchApi api = api();
    BatchJob job =
        await(
            api.submit(
                new BatchSubmission("job-nova", null, nova, List.of(call("n", nova, "Hi.")))));

    BatchJobStatus.Ended ended = (BatchJobStatus.Ended) await(api.poll(job));

    BatchLineResult.Answered answer = (BatchLineResult.Answered) ended.lines().get("n");
    assertThat(answer.response().usage().inputTokens())
        .isEqualTo(BedrockBatchFakeServer.INPUT_TOKENS);
    assertThat(answer.response().usage().outputTokens())
        .isEqualTo(BedrockBatchFakeServer.OUTPUT_TOKENS);
  }

  @Test
  void refusesAnUnsupportedModelBeforeUploadingAnything() {
    String titan = "amazon.titan-text-express-v1";
    BatchSubmission submission =
        new BatchSubmission("job-titan", null, titan, List.of(call("t", titan, "Hi.")));

    assertThatThrownBy(() -> await(api().submit(submission)))
        .isInstanceOf(InvalidRequestException.class);
    assertThat(server.requestCount()).isZero();
  }

  @Test
  void findIgnoresJobsWhoseNameOnlyContainsTheKey() throws Exception {
    BatchApi api = api();
    await(
        api.submit(new BatchSubmission("job-10", null, CLAUDE, List.of(call("r", CLAUDE, "Hi.")))));

    assertThat(
            await(
                api.find(
                    new BatchSubmission("job-1", null, CLAUDE, List.of(call("r", CLAUDE, "Hi."))))))
        .isEmpty();
  }

  @Test
  void namesAndTokensKeepToBedrocksLimits() {
    assertThat(BedrockBatchApi.jobName("job-1")).isEqualTo("aibroker-job-1");
    assertThat(BedrockBatchApi.jobName("tenant/a b:c")).isEqualTo("aibroker-tenant-a-b-c");
    String longKey = "k".repeat(100);
    assertThat(BedrockBatchApi.jobName(longKey))
        .hasSize(63)
        .isNotEqualTo(BedrockBatchApi.jobName(longKey + "x"));
    assertThat(BedrockBatchApi.clientRequestToken("job-1")).isEqualTo("job-1");
    assertThat(BedrockBatchApi.clientRequestToken("job_1"))
        .hasSize(64)
        .matches("[0-9a-f]+")
        .isEqualTo(BedrockBatchApi.clientRequestToken("job_1"));
    assertThat(BedrockBatchApi.jobId("arn:aws:bedrock:us-east-1:1:model-invocation-job/abc123"))
        .isEqualTo("abc123");
  }

  private BatchApi api() {
    Connector connector =
        server.connector(null, "test-key", Duration.ofSeconds(30), Clock.systemUTC());
    connectors.add(connector);
    return connector.batch().orElseThrow();
  }

  private RecordedRequest createRequest() {
    return server.requests().stream()
        .filter(r -> r.method().equals("POST") && r.path().equals("/model-invocation-job"))
        .findFirst()
        .orElseThrow();
  }

  private static ProviderCall call(String requestId, String model, String text) {
    return BatchRecordsTest.call(
        requestId, model, null, ChatMessage.system("Be brief."), ChatMessage.user(text));
  }

  private static JsonNode json(String text) {
    try {
      return JSON.readTree(text);
    } catch (Exception e) {
      throw new AssertionError(e);
    }
  }

  private static <T> T await(CompletionStage<T> stage) throws Exception {
    try {
      return stage.toCompletableFuture().get(30, TimeUnit.SECONDS);
    } catch (ExecutionException failed) {
      if (failed.getCause() instanceof Exception cause) {
        throw cause;
      }
      throw failed;
    }
  }
}
