package io.aibroker.connector.batch;

import java.util.Map;
import java.util.Objects;

/** How a provider batch job is doing. */
public sealed interface BatchJobStatus {

  /** The provider's own name of the job's state ({@code in_progress}, {@code InProgress}, ...). */
  String providerState();

  /**
   * The job has not ended yet.
   *
   * @param providerState the provider's state
   */
  record Running(String providerState) implements BatchJobStatus {

    /** Requires the state. */
    public Running {
      Objects.requireNonNull(providerState, "providerState");
    }
  }

  /**
   * The job ended.
   *
   * @param end how
   * @param providerState the provider's state
   * @param message the provider's message when it did not complete (validation errors, expiry);
   *     {@code null} when it completed
   * @param lines each line's result by its id ({@link
   *     io.aibroker.connector.ProviderCall#requestId()}); a line the provider never got to (the job
   *     failed, expired or was cancelled first) is absent
   */
  record Ended(End end, String providerState, String message, Map<String, BatchLineResult> lines)
      implements BatchJobStatus {

    /** Requires end and state; copies the lines. */
    public Ended {
      Objects.requireNonNull(end, "end");
      Objects.requireNonNull(providerState, "providerState");
      lines = Map.copyOf(lines);
    }
  }

  /** How a job ended. */
  enum End {
    /** Every line has its result (answered or failed on its own). */
    COMPLETED,
    /** The job failed as a whole (validation, the provider's own failure). */
    FAILED,
    /** The completion window passed; finished lines have results. */
    EXPIRED,
    /** Cancelled; finished lines have results. */
    CANCELLED
  }
}
