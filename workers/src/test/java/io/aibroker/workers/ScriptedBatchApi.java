package io.aibroker.workers;

import io.aibroker.connector.Connector;
import io.aibroker.connector.ProviderCall;
import io.aibroker.connector.ProviderErrorMapper;
import io.aibroker.connector.ProviderResponse;
import io.aibroker.connector.batch.BatchApi;
import io.aibroker.connector.batch.BatchJob;
import io.aibroker.connector.batch.BatchJobStatus;
import io.aibroker.connector.batch.BatchSubmission;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Function;

/** A batch API whose answers a test scripts, in a connector of provider {@code scripted}. */
final class ScriptedBatchApi implements BatchApi {

  final List<BatchSubmission> submissions = new ArrayList<>();
  final List<BatchSubmission> finds = new ArrayList<>();
  final Deque<Function<BatchSubmission, BatchJobStatus>> statuses = new ArrayDeque<>();
  boolean canFind = true;
  Optional<BatchJob> found = Optional.empty();
  Throwable submitError;
  private BatchSubmission last;

  /** Polls answer the next scripted status for the last submission; Running when none is left. */
  ScriptedBatchApi then(Function<BatchSubmission, BatchJobStatus> status) {
    statuses.add(status);
    return this;
  }

  Connector connector() {
    BatchApi api = this;
    return new Connector() {
      @Override
      public String provider() {
        return "scripted";
      }

      @Override
      public CompletionStage<ProviderResponse> call(ProviderCall call) {
        return CompletableFuture.failedFuture(new AssertionError("no real-time calls expected"));
      }

      @Override
      public Optional<BatchApi> batch() {
        return Optional.of(api);
      }

      @Override
      public ProviderErrorMapper errorMapper() {
        return ProviderErrorMapper.fallback("scripted");
      }
    };
  }

  @Override
  public Duration window() {
    return Duration.ofHours(24);
  }

  @Override
  public CompletionStage<BatchJob> submit(BatchSubmission submission) {
    submissions.add(submission);
    last = submission;
    if (submitError != null) {
      return CompletableFuture.failedFuture(submitError);
    }
    return CompletableFuture.completedFuture(
        BatchJob.of(submission.key(), "provider-job-" + submissions.size()));
  }

  @Override
  public boolean canFind() {
    return canFind;
  }

  @Override
  public CompletionStage<Optional<BatchJob>> find(BatchSubmission submission) {
    if (!canFind) {
      throw new UnsupportedOperationException("cannot find");
    }
    finds.add(submission);
    last = submission;
    return CompletableFuture.completedFuture(found);
  }

  @Override
  public CompletionStage<BatchJobStatus> poll(BatchJob job) {
    Function<BatchSubmission, BatchJobStatus> next = statuses.poll();
    return CompletableFuture.completedFuture(
        next == null ? new BatchJobStatus.Running("in_progress") : next.apply(last));
  }
}
