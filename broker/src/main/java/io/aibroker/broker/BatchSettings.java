package io.aibroker.broker;

import io.aibroker.records.BatchOptions;
import java.time.Duration;
import java.util.Objects;

/**
 * How a route pools BATCH requests into provider batch jobs (see {@link BatchRouting}): a pool is
 * submitted as one job once it holds {@code minLines} lines and at the latest {@code maxWait} after
 * its first one, never with more than {@code maxLines}; the provider promises to finish a job
 * within {@code window}.
 *
 * @param maxWait longest a request waits in the pool before its job is submitted (> 0)
 * @param minLines lines a pool gathers before it is submitted ahead of {@code maxWait}
 *     (1..maxLines)
 * @param maxLines most lines one job carries (1..{@value #MAX_LINES})
 * @param window the provider's completion window (> 0): a request whose deadline comes sooner is
 *     called in real time
 */
public record BatchSettings(Duration maxWait, int minLines, int maxLines, Duration window) {

  /** Most lines any provider accepts in one job: the bound of {@code maxLines}. */
  public static final int MAX_LINES = 50_000;

  /** The completion window providers sell batch jobs with, when the route names none. */
  public static final Duration DEFAULT_WINDOW = Duration.ofHours(24);

  /** Validates the settings. */
  public BatchSettings {
    Objects.requireNonNull(maxWait, "batch max-wait");
    Objects.requireNonNull(window, "batch window");
    if (maxLines < 1 || maxLines > MAX_LINES) {
      throw new IllegalArgumentException(
          "batch max-lines must be 1.." + MAX_LINES + ", was " + maxLines);
    }
    if (minLines < 1 || minLines > maxLines) {
      throw new IllegalArgumentException(
          "batch min-lines must be 1..max-lines (" + maxLines + "), was " + minLines);
    }
    if (maxWait.isZero() || maxWait.isNegative()) {
      throw new IllegalArgumentException("batch max-wait must be > 0, was " + maxWait);
    }
    if (window.isZero() || window.isNegative()) {
      throw new IllegalArgumentException("batch window must be > 0, was " + window);
    }
  }

  /** The options a batch dispatch carries to the workers that pool it. */
  public BatchOptions options() {
    return BatchOptions.newBuilder()
        .setMaxWaitMs(maxWait.toMillis())
        .setMinLines(minLines)
        .setMaxLines(maxLines)
        .setWindowMs(window.toMillis())
        .build();
  }
}
