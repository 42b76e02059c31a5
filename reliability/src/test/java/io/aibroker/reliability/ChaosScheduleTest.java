package io.aibroker.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import io.aibroker.reliability.ChaosSchedule.Step;
import io.aibroker.reliability.ChaosSchedule.Target;
import org.junit.jupiter.api.Test;

class ChaosScheduleTest {

  @Test
  void oneKillOfEachKindIsSpreadEvenlyOverTheRun() {
    assertThat(ChaosSchedule.plan(2000, 1, 1, 1))
        .containsExactly(
            new Step(Target.WORKER, 500), new Step(Target.APP, 1000), new Step(Target.KAFKA, 1500));
  }

  @Test
  void theFullMatrixInterleavesKindsAndKeepsEveryKill() {
    var steps = ChaosSchedule.plan(20_000, 3, 2, 1);
    assertThat(steps)
        .extracting(Step::target)
        .containsExactly(
            Target.WORKER, Target.APP, Target.KAFKA, Target.WORKER, Target.APP, Target.WORKER);
    assertThat(steps).extracting(Step::atRequest).isSorted().allMatch(n -> n > 0 && n < 20_000);
  }

  @Test
  void noKillsMeansNoSteps() {
    assertThat(ChaosSchedule.plan(100, 0, 0, 0)).isEmpty();
  }
}
