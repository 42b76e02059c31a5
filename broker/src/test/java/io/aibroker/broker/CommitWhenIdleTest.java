package io.aibroker.broker;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.common.metrics.Sensor;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.MockProcessorContext;
import org.apache.kafka.streams.processor.internals.metrics.StreamsMetricsImpl;
import org.apache.kafka.streams.processor.internals.metrics.ThreadMetrics;
import org.junit.jupiter.api.Test;

class CommitWhenIdleTest {

  /** The thread's state outlives a test: each starts a minute after the last. */
  private static final AtomicLong EPOCH = new AtomicLong(1_000_000);

  private final long t0 = EPOCH.addAndGet(60_000);
  private final MockProcessorContext<String, Object> context = new MockProcessorContext<>();

  private CommitWhenIdle processedAt(MockProcessorContext<String, Object> ctx, long ms) {
    CommitWhenIdle idle = CommitWhenIdle.of(ctx, true);
    ctx.setCurrentSystemTimeMs(ms);
    idle.processed();
    return idle;
  }

  @Test
  void asksForACommitOnceTheThreadHasHadNoRecordForTheQuietTime() {
    CommitWhenIdle idle = processedAt(context, t0);

    idle.check(t0 + 3); // a record 3 ms ago: more may be coming
    assertThat(context.committed()).isFalse();

    idle.check(t0 + CommitWhenIdle.QUIET.toMillis());
    assertThat(context.committed()).isTrue();
  }

  @Test
  void asksOnlyOncePerBurstOfRecords() {
    CommitWhenIdle idle = processedAt(context, t0);
    idle.check(t0 + 10);
    context.resetCommit();

    idle.check(t0 + 1_000);

    assertThat(context.committed()).isFalse();
  }

  @Test
  void aRecordOfAnotherTaskOfTheThreadKeepsItBusy() {
    CommitWhenIdle idle = processedAt(context, t0);
    processedAt(new MockProcessorContext<>(), t0 + 4);

    idle.check(t0 + 6);

    assertThat(context.committed()).isFalse();
  }

  @Test
  void theThreadAsksAtMostOncePerMinimumGap() {
    CommitWhenIdle idle = processedAt(context, t0);
    idle.check(t0 + 5);
    context.resetCommit();
    long next = t0 + 6;
    context.setCurrentSystemTimeMs(next);
    idle.processed();

    idle.check(next + 5); // quiet again, but only 6 ms after the last commit asked for
    assertThat(context.committed()).isFalse();

    idle.check(t0 + 5 + CommitWhenIdle.MIN_GAP.toMillis());
    assertThat(context.committed()).isTrue();
  }

  @Test
  void schedulesItsCheckOnlyUnderExactlyOnce() {
    CommitWhenIdle.of(context, true);
    assertThat(context.scheduledPunctuators()).hasSize(1);
    assertThat(context.scheduledPunctuators().getFirst().getType())
        .isEqualTo(PunctuationType.WALL_CLOCK_TIME);
    assertThat(context.scheduledPunctuators().getFirst().getInterval())
        .isEqualTo(CommitWhenIdle.QUIET);

    MockProcessorContext<String, Object> atLeastOnce = new MockProcessorContext<>();
    CommitWhenIdle.of(atLeastOnce, false);
    assertThat(atLeastOnce.scheduledPunctuators()).isEmpty();
  }

  @Test
  void aCommitOfTheIntervalAfterTheLastRecordLeavesNothingToAsk() {
    AtomicLong commits = new AtomicLong(7);
    CommitWhenIdle idle = CommitWhenIdle.of(context, true, commits::get);
    context.setCurrentSystemTimeMs(t0);
    idle.processed();
    idle.check(t0 + 2); // not quiet yet
    commits.incrementAndGet(); // Streams commits at the end of its interval

    idle.check(t0 + 1_000);

    assertThat(context.committed()).isFalse();
  }

  @Test
  void theMinimumGapCountsFromTheThreadsCommitsOfTheIntervalToo() {
    AtomicLong commits = new AtomicLong(7);
    CommitWhenIdle idle = CommitWhenIdle.of(context, true, commits::get);
    context.setCurrentSystemTimeMs(t0);
    idle.processed();
    idle.check(t0 + 1);
    commits.incrementAndGet(); // the interval's commit, after the check at t0 + 1
    context.setCurrentSystemTimeMs(t0 + 3);
    idle.processed(); // a record the commit may not have taken

    idle.check(t0 + 8); // quiet, but the thread committed less than the gap ago
    assertThat(context.committed()).isFalse();

    idle.check(t0 + 1 + CommitWhenIdle.MIN_GAP.toMillis());
    assertThat(context.committed()).isTrue();
  }

  @Test
  void readsTheCommitsOfTheStreamThreadFromItsMetric() {
    Sensor commits =
        ThreadMetrics.commitSensor(
            Thread.currentThread().getName(), (StreamsMetricsImpl) context.metrics());
    CommitWhenIdle idle = CommitWhenIdle.of(context, true);
    context.setCurrentSystemTimeMs(t0);
    idle.processed();
    idle.check(t0 + 2);
    commits.record(3.0); // as the stream thread records a commit

    idle.check(t0 + 1_000);

    assertThat(context.committed()).as("the thread's commit took the record").isFalse();
  }
}
