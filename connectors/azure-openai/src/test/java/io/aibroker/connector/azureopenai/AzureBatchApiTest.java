package io.aibroker.connector.azureopenai;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.json.JsonMapper;
import io.aibroker.connector.ChatMessage;
import io.aibroker.connector.ConnectorContext;
import io.aibroker.connector.ErrorKind;
import io.aibroker.connector.GenerationParams;
import io.aibroker.connector.InvalidRequestException;
import io.aibroker.connector.ProviderCall;
import io.aibroker.connector.ProviderException;
import io.aibroker.connector.RateLimitedException;
import io.aibroker.connector.Task;
import io.aibroker.connector.batch.BatchApi;
import io.aibroker.connector.batch.BatchJob;
import io.aibroker.connector.batch.BatchJobStatus;
import io.aibroker.connector.batch.BatchLineResult;
import io.aibroker.connector.batch.BatchSubmission;
import io.aibroker.connector.testing.FakeBatchJobs;
import io.aibroker.connector.testing.FakeScenario;
import io.aibroker.connector.testing.RecordedRequest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The Global Batch wire protocol, against {@link AzureOpenAiFakeServer}. */
class AzureBatchApiTest {

  private static final String DEPLOYMENT = AzureOpenAiBatchConformanceTest.BATCH_DEPLOYMENT;
  private static final String KEY = "test-key-123";
  private static final JsonMapper JSON = JsonMapper.builder().build();

  private AzureOpenAiFakeServer server;
  private AzureOpenAiConnector connector;
  private final List<reactor.netty.resources.ConnectionProvider> extraPools = new ArrayList<>();

  @BeforeEach
  void start() throws Exception {
    server = new AzureOpenAiFakeServer(DEPLOYMENT);
    connector =
        new AzureOpenAiConnector(
            AzureOpenAiConfig.of(server.baseUri()).withApiKey(KEY),
            ConnectorContext.defaults(),
            server.clientSslContext(),
            name -> null);
  }

  @AfterEach
  void stop() {
    extraPools.forEach(reactor.netty.resources.ConnectionProvider::dispose);
    connector.close();
    server.close();
  }

  private BatchApi api() {
    return connector.batch().orElseThrow();
  }

  private static ProviderCall call(String id, String text) {
    return new ProviderCall(
        id,
        "tenant",
        Task.CHAT,
        "gpt-4o-mini",
        DEPLOYMENT,
        List.of(ChatMessage.user(text)),
        List.of(),
        GenerationParams.defaults().withMaxTokens(32),
        false,
        null,
        BatchApi.BATCH_TIER);
  }

  private static BatchSubmission submission(String key, ProviderCall... calls) {
    return new BatchSubmission(key, DEPLOYMENT, "gpt-4o-mini", List.of(calls));
  }

  private List<RecordedRequest> requests(String method, String path) {
    return server.requests().stream()
        .filter(r -> r.method().equals(method) && r.path().equals(path))
        .toList();
  }

  @Test
  void submitUploadsTheLinesForBatchThenCreatesA24hChatJobTaggedWithTheKey() throws Exception {
    BatchJob job = await(api().submit(submission("job-42", call("req-1", "Say one."))));

    RecordedRequest upload = requests("POST", "/openai/files").getFirst();
    assertThat(upload.header("content-type")).startsWith("multipart/form-data");
    assertThat(upload.body())
        .contains("name=\"purpose\"")
        .contains("batch")
        .contains("\"custom_id\":\"req-1\"")
        .contains("\"model\":\"" + DEPLOYMENT + "\"");
    assertThat(upload.header("api-key")).isEqualTo(KEY);
    assertThat(upload.query()).contains("api-version=" + AzureOpenAiConfig.DEFAULT_API_VERSION);

    JsonNode create = JSON.readTree(requests("POST", "/openai/batches").getFirst().body());
    assertThat(create.path("endpoint").asText()).isEqualTo("/chat/completions");
    assertThat(create.path("completion_window").asText()).isEqualTo("24h");
    assertThat(create.path("metadata").path("aibroker_job").asText()).isEqualTo("job-42");
    assertThat(create.path("input_file_id").asText())
        .isEqualTo(job.attributes().get(AzureBatchApi.INPUT_FILE_ID));

    assertThat(job.key()).isEqualTo("job-42");
    assertThat(server.batchJobs().job(job.providerJobId())).isPresent();
    assertThat(server.batchJobs().createsPerKey()).containsEntry("job-42", 1);
  }

  @Test
  void aBatchLineCarriesTheSameRequestAsTheRealTimeCall() throws Exception {
    ProviderCall call = call("req-1", "Say one.");
    await(api().submit(submission("job-1", call)));
    await(connector.call(call.withServiceTier(ProviderCall.STANDARD_TIER)));

    JsonNode realTime =
        JSON.readTree(
            requests("POST", "/openai/deployments/" + DEPLOYMENT + "/chat/completions")
                .getFirst()
                .body());
    JsonNode line = JSON.readTree(server.batchJobs().jobs().getFirst().lines().getFirst().body());

    assertThat(line.path("messages")).isEqualTo(realTime.path("messages"));
    assertThat(line.path("max_tokens")).isEqualTo(realTime.path("max_tokens"));
  }

