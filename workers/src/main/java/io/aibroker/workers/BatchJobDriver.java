package io.aibroker.workers;

import io.aibroker.connector.Connector;
import io.aibroker.connector.ErrorClass;
import io.aibroker.connector.ProviderErrors;
import io.aibroker.connector.ProviderException;
import io.aibroker.connector.ProviderResponse;
import io.aibroker.connector.batch.BatchApi;
import io.aibroker.connector.batch.BatchJob;
import io.aibroker.connector.batch.BatchJobStatus;
import io.aibroker.connector.batch.BatchLineResult;
import io.aibroker.connector.batch.BatchSubmission;
import io.aibroker.records.BatchJobHeader;
import io.aibroker.records.BatchJobPhase;
import io.aibroker.records.DispatchRequest;
import io.aibroker.records.ProviderErrorKind;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.function.Consumer;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Takes each provider batch job this worker owns through its life, one step at a time, each step
 * recorded on the batch-jobs topic before the next is taken:
 *
 * <ol>
 *   <li>{@code POOLED}: the header becomes {@code SUBMITTING} (recorded), then the job is submitted
 *       under its key; the provider's id is recorded as {@code SUBMITTED}.
 *   <li>{@code SUBMITTING} found after a restart (the submission may or may not have reached the
 *       provider): a provider that can look jobs up by key is asked and the job submitted only if
 *       it has none; one that cannot ({@link BatchApi#canFind()} false) is never sent the job again
 *       -- its lines are called in real time instead.
 *   <li>{@code SUBMITTED}: polled ({@link #nextPoll}: soon after submission, then less often, up to
 *       every {@link WorkerConfig#batchPollInterval()}) until it ends; then each member gets its
 *       outcome (an answer at the batch tier, its own line error, or, for lines the provider never
 *       got to, a retryable failure with the provider's message, which the broker fails over to a
 *       real-time call while the deadline allows), and once every outcome is durable the job's
 *       records are tombstoned.
 * </ol>
 *
 * A job is never submitted twice for the same members: the key it is submitted under is recorded
 * before the submission, and after a lost answer only {@link BatchApi#find} decides.
 */
final class BatchJobDriver {

  private static final Logger LOG = LoggerFactory.getLogger(BatchJobDriver.class);

  /** Submissions the provider refused with a retryable error, before the lines go real-time. */
  static final int MAX_SUBMIT_ATTEMPTS = 5;

  /** The first poll of a job, this long after its submission (or the poll interval if shorter). */
  static final Duration FIRST_POLL = Duration.ofSeconds(1);

  /** How long after its window a job that cannot be polled is given up. */
  static final Duration POLL_GRACE = Duration.ofHours(1);

  /** Outcome error codes of lines that got no result of their own. */
  static final String CODE_JOB_PREFIX = "BATCH_JOB_";

  static final String CODE_SUBMISSION_UNKNOWN = "BATCH_SUBMISSION_UNKNOWN";
  static final String CODE_JOB_REFUSED = "BATCH_JOB_REFUSED";
  static final String CODE_NO_BATCH_API = "BATCH_NOT_SUPPORTED";

  private final WorkerConfig config;
  private final Map<String, Connector> connectors;
  private final BatchJobLog log;
  private final RecordSink sink;
  private final Executor executor;
  private final Clock clock;
  private final WorkerMetrics metrics;
  private final ReportedOutcomes reported;
  private final Consumer<OpenBatchJob> finished;
  private final Map<String, Integer> submitAttempts = new ConcurrentHashMap<>();

  BatchJobDriver(
      WorkerConfig config,
      Map<String, Connector> connectors,
      BatchJobLog log,
      RecordSink sink,
      Executor executor,
      Clock clock,
      WorkerMetrics metrics,
      ReportedOutcomes reported,
      Consumer<OpenBatchJob> finished) {
    this.config = Objects.requireNonNull(config, "config");
    this.connectors = Map.copyOf(connectors);
    this.log = Objects.requireNonNull(log, "log");
    this.sink = Objects.requireNonNull(sink, "sink");
    this.executor = Objects.requireNonNull(executor, "executor");
    this.clock = Objects.requireNonNull(clock, "clock");
    this.metrics = Objects.requireNonNull(metrics, "metrics");
    this.reported = Objects.requireNonNull(reported, "reported");
    this.finished = Objects.requireNonNull(finished, "finished");
  }

  /** Takes the job's next step if it is due and no step is under way; returns at once. */
  void act(OpenBatchJob job) {
    if (job.gone() || job.header() == null || clock.instant().isBefore(job.nextActionAt())) {
      return;
    }
    if (!job.claim()) {
      return;
    }
    executor.execute(
        () -> {
          CompletionStage<Void> step;
          try {
            step = step(job);
          } catch (RuntimeException bug) {
            step = CompletableFuture.failedFuture(bug);
          }
          step.whenComplete(
              (done, failed) -> {
                if (failed != null) {
                  LOG.warn("batch job {}: step failed; trying again later", job.key(), failed);
                  job.actAgainAt(clock.instant().plus(config.batchPollInterval()));
                }
                job.release();
              });
        });
  }

  private CompletionStage<Void> step(OpenBatchJob job) {
    BatchJobHeader header = job.header();
    Connector connector = connectors.get(header.getProvider());
    Optional<BatchApi> api = connector == null ? Optional.empty() : connector.batch();
    if (api.isEmpty()) {
      return end(
          job,
          member ->
              notCalled(
                  CODE_NO_BATCH_API,
                  ProviderErrorKind.UNAVAILABLE,
                  "worker " + config.workerId() + " has no batch API for " + header.getProvider()));
    }
    return switch (header.getPhase()) {
      case POOLED -> submit(job, connector, api.get());
      case SUBMITTING -> resumeSubmitting(job, connector, api.get());
      case SUBMITTED -> poll(job, connector, api.get());
    };
  }

  private CompletionStage<Void> submit(OpenBatchJob job, Connector connector, BatchApi api) {
    BatchJobHeader submitting = copy(job.header()).setPhase(BatchJobPhase.SUBMITTING).build();
    // Every hop after a write goes back to the executor: write futures complete on the producer's
    // I/O thread, which must never be made to send (it would wait for itself).
    return log.update(job.key(), submitting)
        .thenComposeAsync(
            recorded -> {
              job.header(submitting);
              return api.submit(submission(job)).toCompletableFuture();
            },
            executor)
        .handleAsync(
            (submitted, failed) ->
                failed == null
                    ? submitted(job, submitted)
                    : submitFailed(job, connector, api, ProviderErrors.classify(connector, failed)),
            executor)
        .thenCompose(Function.identity());
  }

  private CompletionStage<Void> submitted(OpenBatchJob job, BatchJob submitted) {
    Instant now = clock.instant();
    BatchJobHeader header =
        copy(job.header())
            .setPhase(BatchJobPhase.SUBMITTED)
            .setProviderJobId(submitted.providerJobId())
            .setAttributes(Map.copyOf(submitted.attributes()))
            .setSubmittedAt(now)
            .build();
    return log.update(job.key(), header)
        .thenRun(
            () -> {
              job.header(header);
              submitAttempts.remove(job.key());
              job.actAgainAt(now.plus(nextPoll(now, now)));
              metrics.batchJobSubmitted(header.getProvider(), header.getMemberIds().size());
              LOG.info(
                  "batch job {} of {} lines submitted to {} as {}",
                  job.key(),
                  header.getMemberIds().size(),
                  header.getProvider(),
                  submitted.providerJobId());
            });
  }

  private CompletionStage<Void> submitFailed(
      OpenBatchJob job, Connector connector, BatchApi api, ProviderException error) {
    boolean definite = error.httpStatus() > 0;
    String provider = job.header().getProvider();
    if (definite && error.errorClass() == ErrorClass.TERMINAL) {
      // The job, not necessarily any request, was refused (Bedrock's minimum of records per job,
      // a model without batch support): its requests fail over to real-time calls, where a
      // request that is itself invalid fails on its own.
      LOG.warn("batch job {}: {} refused it: {}", job.key(), provider, error.getMessage());
      String why = "the provider refused the batch job: " + error.getMessage();
      return end(job, member -> notCalled(CODE_JOB_REFUSED, Outcomes.kind(error.kind()), why));
    }
    int attempts = submitAttempts.merge(job.key(), 1, Integer::sum);
    if (definite && attempts >= MAX_SUBMIT_ATTEMPTS) {
      LOG.warn(
          "batch job {}: {} refused it {} times; calling in real time",
          job.key(),
          provider,
          attempts);
      return end(job, member -> new CallResult.Failed(error, 1, 0));
    }
    if (!definite && !api.canFind()) {
      return end(job, member -> submissionUnknown(provider));
    }
    // A definite answer means the provider has no such job: submit again. A lost one is settled
    // by looking the job up first (SUBMITTING, not yet failed for sure).
    job.submissionFailedForSure(definite);
    job.actAgainAt(clock.instant().plus(config.batchPollInterval()));
    LOG.info("batch job {}: submission failed ({}); trying again", job.key(), error.getMessage());
    return CompletableFuture.completedFuture(null);
  }

  private CompletionStage<Void> resumeSubmitting(
      OpenBatchJob job, Connector connector, BatchApi api) {
    if (job.submissionFailedForSure()) {
      return submit(job, connector, api);
    }
    if (!api.canFind()) {
      return end(job, member -> submissionUnknown(job.header().getProvider()));
    }
    return api.find(submission(job))
        .toCompletableFuture()
        .thenComposeAsync(
            found ->
                found.isPresent()
                    ? submitted(job, found.get())
                    : submit(job, connector, api).toCompletableFuture(),
            executor);
  }

  private CompletionStage<Void> poll(OpenBatchJob job, Connector connector, BatchApi api) {
    BatchJobHeader header = job.header();
    BatchJob recorded = new BatchJob(job.key(), header.getProviderJobId(), header.getAttributes());
    return api.poll(recorded)
        .toCompletableFuture()
        .handleAsync(
            (status, failed) -> {
              Instant now = clock.instant();
              if (failed != null) {
                return pollFailed(job, api, ProviderErrors.classify(connector, failed), now);
              }
              if (status instanceof BatchJobStatus.Ended ended) {
                return finish(job, ended, now);
              }
              job.actAgainAt(now.plus(nextPoll(job.header().getSubmittedAt(), now)));
              return CompletableFuture.<Void>completedFuture(null);
            },
            executor)
        .thenCompose(Function.identity());
  }

  private CompletionStage<Void> pollFailed(
      OpenBatchJob job, BatchApi api, ProviderException error, Instant now) {
    Instant submittedAt = job.header().getSubmittedAt();
    Instant giveUp = (submittedAt == null ? now : submittedAt).plus(api.window()).plus(POLL_GRACE);
    if (now.isAfter(giveUp)) {
      return end(job, member -> new CallResult.Failed(error, 1, 0));
    }
    LOG.warn("batch job {}: poll failed ({}); polling again later", job.key(), error.getMessage());
    job.actAgainAt(now.plus(config.batchPollInterval()));
    return CompletableFuture.completedFuture(null);
  }

  private CompletionStage<Void> finish(OpenBatchJob job, BatchJobStatus.Ended ended, Instant now) {
    Instant submittedAt = job.header().getSubmittedAt();
    long providerMs =
        submittedAt == null ? 0 : Math.max(0, Duration.between(submittedAt, now).toMillis());
    metrics.batchJobEnded(job.header().getProvider(), ended.end().name().toLowerCase(Locale.ROOT));
    LOG.info(
        "batch job {} ended {} ({}): {} of {} lines with results",
        job.key(),
        ended.end(),
        ended.providerState(),
        ended.lines().size(),
        job.header().getMemberIds().size());
    return end(job, member -> lineResult(ended, member, providerMs));
  }

  /**
   * How long until a running job is polled again: as long as it has been running, at least {@link
   * #FIRST_POLL} and at most {@link WorkerConfig#batchPollInterval()} -- a job that finishes in
   * seconds is seen in seconds, one that takes hours costs a poll per interval.
   */
  Duration nextPoll(Instant submittedAt, Instant now) {
    Duration running = submittedAt == null ? Duration.ZERO : Duration.between(submittedAt, now);
    Duration delay = running.compareTo(FIRST_POLL) < 0 ? FIRST_POLL : running;
    return delay.compareTo(config.batchPollInterval()) > 0 ? config.batchPollInterval() : delay;
  }

  /** What a member's outcome says once its job ended. */
  static CallResult lineResult(
      BatchJobStatus.Ended ended, DispatchRequest member, long providerMs) {
    BatchLineResult line = ended.lines().get(member.getRequestId());
    return switch (line) {
      case BatchLineResult.Answered answered ->
          new CallResult.Answered(atBatchTier(answered.response()), 1, providerMs);
      case BatchLineResult.Failed failed -> new CallResult.Failed(failed.error(), 1, providerMs);
      case null ->
          notCalled(
              CODE_JOB_PREFIX + ended.end().name(),
              switch (ended.end()) {
                case EXPIRED -> ProviderErrorKind.TIMEOUT;
                case CANCELLED -> ProviderErrorKind.UNAVAILABLE;
                case FAILED, COMPLETED -> ProviderErrorKind.SERVER_ERROR;
              },
              "provider batch job "
                  + ended.end().name().toLowerCase(Locale.ROOT)
                  + " ("
                  + ended.providerState()
                  + ")"
                  + (ended.message() == null ? "" : ": " + ended.message()));
    };
  }

  /** Writes every member's outcome, then removes the job's records. */
  private CompletionStage<Void> end(
      OpenBatchJob job, Function<DispatchRequest, CallResult> results) {
    Instant now = clock.instant();
    List<CompletableFuture<?>> writes = new ArrayList<>();
    for (DispatchRequest member : job.members()) {
      CallResult result = results.apply(member);
      writes.add(
          sink.outcome(Outcomes.of(member, result, 1, config.workerId(), now))
              .thenRun(
                  () -> {
                    reported.add(ReportedOutcomes.key(member.getRequestId(), member.getAttempt()));
                    metrics.outcome(
                        member.getRoute().getProvider(), DispatchProcessor.resultTag(result));
                  }));
    }
    return CompletableFuture.allOf(writes.toArray(CompletableFuture[]::new))
        .thenComposeAsync(written -> log.remove(job.key(), job.header().getMemberIds()), executor)
        .thenRun(
            () -> {
              job.drop();
              submitAttempts.remove(job.key());
              finished.accept(job);
            });
  }

  private BatchSubmission submission(OpenBatchJob job) {
    BatchJobHeader header = job.header();
    return new BatchSubmission(
        job.key(),
        header.getDeployment(),
        header.getProviderModel(),
        job.members().stream().map(ProviderCalls::batchLine).toList());
  }

  private BatchJobHeader.Builder copy(BatchJobHeader header) {
    return BatchJobHeader.newBuilder(header).setWorkerId(config.workerId());
  }

  private static CallResult submissionUnknown(String provider) {
    return notCalled(
        CODE_SUBMISSION_UNKNOWN,
        ProviderErrorKind.UNAVAILABLE,
        "a submission of this provider batch job may have reached "
            + provider
            + ", which cannot look jobs up; it is not sent again, its lines are called in real time");
  }

  private static CallResult notCalled(String code, ProviderErrorKind kind, String message) {
    return new CallResult.NotCalled(code, ErrorClass.RETRYABLE, kind, message, 0, 0);
  }

  private static ProviderResponse atBatchTier(ProviderResponse response) {
    return response.serviceTier() != null
        ? response
        : new ProviderResponse(
            response.text(),
            response.finishReason(),
            response.embeddings(),
            response.usage(),
            response.providerLatency(),
            BatchApi.BATCH_TIER);
  }
}
