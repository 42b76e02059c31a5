package io.aibroker.broker;

import java.time.Duration;
import java.util.Map;
import java.util.function.LongSupplier;
import org.apache.kafka.common.Metric;
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
 * when the task has processed records since the thread's last commit, no task of this stream thread
 * has processed one for {@link #QUIET}, and the thread's last commit, asked for or of the interval,
 * was at least {@link #MIN_GAP} ago. Under load records keep coming, nothing is asked, and the
 * interval alone paces the commits where they cost most. One transaction covers every task of a
 * thread, so quietness and commits are the thread's, not the task's.
 *
 * <p>The thread's commits are read from its {@code commit-total} metric: a commit of the interval
 * just before a quiet spell already made the records visible, and asking again would be a second
 * transaction (and a second flush of every changed usage record and roll-up, and markers) for
 * nothing. At 1,000 requests/s the broker committed about 27 times a second when only its own asks
 * were counted (issue 16).
 */
final class CommitWhenIdle {

  /** How long the thread must have had no record before a commit is asked for. */
  static final Duration QUIET = Duration.ofMillis(5);

  /**
   * Least time between the thread's last commit and one it asks for: at 100 requests/s through the
   * HTTP API a commit after every request (each several round trips to Kafka, stopping the thread)
   * made p50 233 ms where the interval alone gave 176 ms; with 20 ms between them, 156 ms. 35 ms
   * took one client's sequential HTTP requests from p50 78 to 110 ms (each of a request's two hops
   * then waits for the gap after the other's commit) and saved 0.04 records per request at 1,000/s.
   */
  static final Duration MIN_GAP = Duration.ofMillis(20);

  /** Thread-level metric of Kafka Streams: the commits the stream thread has made. */
  static final String COMMIT_TOTAL = "commit-total";

  private static final String THREAD_METRICS = "stream-thread-metrics";

  /** What a stream thread's tasks share (stream threads only touch their own). */
  private static final ThreadLocal<ThreadState> THREAD = ThreadLocal.withInitial(ThreadState::new);

  private final ProcessingContext context;
  private final LongSupplier threadCommits;
  private long lastProcessedMs = Long.MIN_VALUE;

  private CommitWhenIdle(ProcessingContext context, LongSupplier threadCommits) {
    this.context = context;
    this.threadCommits = threadCommits;
  }

  /**
   * For a processor of a task: with {@code exactlyOnce}, schedules the check on the context;
   * without it, the commit interval does not delay outputs and nothing is scheduled.
   */
  static CommitWhenIdle of(ProcessingContext context, boolean exactlyOnce) {
    return of(context, exactlyOnce, commitsOfThisThread(context));
  }

  /** As {@link #of(ProcessingContext, boolean)}, with the thread's commit count given. */
  static CommitWhenIdle of(
      ProcessingContext context, boolean exactlyOnce, LongSupplier threadCommits) {
    CommitWhenIdle idle = new CommitWhenIdle(context, threadCommits);
    if (exactlyOnce) {
      context.schedule(QUIET, PunctuationType.WALL_CLOCK_TIME, idle::check);
    }
    return idle;
  }

  /** Notes a record processed now by this task. */
  void processed() {
    lastProcessedMs = context.currentSystemTimeMs();
    THREAD.get().lastRecordMs = lastProcessedMs;
  }

  /** The punctuator: asks for a commit once the thread has been quiet long enough. */
  void check(long nowMs) {
    ThreadState thread = THREAD.get();
    thread.noteCommits(threadCommits.getAsLong(), nowMs);
    if (lastProcessedMs > thread.lastCommitMs
        && nowMs - thread.lastRecordMs >= QUIET.toMillis()
        && nowMs - thread.lastCommitMs >= MIN_GAP.toMillis()) {
      thread.lastCommitMs = nowMs; // done right after the punctuators of this round
      context.commit();
    }
  }

  /**
   * Reads the thread's {@value #COMMIT_TOTAL} metric, found once; -1 where there is none (a mock
   * context), and then only the commits asked for here count.
   */
  private static LongSupplier commitsOfThisThread(ProcessingContext context) {
    String thread = Thread.currentThread().getName();
    Map<?, ? extends Metric> metrics = context.metrics().metrics();
    for (Metric metric : metrics.values()) {
      var name = metric.metricName();
      if (COMMIT_TOTAL.equals(name.name())
          && THREAD_METRICS.equals(name.group())
          && thread.equals(name.tags().get("thread-id"))) {
        return () -> ((Number) metric.metricValue()).longValue();
      }
    }
    return () -> -1;
  }

  /** When a task of the thread last processed a record, last checked, and its commits as seen. */
  private static final class ThreadState {
    long lastRecordMs = Long.MIN_VALUE;
    long lastCommitMs = Long.MIN_VALUE / 2;
    long lastCheckMs = Long.MIN_VALUE / 2;
    long commitsSeen = -1;

    /**
     * A changed count means a commit since the last check, made after it (Streams commits after the
     * punctuators of a round): records processed since that check may not be in it, so the commit
     * is taken as made at that check.
     */
    void noteCommits(long commits, long nowMs) {
      if (commitsSeen >= 0 && commits != commitsSeen) {
        lastCommitMs = Math.max(lastCommitMs, lastCheckMs);
      }
      commitsSeen = commits;
      lastCheckMs = nowMs;
    }
  }
}
