package io.aibroker.bench;

import java.time.Duration;
import java.util.concurrent.locks.LockSupport;

/**
 * An open-loop schedule: send number {@code i} is due at {@code start + i / rate}, whatever
 * happened to earlier sends. A late send goes out at once (and is late: latencies are measured from
 * the time it was due, so a stall in the system or in this generator cannot hide latency —
 * coordinated omission). Sends run on the calling thread.
 */
final class OpenLoop {

  /** Sends one record; {@code intendedNanos} is when it was due ({@link System#nanoTime()}). */
  @FunctionalInterface
  interface Sender {
    void send(long sequence, long intendedNanos);
  }

  /**
   * What a run did.
   *
   * @param sent sends made
   * @param warmupSends sends during the warm-up (sequence numbers below this are not measured)
   * @param measureStartNanos when the measured part began
   * @param measureEndNanos when it ended
   * @param maxLagNanos the most any send was behind its schedule
   * @param finishedNanos when the last send returned
   */
  record Run(
      long sent,
      long warmupSends,
      long measureStartNanos,
      long measureEndNanos,
      long maxLagNanos,
      long finishedNanos) {

    double measuredSeconds() {
      return (measureEndNanos - measureStartNanos) / 1e9;
    }
  }

  private OpenLoop() {}

  /** How many sends a run at {@code rate} for warm-up and duration makes, with room to spare. */
  static long sends(double rate, Duration warmup, Duration duration) {
    return (long) Math.ceil(rate * (warmup.toNanos() + duration.toNanos()) / 1e9) + 16;
  }

  /** Sends at {@code rate} per second for {@code warmup} then {@code duration}. */
  static Run run(double rate, Duration warmup, Duration duration, Sender sender) {
    long period = Math.max(1, Math.round(1e9 / rate));
    long warmupSends = (long) Math.floor(warmup.toNanos() / (double) period);
    long total = warmupSends + (long) Math.floor(duration.toNanos() / (double) period);
    return sendScheduled(period, warmupSends, total, sender);
  }

  /** Sends {@code count} at {@code rate} per second, none of them warm-up. */
  static Run count(double rate, long count, Sender sender) {
    long period = Math.max(1, Math.round(1e9 / rate));
    return sendScheduled(period, 0, count, sender);
  }

  private static Run sendScheduled(long period, long warmupSends, long total, Sender sender) {
    long start = System.nanoTime();
    long maxLag = 0;
    long sequence = 0;
    while (sequence < total) {
      long due = start + sequence * period;
      long now = System.nanoTime();
      if (now - due < 0) {
        // No spinning: the generator shares the machine with the system under test. Waking up a
        // little late (tens of microseconds) is counted in the latency, not hidden.
        LockSupport.parkNanos(due - now);
        continue;
      }
      maxLag = Math.max(maxLag, now - due);
      sender.send(sequence, due);
      sequence++;
    }
    long measureStart = start + warmupSends * period;
    return new Run(
        total, warmupSends, measureStart, start + total * period, maxLag, System.nanoTime());
  }
}
