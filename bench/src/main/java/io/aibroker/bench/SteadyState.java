package io.aibroker.bench;

/**
 * When a load point's latency has settled, so that measuring it no longer measures the JVMs'
 * warm-up (JIT, page cache, consumer fetch sizes, RocksDB caches). A single point of a rate asked
 * for alone once reported a p99 of 13 s where the same rate inside a full run had 215 ms: every
 * measured point is now preceded by short discarded windows of its own rate until two in a row
 * agree.
 *
 * <p>Latency alone is not enough near capacity. At 1,000/s with windows of 5 s and latencies of 2-3
 * s, two windows agreed in p50 and p99 while a backlog was still draining: the measured point then
 * showed 1,121-1,172 answers/s at 1,000/s sent. A point starts from a system idle since the last
 * one drained; if the first seconds build a backlog (consumers and batches ramping up), the rest of
 * the point drains it, and every window that starts the same way looks the same. So a window is
 * also judged by its answers per second ({@link PointResult#completedRate()}: answers received, by
 * the time the reader saw them, within the window's measured part, to any send of the run, lead-in
 * included) against its sent rate. This needs windows with a lead-in, as {@code
 * Benchmark.warmUntilSteady} runs them (a lead-in as long as the measured point's warm-up, then the
 * window): then a healthy window has as many answers in flight when it starts as when it ends, and
 * answers about what it sends. More answers than sends is earlier work draining; fewer is a backlog
 * growing. (A window without a lead-in counts only answers to its own sends, so it is short by
 * those in flight at its end, rate x latency: 10 % for a 500 ms latency in a 5 s window, more in a
 * smoke run's 0.5 s ones, and it can never be over.)
 *
 * @param tolerance how much higher a window's p99 may be than the one before and still count as
 *     settled (0.25: 25 %)
 * @param slackMs absolute slack on top, so that windows of a few milliseconds are not told apart by
 *     scheduler noise
 * @param drainTolerance how much more than it sent a window may see answered (0.05: 5 %)
 * @param backlogTolerance how much less than it sent a window may see answered (0.10: 10 %)
 * @param slackAnswers absolute slack on both, in answers, so that small windows (a smoke run's few
 *     dozen sends, answers that come in bursts at each exactly-once commit) are not judged by a
 *     handful
 */
record SteadyState(
    double tolerance,
    double slackMs,
    double drainTolerance,
    double backlogTolerance,
    double slackAnswers) {

  /** 25 % or 5 ms in latency; answers within +5 % / -10 % of the sends, or 5. */
  static final SteadyState DEFAULT = new SteadyState(0.25, 5, 0.05, 0.10, 5);

  /** Validates the bounds. */
  SteadyState {
    if (tolerance < 0
        || slackMs < 0
        || drainTolerance < 0
        || backlogTolerance < 0
        || backlogTolerance > 1
        || slackAnswers < 0) {
      throw new IllegalArgumentException("tolerances and slacks must be >= 0");
    }
  }

  /**
   * True when {@code current}, the window after {@code previous}, shows the system settled: every
   * request of it was answered, its answers kept up with its sends without exceeding them ({@link
   * #keptPace}), and its p50 and its p99 agree with the previous window's within the tolerance,
   * either way: latency still falling fast is a backlog draining, not a steady state (a backlog's
   * p99 can look settled while its p50 still falls: 5,172 then 4,350 ms p99 with 3,540 then 2,663
   * ms p50 was taken as steady, and the point measured 2,393 ms p50 while 1,172 requests/s drained
   * at 1,000/s sent).
   */
  boolean settled(PointResult previous, PointResult current) {
    if (previous == null || current.missing() > 0 || current.failures() > 0) {
      return false;
    }
    return keptPace(current)
        && agree(previous.p99Ms(), current.p99Ms())
        && agree(previous.p50Ms(), current.p50Ms());
  }

  /**
   * True when the answers seen during the window ({@code completedRate} x its length) are neither
   * more than its sends by over {@link #drainTolerance} (earlier work draining) nor fewer by over
   * {@link #backlogTolerance} (a backlog growing), each with {@link #slackAnswers} on top.
   */
  boolean keptPace(PointResult window) {
    if (window.sentRate() <= 0 || window.measured() <= 0) {
      return true; // nothing sent: nothing to judge by
    }
    double sends = window.measured();
    double seconds = sends / window.sentRate();
    double answers = window.completedRate() * seconds;
    return answers <= sends * (1 + drainTolerance) + slackAnswers
        && answers >= sends * (1 - backlogTolerance) - slackAnswers;
  }

  private boolean agree(double before, double now) {
    return now <= before * (1 + tolerance) + slackMs && before <= now * (1 + tolerance) + slackMs;
  }
}
