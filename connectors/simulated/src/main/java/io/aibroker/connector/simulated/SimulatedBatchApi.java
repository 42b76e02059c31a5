package io.aibroker.connector.simulated;

import io.aibroker.connector.ProviderCall;
import io.aibroker.connector.batch.BatchApi;
import io.aibroker.connector.batch.BatchJob;
import io.aibroker.connector.batch.BatchJobStatus;
import io.aibroker.connector.batch.BatchLineResult;
import io.aibroker.connector.batch.BatchSubmission;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.function.Function;

/**
 * An in-process batch API for the simulated provider: jobs live in this instance's memory, keyed by
 * their provider job id, and complete {@link SimulatedConfig#batchLatency()} after submission on
 * the connector's clock. Each line is then answered exactly as a real-time call would be (same text
 * and usage, same simulated failures per call), at the batch tier.
 *
 * <p><b>Jobs are lost on restart.</b> A new process knows none of the jobs an earlier one accepted:
 * polling one answers {@code Ended(FAILED, }{@value #LOST_ON_RESTART}{@code )}, so the worker fails
 * its lines over to real time, and {@link #find} of its key answers empty (the provider has no such
 * job), so a submission whose outcome was unknown is submitted again. Provider job ids are random
 * UUIDs, so a new process never mistakes an old job id for one of its own.
 *
 * <p>A job that ended is forgotten a whole {@link SimulatedConfig#batchWindow()} after it ended
 * (polling it then is answered as for a lost job), so a long embedded run does not keep every
 * prompt. Submitting a key again returns the job already submitted under it, like a provider's
 * idempotency token. A job whose latency exceeds the window expires unanswered.
 */
final class SimulatedBatchApi implements BatchApi {

  /** The message of a job this process does not know. */
  static final String LOST_ON_RESTART = "unknown job: the simulated provider lost it on restart";

  private final SimulatedConfig config;
  private final Clock clock;
  private final Function<ProviderCall, BatchLineResult> answer;
  private final Function<BatchSubmission, RuntimeException> rejection;
  private final ConcurrentMap<String, SimulatedBatchJob> jobs = new ConcurrentHashMap<>();
  private final ConcurrentMap<String, String> idsByKey = new ConcurrentHashMap<>();

  /**
   * @param config latency and window
   * @param clock the connector's clock
   * @param answer answers one line as the real-time path would
   * @param rejection the failure a submission gets at once (a simulated outage); returns {@code
   *     null} to accept it
   */
  SimulatedBatchApi(
      SimulatedConfig config,
      Clock clock,
      Function<ProviderCall, BatchLineResult> answer,
      Function<BatchSubmission, RuntimeException> rejection) {
    this.config = Objects.requireNonNull(config, "config");
    this.clock = Objects.requireNonNull(clock, "clock");
    this.answer = Objects.requireNonNull(answer, "answer");
    this.rejection = Objects.requireNonNull(rejection, "rejection");
  }

  @Override
  public Duration window() {
    return config.batchWindow();
  }

  @Override
  public CompletionStage<BatchJob> submit(BatchSubmission submission) {
    RuntimeException rejected = rejection.apply(submission);
    if (rejected != null) {
      return CompletableFuture.failedFuture(rejected);
    }
    Instant now = clock.instant();
    forgetOldJobs(now);
    String id =
        idsByKey.computeIfAbsent(
            submission.key(),
            key -> {
              BatchJob job = BatchJob.of(key, "simbatch-" + UUID.randomUUID());
              jobs.put(job.providerJobId(), new SimulatedBatchJob(job, now, submission.calls()));
              return job.providerJobId();
            });
    SimulatedBatchJob job = jobs.get(id);
    return job == null
        ? CompletableFuture.failedFuture(
            new IllegalStateException("simulated batch job was forgotten while submitted"))
        : CompletableFuture.completedFuture(job.job());
  }

  @Override
  public boolean canFind() {
    return true;
  }

  /** The job submitted under the key in this process; empty after a restart. */
  @Override
  public CompletionStage<Optional<BatchJob>> find(BatchSubmission submission) {
    return CompletableFuture.completedFuture(
        Optional.ofNullable(idsByKey.get(submission.key()))
            .map(jobs::get)
            .map(SimulatedBatchJob::job));
  }

  @Override
  public CompletionStage<BatchJobStatus> poll(BatchJob recorded) {
    SimulatedBatchJob job = jobs.get(recorded.providerJobId());
    if (job == null) {
      return CompletableFuture.completedFuture(
          new BatchJobStatus.Ended(
              BatchJobStatus.End.FAILED, "unknown", LOST_ON_RESTART, Map.of()));
    }
    Duration elapsed = Duration.between(job.submittedAt(), clock.instant());
    if (config.batchLatency().compareTo(config.batchWindow()) > 0
        && elapsed.compareTo(config.batchWindow()) >= 0) {
      return CompletableFuture.completedFuture(
          new BatchJobStatus.Ended(
              BatchJobStatus.End.EXPIRED,
              "expired",
              "simulated batch latency exceeds the completion window",
              Map.of()));
    }
    if (elapsed.compareTo(config.batchLatency()) < 0) {
      return CompletableFuture.completedFuture(new BatchJobStatus.Running("in_progress"));
    }
    return CompletableFuture.completedFuture(
        new BatchJobStatus.Ended(
            BatchJobStatus.End.COMPLETED, "completed", null, job.results(answer)));
  }

  /** How many jobs are held, for tests. */
  int jobCount() {
    return jobs.size();
  }

  /** Drops jobs that ended a whole window ago. */
  private void forgetOldJobs(Instant now) {
    Duration keep = config.batchWindow().plus(min(config.batchLatency(), config.batchWindow()));
    jobs.values()
        .removeIf(
            job -> {
              boolean old = Duration.between(job.submittedAt(), now).compareTo(keep) > 0;
              if (old) {
                idsByKey.remove(job.job().key(), job.job().providerJobId());
              }
              return old;
            });
  }

  private static Duration min(Duration a, Duration b) {
    return a.compareTo(b) <= 0 ? a : b;
  }
}
