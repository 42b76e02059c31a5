package io.aibroker.bench;

/**
 * When a load point's latency has settled, so that measuring it no longer measures the JVMs'
 * warm-up (JIT, page cache, consumer fetch sizes, RocksDB caches). A single point of a rate asked
 * for alone once reported a p99 of 13 s where the same rate inside a full run had 215 ms: every
 * measured point is now preceded by short discarded windows of its own rate until two in a row
 * agree.
 *
 * @param tolerance how much higher a window's p99 may be than the one before and still count as
 *     settled (0.25: 25 %)
 * @param slackMs absolute slack on top, so that windows of a few milliseconds are not told apart by
 *     scheduler noise
 */
record SteadyState(double tolerance, double slackMs) {

  /** 25 % or 5 ms. */
  static final SteadyState DEFAULT = new SteadyState(0.25, 5);

  /** Validates the bounds. */
  SteadyState {
    if (tolerance < 0 || slackMs < 0) {
      throw new IllegalArgumentException("tolerance and slack must be >= 0");
    }
  }

  /**
   * True when {@code current}, the window after {@code previous}, shows the system settled: every
   * request of it was answered and its p50 and its p99 agree with the previous window's within the
   * tolerance, either way: latency still falling fast is a backlog draining, not a steady state (a
   * backlog's p99 can look settled while its p50 still falls: 5,172 then 4,350 ms p99 with 3,540
   * then 2,663 ms p50 was taken as steady, and the point measured 2,393 ms p50 while 1,172
   * requests/s drained at 1,000/s sent). (Not the completion rate: over a window of a few seconds
   * the answers still in flight at its end make it look short of the rate; a growing backlog shows
   * as a growing p99.)
   */
  boolean settled(PointResult previous, PointResult current) {
    if (previous == null || current.missing() > 0 || current.failures() > 0) {
      return false;
    }
    return agree(previous.p99Ms(), current.p99Ms()) && agree(previous.p50Ms(), current.p50Ms());
  }

  private boolean agree(double before, double now) {
    return now <= before * (1 + tolerance) + slackMs && before <= now * (1 + tolerance) + slackMs;
  }
}