  @Test
  void aThousandLineJobIsAnsweredLineByLine() throws Exception {
    server
        .batchJobs()
        .failLinesContaining(
            "poison", new FakeBatchJobs.LineError(400, "invalid_request", "rejected"));
    ProviderCall[] calls =
        IntStream.range(0, 1_000)
            .mapToObj(i -> call("req-" + i, i % 100 == 0 ? "poison " + i : "Say " + i))
            .toArray(ProviderCall[]::new);

    BatchJob job = await(api().submit(submission("job-big", calls)));
    BatchJobStatus.Ended ended = (BatchJobStatus.Ended) await(api().poll(job));

    assertThat(ended.end()).isEqualTo(BatchJobStatus.End.COMPLETED);
    assertThat(ended.lines()).hasSize(1_000);
    assertThat(ended.lines().values())
        .filteredOn(BatchLineResult.Failed.class::isInstance)
        .hasSize(10);
  }

  @Test
  void findReadsThePagesOfTheBatchListUntilTheKeyTurnsUp() throws Exception {
    AzureBatchApi smallPages =
        new AzureBatchApi(connectorClient(), (AzureOpenAiErrorMapper) connector.errorMapper(), 2);
    BatchJob first = await(api().submit(submission("job-first", call("r", "x"))));
    for (int i = 0; i < 6; i++) {
      await(api().submit(submission("job-" + i, call("r", "x"))));
    }

    Optional<BatchJob> found = await(smallPages.find(submission("job-first", call("r", "x"))));
    Optional<BatchJob> missing = await(smallPages.find(submission("job-none", call("r", "x"))));

    assertThat(found).map(BatchJob::providerJobId).contains(first.providerJobId());
    assertThat(found.orElseThrow().attributes()).containsKey(AzureBatchApi.INPUT_FILE_ID);
    assertThat(missing).isEmpty();
    // 7 jobs, 2 a page: 4 pages for each find that reads to the end.
    assertThat(requests("GET", "/openai/batches")).hasSize(8);
  }

  @Test
  void aCancelledJobKeepsItsFinishedLinesAndDropsTheOnesNeverReached() throws Exception {
    server.batchJobs().completeAfterPolls(5);
    BatchJob job =
        await(api().submit(submission("job-c", call("req-1", "one"), call("req-2", "two"))));
    server.batchJobs().job(job.providerJobId()).orElseThrow().cancel();

    BatchJobStatus.Ended ended = (BatchJobStatus.Ended) await(api().poll(job));

    assertThat(ended.end()).isEqualTo(BatchJobStatus.End.CANCELLED);
    assertThat(ended.providerState()).isEqualTo("cancelled");
    assertThat(ended.lines()).isEmpty();
    assertThat(ended.message()).isNotBlank();
  }

  @Test
  void anExpiredJobReportsTheProvidersMessage() throws Exception {
    server.batchJobs().expireJobs(1, "window passed");
    BatchJob job =
        await(api().submit(submission("job-e", call("req-1", "one"), call("req-2", "two"))));

    BatchJobStatus.Ended ended = (BatchJobStatus.Ended) await(api().poll(job));

    assertThat(ended.end()).isEqualTo(BatchJobStatus.End.EXPIRED);
    assertThat(ended.message()).contains("window passed");
    assertThat(ended.lines()).containsOnlyKeys("req-1");
  }

  @Test
  void aRunningJobReportsAzuresState() throws Exception {
    server.batchJobs().completeAfterPolls(1);
    BatchJob job = await(api().submit(submission("job-r", call("req-1", "one"))));

    assertThat(await(api().poll(job))).isEqualTo(new BatchJobStatus.Running("in_progress"));
  }

  @Test
  void aRejectedRequestFailsTheStageClassifiedWithoutTheKey() {
    server.enqueue(FakeScenario.RATE_LIMITED);

    assertThatThrownBy(() -> await(api().submit(submission("job-429", call("req-1", "one")))))
        .isInstanceOf(RateLimitedException.class)
        .satisfies(e -> assertThat(((ProviderException) e).retryAfter()).isPresent())
        .hasMessageNotContaining(KEY);
    assertThat(server.batchJobs().creates()).isZero();
  }

  @Test
  void pollingAJobAzureDoesNotKnowFailsAsNotFound() {
    assertThatThrownBy(() -> await(api().poll(BatchJob.of("job-x", "batch_missing"))))
        .isInstanceOf(ProviderException.class)
        .satisfies(
            e -> assertThat(((ProviderException) e).kind()).isEqualTo(ErrorKind.MODEL_NOT_FOUND));
  }

  @Test
  void aSubmissionWithAnEmbeddingCallFailsBeforeAnyRequest() {
    ProviderCall embed =
        new ProviderCall(
            "req-e",
            "tenant",
            Task.EMBED,
            "gpt-4o-mini",
            DEPLOYMENT,
            List.of(),
            List.of("x"),
            null,
            false,
            null,
            BatchApi.BATCH_TIER);

    assertThatThrownBy(() -> await(api().submit(submission("job-e", embed))))
        .isInstanceOf(InvalidRequestException.class);
    assertThat(server.requestCount()).isZero();
  }

  @Test
  void theWindowIsAzures24Hours() {
    assertThat(api().window()).isEqualTo(Duration.ofHours(24));
    assertThat(api().canFind()).isTrue();
  }

  @Test
  void theInputFileIsNamedAfterTheKeyWithUnsafeCharactersReplaced() {
    assertThat(AzureBatchApi.fileName("job/1 a")).isEqualTo("aibroker-job_1_a.jsonl");
  }

  /** A second client of the same config, for an {@link AzureBatchApi} with small list pages. */
  private com.azure.ai.openai.OpenAIAsyncClient connectorClient() {
    AzureOpenAiClients.Built built =
        AzureOpenAiClients.build(
            AzureOpenAiConfig.of(server.baseUri()).withApiKey(KEY),
            server.clientSslContext(),
            name -> null);
    extraPools.add(built.pool());
    return built.client();
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
