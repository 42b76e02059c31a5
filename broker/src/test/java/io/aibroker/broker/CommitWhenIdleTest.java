package io.aibroker.broker;

import static org.assertj.core.api.Assertions.assertThat;

import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.MockProcessorContext;
import org.junit.jupiter.api.Test;

class CommitWhenIdleTest {

  private final MockProcessorContext<String, Object> context = new MockProcessorContext<>();

  @Test
  void asksForACommitOnceTheThreadHasHadNoRecordForTheQuietTime() {
    CommitWhenIdle idle = CommitWhenIdle.of(context, true);
    context.setCurrentSystemTimeMs(1_000);
    idle.processed();

    idle.check(1_003); // a record 3 ms ago: more may be coming
    assertThat(context.committed()).isFalse();

    idle.check(1_005);
    assertThat(context.committed()).isTrue();
  }

  @Test
  void asksOnlyOncePerBurstOfRecords() {
    CommitWhenIdle idle = CommitWhenIdle.of(context, true);
    context.setCurrentSystemTimeMs(1_000);
    idle.processed();
    idle.check(1_010);
    context.resetCommit();

    idle.check(1_020);

    assertThat(context.committed()).isFalse();
  }

  @Test
  void aRecordOfAnotherTaskOfTheThreadKeepsItBusy() {
    CommitWhenIdle idle = CommitWhenIdle.of(context, true);
    MockProcessorContext<String, Object> other = new MockProcessorContext<>();
    CommitWhenIdle otherTask = CommitWhenIdle.of(other, true);
    context.setCurrentSystemTimeMs(1_000);
    idle.processed();
    other.setCurrentSystemTimeMs(1_004);
    otherTask.processed();

    idle.check(1_006);

    assertThat(context.committed()).isFalse();
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
}
