package io.aibroker.connector.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.aibroker.connector.ChatMessage;
import io.aibroker.connector.Connector;
import io.aibroker.connector.ErrorClass;
import io.aibroker.connector.GenerationParams;
import io.aibroker.connector.ProviderCall;
import io.aibroker.connector.ProviderException;
import io.aibroker.connector.ProviderResponse;
import io.aibroker.connector.Task;
import io.aibroker.connector.batch.BatchApi;
import io.aibroker.connector.batch.BatchJob;
import io.aibroker.connector.batch.BatchJobStatus;
import io.aibroker.connector.batch.BatchLineResult;
import io.aibroker.connector.batch.BatchSubmission;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The one behavioural test of every connector's batch path ({@link Connector#batch()}), against the
 * connector's fake batch API: a job answered line by line at the batch tier, slow completion,
 * per-line errors classified like real-time errors, a failed and an expired job, finding a job by
 * its key, and polling a job from its recorded form with a fresh connector (as after a restart).
 *
 * <p>Extend it in the connector's test sources, as with {@link ConnectorConformanceSuite}. The fake
 * must keep its jobs in a {@link FakeBatchJobs} and answer each answered line as its real-time API
 * would, with usage.
 */
public abstract class BatchConformanceSuite {

  /** The marker the suite puts into a line that the fake must fail on its own. */
  protected static final String POISON = "poison-line";

  /** The most status queries a test makes before it gives up on a job. */
  private static final int MAX_POLLS = 20;

  private FakeProviderServer server;
  private final List<Connector> connectors = new ArrayList<>();

  /** For subclasses. */
  protected BatchConformanceSuite() {}

  /** Starts the fake serving the provider's batch API; called before every test. */
  protected abstract FakeProviderServer startServer() throws Exception;

  /** The fake's job bookkeeping, to script failures and count creates. */
  protected abstract FakeBatchJobs jobs(FakeProviderServer server);

  /**
   * Builds a connector with batch support pointed at {@code server}, with {@link
   * ConnectorConformanceSuite#CANARY_SECRET} as its credential. Called once per test, twice when a
   * test plays a restart.
   */
  protected abstract Connector connector(FakeProviderServer server);

  /** A chat model id the fake accepts. */
  protected abstract String chatModel();

  /** The deployment the calls name; null by default. */
  protected String deployment() {
    return null;
  }

  @BeforeEach
  final void startFake() throws Exception {
    server = startServer();
  }

  @AfterEach
  final void stopFake() {
    connectors.forEach(Connector::close);
    if (server != null) {
      server.close();
    }
  }

  /** The running fake. */
  protected final FakeProviderServer server() {
    return server;
  }

  /** A connector's batch API (a new connector each time). */
  protected final BatchApi batchApi() {
    Connector connector = connector(server);
    connectors.add(connector);
    Optional<BatchApi> batch = connector.batch();
    assertThat(batch).as("the connector's batch API").isPresent();
    return batch.orElseThrow();
  }

  /** A chat call of the job, whose user message is {@code text}. */
  protected ProviderCall line(String requestId, String text) {
    return new ProviderCall(
        requestId,
        "tenant-conformance",
        Task.CHAT,
        chatModel(),
        deployment(),
        List.of(ChatMessage.system("Be brief."), ChatMessage.user(text)),
        List.of(),
        GenerationParams.defaults(),
        false,
        null,
        BatchApi.BATCH_TIER);
  }

  /** A submission of {@code calls} under a fresh key. */
  protected BatchSubmission submission(ProviderCall... calls) {
    return new BatchSubmission(
        "job-" + UUID.randomUUID(), deployment(), chatModel(), List.of(calls));
  }

  @Test
  void answersEveryLineOfACompletedJobAtTheBatchTier() throws Exception {
    BatchApi api = batchApi();
    BatchSubmission submission =
        submission(line("req-1", "Say one."), line("req-2", "Say two."), line("req-3", "Say 3."));

    BatchJob job = await(api.submit(submission));
    BatchJobStatus.Ended ended = pollUntilEnded(api, job);

    assertThat(job.key()).isEqualTo(submission.key());
    assertThat(ended.end()).isEqualTo(BatchJobStatus.End.COMPLETED);
    assertThat(ended.lines()).containsOnlyKeys("req-1", "req-2", "req-3");
    ended
        .lines()
        .values()
        .forEach(
            result -> {
              assertThat(result).isInstanceOf(BatchLineResult.Answered.class);
              ProviderResponse response = ((BatchLineResult.Answered) result).response();
              assertThat(response.text()).isNotBlank();
              assertThat(response.usage().inputTokens()).isPositive();
              assertThat(response.usage().outputTokens()).isPositive();
              assertThat(response.serviceTier()).isEqualTo(BatchApi.BATCH_TIER);
            });
    assertThat(jobs(server).creates()).as("creates received").isEqualTo(1);
  }

  @Test
  void reportsARunningJobUntilItCompletes() throws Exception {
    jobs(server).completeAfterPolls(2);
    BatchApi api = batchApi();
    BatchJob job = await(api.submit(submission(line("req-1", "Say one."))));

    assertThat(await(api.poll(job))).isInstanceOf(BatchJobStatus.Running.class);
    assertThat(await(api.poll(job))).isInstanceOf(BatchJobStatus.Running.class);
    BatchJobStatus last = await(api.poll(job));

    assertThat(last).isInstanceOf(BatchJobStatus.Ended.class);
    assertThat(((BatchJobStatus.Ended) last).end()).isEqualTo(BatchJobStatus.End.COMPLETED);
  }

