package io.aibroker.broker;

import java.time.Duration;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.ProcessingContext;

/**
 * Commits as soon as the stream thread runs out of records, instead of at the end of the commit
 * interval. Under exactly-once an output is visible only once its transaction commits, and a
 * request crosses two such hops: at low rates the interval is mostly waiting (one request alone
 * took about 100 ms with the 50 ms interval, 49 ms with this; a 20 ms interval took 64 ms, but pays
 * its commits, each several round trips to Kafka that stop the thread, at every rate).
 *
 * <p>Each processor notes the records it processes; a wall-clock punctuator of its task asks
 * Streams for a commit ({@link ProcessingContext#commit()}, done right after the punctuators run)
 * when the task has processed records since it last asked, no task of this stream thread has
 * processed one for {@link #QUIET}, and the thread last asked at least {@link #MIN_GAP} ago. Under
 * load records keep coming, nothing is asked, and the interval alone paces the commits where they
 * cost most. One transaction covers every task of a thread, so quietness is the thread's, not the
 * task's.
 */
final class CommitWhenIdle {

  /** How long the thread must have had no record before a commit is asked for. */
  static final Duration QUIET = Duration.ofMillis(5);

  /**
   * Least time between two commits this thread asks for: at 100 requests/s through the HTTP API a
   * commit after every request (each several round trips to Kafka, stopping the thread) made p50
   * 233 ms where the interval alone gave 176 ms; with 20 ms between them, 156 ms.
   */
  static final Duration MIN_GAP = Duration.ofMillis(20);

  /**
   * When a task of this thread last processed a record, and when the thread last asked for a commit
   * (stream threads only touch their own).
   */
  private static final ThreadLocal<long[]> THREAD = ThreadLocal.withInitial(() -> new long[2]);

  private final ProcessingContext context;
  private boolean pending;

  private CommitWhenIdle(ProcessingContext context) {
    this.context = context;
  }

  /**
   * For a processor of a task: with {@code exactlyOnce}, schedules the check on the context;
   * without it, the commit interval does not delay outputs and nothing is scheduled.
   */
  static CommitWhenIdle of(ProcessingContext context, boolean exactlyOnce) {
    CommitWhenIdle idle = new CommitWhenIdle(context);
    if (exactlyOnce) {
      context.schedule(QUIET, PunctuationType.WALL_CLOCK_TIME, idle::check);
    }
    return idle;
  }

  /** Notes a record processed now by this task. */
  void processed() {
    pending = true;
    THREAD.get()[0] = context.currentSystemTimeMs();
  }

  /** The punctuator: asks for a commit once the thread has been quiet long enough. */
  void check(long nowMs) {
    long[] thread = THREAD.get();
    if (pending
        && nowMs - thread[0] >= QUIET.toMillis()
        && nowMs - thread[1] >= MIN_GAP.toMillis()) {
      pending = false;
      thread[1] = nowMs;
      context.commit();
    }
  }
}
