package io.aibroker.bench;

import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;
import org.HdrHistogram.Histogram;

/**
 * The sends of one load point and what came back: when each send was due and when its answer was
 * seen, both on {@link System#nanoTime()} of this JVM. Everything else (latency percentiles,
 * completions per second) is computed from those two times after the run.
 */
final class Tracker {

  /** Latencies longer than this are recorded as this (an hour). */
  private static final long HIGHEST_NANOS = TimeUnit.HOURS.toNanos(1);

  private final String runId;
  private final AtomicLongArray intended;
  private final AtomicLongArray received;
  private final AtomicLong answers = new AtomicLong();
  private final AtomicLong failures = new AtomicLong();
  private final AtomicLong cached = new AtomicLong();
  private final AtomicLong duplicates = new AtomicLong();

  Tracker(String runId, int capacity) {
    this.runId = runId;
    this.intended = new AtomicLongArray(capacity);
    this.received = new AtomicLongArray(capacity);
  }

  String runId() {
    return runId;
  }

  int capacity() {
    return intended.length();
  }

  /** Send {@code sequence} was due at {@code dueNanos}. */
  void sent(long sequence, long dueNanos) {
    intended.set((int) sequence, dueNanos);
  }

  /** The answer to {@code sequence} was seen now; {@code ok} when it succeeded. */
  void answered(long sequence, long nowNanos, boolean ok, boolean fromCache) {
    if (sequence < 0 || sequence >= received.length()) {
      return;
    }
    if (!received.compareAndSet((int) sequence, 0, nowNanos)) {
      duplicates.incrementAndGet();
      return;
    }
    answers.incrementAndGet();
    if (!ok) {
      failures.incrementAndGet();
    }
    if (fromCache) {
      cached.incrementAndGet();
    }
  }

  long answers() {
    return answers.get();
  }

  /** Waits until {@code expected} answers are in, at most {@code timeout}; true if they are. */
  boolean awaitAnswers(long expected, Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (answers.get() < expected) {
      if (System.nanoTime() - deadline > 0) {
        return false;
      }
      Thread.sleep(20);
    }
    return true;
  }

  /**
   * The figures of a run: latencies of the measured sends (those without an answer count as
   * answered at {@code giveUpNanos}), and answers per second seen during the measured window.
   */
  PointResult result(String label, double targetRate, OpenLoop.Run run, long giveUpNanos) {
    return result(label, targetRate, run, giveUpNanos, false);
  }

  /**
   * As {@link #result(String, double, OpenLoop.Run, long)}; for a {@code burst} (sends as fast as
   * they go), the rates are over the time the sends took and the time to the last answer instead.
   */
  PointResult result(
      String label, double targetRate, OpenLoop.Run run, long giveUpNanos, boolean burst) {
    Histogram latencies = new Histogram(HIGHEST_NANOS, 3);
    long missing = 0;
    long inWindow = 0;
    long lastAnswer = run.measureStartNanos();
    for (int i = 0; i < run.sent(); i++) {
      long at = received.get(i);
      if (at != 0 && at - lastAnswer > 0) {
        lastAnswer = at;
      }
      if (at != 0 && at - run.measureStartNanos() >= 0 && at - run.measureEndNanos() < 0) {
        inWindow++;
      }
      if (i < run.warmupSends()) {
        continue;
      }
      long due = intended.get(i);
      if (at == 0) {
        missing++;
        at = giveUpNanos;
      }
      latencies.recordValue(Math.min(HIGHEST_NANOS, Math.max(0, at - due)));
    }
    long measured = run.sent() - run.warmupSends();
    double sentRate = measured / run.measuredSeconds();
    double completedRate = inWindow / run.measuredSeconds();
    if (burst) {
      sentRate = measured / seconds(run.finishedNanos() - run.measureStartNanos());
      completedRate = (measured - missing) / seconds(lastAnswer - run.measureStartNanos());
    }
    return new PointResult(
        label,
        targetRate,
        sentRate,
        completedRate,
        millis(latencies.getValueAtPercentile(50)),
        millis(latencies.getValueAtPercentile(99)),
        millis(latencies.getValueAtPercentile(99.9)),
        millis(latencies.getMaxValue()),
        measured,
        failures.get(),
        missing,
        cached.get(),
        run.maxLagNanos() / 1e6,
        Double.NaN,
        Double.NaN,
        Double.NaN,
        Double.NaN);
  }

  private static double seconds(long nanos) {
    return Math.max(1, nanos) / 1e9;
  }

  private static double millis(long nanos) {
    return nanos / 1e6;
  }
}
