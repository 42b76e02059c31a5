package io.aibroker.connector.batch;

import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletionStage;

/**
 * One provider's batch protocol: submit a job of many calls, look for a job submitted earlier, poll
 * a job until it ends and read each line's result.
 *
 * <p>Implementations must be thread-safe and must not retry on their own (the worker polls again
 * and decides what a failure means). Stages may complete exceptionally with anything; the worker
 * classifies it with the connector's {@link io.aibroker.connector.Connector#errorMapper()}.
 */
public interface BatchApi {

  /** The service tier batch lines are served and priced at. */
  String BATCH_TIER = "batch";

  /**
   * How long the provider may take to finish a job it accepted (its completion window): requests
   * whose deadline comes sooner are called in real time instead.
   */
  Duration window();

  /**
   * Uploads the lines and creates one provider job. Where the provider takes an idempotency token
   * (Bedrock's {@code clientRequestToken}) or job metadata (Azure's {@code metadata}), the
   * submission's {@link BatchSubmission#key()} goes there, so that {@link #find} can tell whether a
   * submission whose answer was lost reached the provider.
   *
   * @return the job as the provider knows it, to be recorded and polled
   */
  CompletionStage<BatchJob> submit(BatchSubmission submission);

  /**
   * Whether {@link #find} can tell if a submission reached the provider. A provider without a way
   * to look jobs up by their key (Workers AI) returns false: a job whose submission outcome is
   * unknown is then never submitted again; its lines are called in real time.
   */
  boolean canFind();

  /**
   * Looks for a job submitted earlier under {@code submission}'s key.
   *
   * @return the job, or empty when the provider has none under that key
   * @throws UnsupportedOperationException when {@link #canFind()} is false
   */
  CompletionStage<Optional<BatchJob>> find(BatchSubmission submission);

  /**
   * Asks the provider how the job is doing. Once it ended, reads its results: every line that was
   * answered or failed on its own; lines the provider never got to are absent.
   */
  CompletionStage<BatchJobStatus> poll(BatchJob job);
}