  @Test
  void aLineErrorFailsOnlyItsOwnLineClassifiedLikeARealTimeError() throws Exception {
    jobs(server)
        .failLinesContaining(
            POISON, new FakeBatchJobs.LineError(400, "invalid_request", "line rejected by fake"));
    BatchApi api = batchApi();
    BatchJob job =
        await(
            api.submit(submission(line("req-good", "Say one."), line("req-bad", "Say " + POISON))));

    BatchJobStatus.Ended ended = pollUntilEnded(api, job);

    assertThat(ended.end()).isEqualTo(BatchJobStatus.End.COMPLETED);
    assertThat(ended.lines().get("req-good")).isInstanceOf(BatchLineResult.Answered.class);
    assertThat(ended.lines().get("req-bad")).isInstanceOf(BatchLineResult.Failed.class);
    ProviderException error = ((BatchLineResult.Failed) ended.lines().get("req-bad")).error();
    assertThat(error.errorClass()).isEqualTo(ErrorClass.TERMINAL);
    assertThat(error.getMessage()).contains("line rejected by fake");
  }

  @Test
  void aLineErrorTheProviderMayRecoverFromIsRetryable() throws Exception {
    jobs(server)
        .failLinesContaining(
            POISON, new FakeBatchJobs.LineError(500, "server_error", "line failed in fake"));
    BatchApi api = batchApi();
    BatchJob job =
        await(
            api.submit(submission(line("req-good", "Say one."), line("req-bad", "Say " + POISON))));

    BatchJobStatus.Ended ended = pollUntilEnded(api, job);

    assertThat(ended.lines().get("req-good")).isInstanceOf(BatchLineResult.Answered.class);
    ProviderException error = ((BatchLineResult.Failed) ended.lines().get("req-bad")).error();
    assertThat(error.errorClass()).isEqualTo(ErrorClass.RETRYABLE);
  }

  @Test
  void aFailedJobEndsFailedWithTheProvidersMessage() throws Exception {
    jobs(server).failJobs("fake job validation failed");
    BatchApi api = batchApi();
    BatchJob job = await(api.submit(submission(line("req-1", "Say one."))));

    BatchJobStatus.Ended ended = pollUntilEnded(api, job);

    assertThat(ended.end()).isEqualTo(BatchJobStatus.End.FAILED);
    assertThat(ended.message()).contains("fake job validation failed");
    assertThat(ended.lines()).isEmpty();
  }

  @Test
  void anExpiredJobKeepsTheLinesThatFinished() throws Exception {
    jobs(server).expireJobs(1, "fake window passed");
    BatchApi api = batchApi();
    BatchJob job =
        await(api.submit(submission(line("req-1", "Say one."), line("req-2", "Say two."))));

    BatchJobStatus.Ended ended = pollUntilEnded(api, job);

    assertThat(ended.end()).isEqualTo(BatchJobStatus.End.EXPIRED);
    assertThat(ended.lines()).containsOnlyKeys("req-1");
    assertThat(ended.lines().get("req-1")).isInstanceOf(BatchLineResult.Answered.class);
  }

  @Test
  void findsAJobByItsKeyOrSaysItCannot() throws Exception {
    BatchApi api = batchApi();
    BatchSubmission submission = submission(line("req-1", "Say one."));
    if (!api.canFind()) {
      assertThatThrownBy(() -> api.find(submission))
          .isInstanceOf(UnsupportedOperationException.class);
      return;
    }
    BatchJob job = await(api.submit(submission));

    Optional<BatchJob> found = await(batchApi().find(submission));
    Optional<BatchJob> other = await(api.find(submission(line("req-1", "Say one."))));

    assertThat(found).map(BatchJob::providerJobId).contains(job.providerJobId());
    assertThat(other).isEmpty();
    assertThat(jobs(server).creates()).isEqualTo(1);
  }

  @Test
  void aJobIsPolledFromItsRecordedFormByAnotherConnector() throws Exception {
    BatchJob job = await(batchApi().submit(submission(line("req-1", "Say one."))));
    BatchJob recorded = new BatchJob(job.key(), job.providerJobId(), job.attributes());

    BatchJobStatus.Ended ended = pollUntilEnded(batchApi(), recorded);

    assertThat(ended.end()).isEqualTo(BatchJobStatus.End.COMPLETED);
    assertThat(ended.lines()).containsOnlyKeys("req-1");
  }

  @Test
  void hasACompletionWindow() {
    assertThat(batchApi().window()).isPositive();
  }

  @Test
  void neverPutsTheCredentialIntoAMessage() throws Exception {
    jobs(server)
        .failLinesContaining(
            POISON, new FakeBatchJobs.LineError(400, "invalid_request", "line rejected by fake"));
    BatchApi api = batchApi();
    BatchJob job = await(api.submit(submission(line("req-bad", "Say " + POISON))));

    BatchJobStatus.Ended ended = pollUntilEnded(api, job);

    assertThat(job.attributes().values())
        .noneMatch(v -> v.contains(ConnectorConformanceSuite.CANARY_SECRET));
    assertThat(((BatchLineResult.Failed) ended.lines().get("req-bad")).error().getMessage())
        .doesNotContain(ConnectorConformanceSuite.CANARY_SECRET);
  }

  /** Polls until the job ended; fails after {@link #MAX_POLLS} queries. */
  protected static BatchJobStatus.Ended pollUntilEnded(BatchApi api, BatchJob job)
      throws Exception {
    for (int i = 0; i < MAX_POLLS; i++) {
      if (await(api.poll(job)) instanceof BatchJobStatus.Ended ended) {
        return ended;
      }
    }
    throw new AssertionError(
        "job " + job.providerJobId() + " did not end in " + MAX_POLLS + " polls");
  }

  /** Waits for a stage; unwraps its failure. */
  protected static <T> T await(CompletionStage<T> stage) throws Exception {
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
