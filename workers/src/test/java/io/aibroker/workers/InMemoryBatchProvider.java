package io.aibroker.workers;

import io.aibroker.connector.Connector;
import io.aibroker.connector.ProviderCall;
import io.aibroker.connector.ProviderErrorMapper;
import io.aibroker.connector.ProviderResponse;
import io.aibroker.connector.TokenUsage;
import io.aibroker.connector.batch.BatchApi;
import io.aibroker.connector.batch.BatchJob;
import io.aibroker.connector.batch.BatchJobStatus;
import io.aibroker.connector.batch.BatchLineResult;
import io.aibroker.connector.batch.BatchSubmission;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A provider with a batch API that lives outside any worker, as a real one does: jobs survive the
 * worker that submitted them. Jobs stay running until {@link #completeJobs} is on; thread-safe.
 */
final class InMemoryBatchProvider implements BatchApi {

  private final Map<String, BatchSubmission> jobs = new LinkedHashMap<>();
  private final AtomicInteger submits = new AtomicInteger();
  private final AtomicInteger finds = new AtomicInteger();
  private final AtomicInteger realTimeCalls = new AtomicInteger();
  private volatile boolean completeJobs = true;

  /** Whether polls find jobs ended (true) or still running. */
  void completeJobs(boolean complete) {
    completeJobs = complete;
  }

  int submits() {
    return submits.get();
  }

  int finds() {
    return finds.get();
  }

  int realTimeCalls() {
    return realTimeCalls.get();
  }

  synchronized List<BatchSubmission> jobs() {
    return List.copyOf(jobs.values());
  }

  /** A connector of provider {@code batchy} with this batch API. */
  Connector connector() {
    BatchApi api = this;
    return new Connector() {
      @Override
      public String provider() {
        return "batchy";
      }

      @Override
      public CompletionStage<ProviderResponse> call(ProviderCall call) {
        realTimeCalls.incrementAndGet();
        return CompletableFuture.completedFuture(
            ProviderResponse.ofText("real-time answer", ProviderResponse.FINISH_STOP, usage()));
      }

      @Override
      public Optional<BatchApi> batch() {
        return Optional.of(api);
      }

      @Override
      public ProviderErrorMapper errorMapper() {
        return ProviderErrorMapper.fallback("batchy");
      }
    };
  }

  @Override
  public Duration window() {
    return Duration.ofHours(24);
  }

  @Override
  public synchronized CompletionStage<BatchJob> submit(BatchSubmission submission) {
    submits.incrementAndGet();
    jobs.put(submission.key(), submission);
    return CompletableFuture.completedFuture(
        BatchJob.of(submission.key(), "p-" + submission.key()));
  }

  @Override
  public boolean canFind() {
    return true;
  }

  @Override
  public synchronized CompletionStage<Optional<BatchJob>> find(BatchSubmission submission) {
    finds.incrementAndGet();
    return CompletableFuture.completedFuture(
        jobs.containsKey(submission.key())
            ? Optional.of(BatchJob.of(submission.key(), "p-" + submission.key()))
            : Optional.empty());
  }

  @Override
  public synchronized CompletionStage<BatchJobStatus> poll(BatchJob job) {
    BatchSubmission submission = jobs.get(job.key());
    if (submission == null) {
      return CompletableFuture.failedFuture(new IllegalStateException("no job " + job));
    }
    if (!completeJobs) {
      return CompletableFuture.completedFuture(new BatchJobStatus.Running("in_progress"));
    }
    Map<String, BatchLineResult> lines = new LinkedHashMap<>();
    for (ProviderCall call : submission.calls()) {
      lines.put(
          call.requestId(),
          new BatchLineResult.Answered(
              ProviderResponse.ofText(
                  "batch answer to " + call.requestId(), ProviderResponse.FINISH_STOP, usage())));
    }
    return CompletableFuture.completedFuture(
        new BatchJobStatus.Ended(BatchJobStatus.End.COMPLETED, "completed", null, lines));
  }

  private static TokenUsage usage() {
    return new TokenUsage(12, 5);
  }
}
