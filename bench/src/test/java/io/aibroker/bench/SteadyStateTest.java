package io.aibroker.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class SteadyStateTest {

  private static PointResult window(double completedRate, double p99Ms, long missing) {
    return window(completedRate, p99Ms / 2, p99Ms, missing);
  }

  private static PointResult window(
      double completedRate, double p50Ms, double p99Ms, long missing) {
    return new PointResult(
        "w",
        1000,
        1000,
        completedRate,
        p50Ms,
        p99Ms,
        p99Ms,
        p99Ms,
        5000,
        0,
        missing,
        0,
        0,
        Double.NaN,
        Double.NaN,
        Double.NaN,
        Double.NaN);
  }

  @Test
  void theFirstWindowIsNeverSettled() {
    assertThat(SteadyState.DEFAULT.settled(null, window(1000, 10, 0))).isFalse();
  }

  @Test
  void aWindowNoWorseThanTheOneBeforeWithinTheToleranceIsSettled() {
    assertThat(SteadyState.DEFAULT.settled(window(1000, 40, 0), window(1000, 49, 0))).isTrue();
    assertThat(SteadyState.DEFAULT.settled(window(1000, 400, 0), window(1000, 330, 0))).isTrue();
  }

  @Test
  void aWindowStillGettingSlowerIsNotSettled() {
    assertThat(SteadyState.DEFAULT.settled(window(1000, 40, 0), window(1000, 56, 0))).isFalse();
  }

  @Test
  void aWindowWhoseP99IsStillFallingFastIsNotSettled() {
    // a backlog draining (seen: 4,656 ms, then 1,528 ms, then 330 ms measured)
    assertThat(SteadyState.DEFAULT.settled(window(1000, 4656, 0), window(1000, 1528, 0))).isFalse();
  }

  @Test
  void aWindowWhoseP50IsStillFallingFastIsNotSettledEvenIfItsP99Agrees() {
    // seen: p99 5,172 then 4,350 ms (within 25 %) while p50 fell from 3,540 to 2,663 ms
    assertThat(
            SteadyState.DEFAULT.settled(window(1000, 3540, 5172, 0), window(1000, 2663, 4350, 0)))
        .isFalse();
  }

  @Test
  void aWindowWithUnansweredRequestsIsNotSettled() {
    assertThat(SteadyState.DEFAULT.settled(window(1000, 40, 0), window(1000, 40, 3))).isFalse();
  }

  @Test
  void aWindowAfterALeadInAnsweringAboutWhatItSentIsSettled() {
    // with a lead-in, as many answers are in flight at its start as at its end
    assertThat(SteadyState.DEFAULT.settled(window(990, 250, 0), window(1010, 240, 0))).isTrue();
    assertThat(SteadyState.DEFAULT.settled(window(1000, 250, 0), window(1045, 240, 0))).isTrue();
    assertThat(SteadyState.DEFAULT.settled(window(1000, 250, 0), window(910, 240, 0))).isTrue();
  }

  @Test
  void aWindowAnsweringMoreThanItSentIsDrainingEarlierWorkAndNotSettled() {
    // seen: p50 and p99 agreed at 1,000/s (latencies 2-3 s), and the point measured 1,121-1,172
    // answers/s: the lead-in's backlog was draining
    assertThat(
            SteadyState.DEFAULT.settled(window(1000, 2400, 3100, 0), window(1121, 2300, 2900, 0)))
        .isFalse();
    assertThat(
            SteadyState.DEFAULT.settled(window(1000, 2400, 3100, 0), window(1172, 2300, 2900, 0)))
        .isFalse();
  }

  @Test
  void aWindowAnsweringFarLessThanItSentIsABacklogGrowingAndNotSettled() {
    assertThat(SteadyState.DEFAULT.settled(window(1000, 250, 0), window(880, 260, 0))).isFalse();
  }

  @Test
  void aSmallWindowIsNotJudgedByAHandfulOfAnswers() {
    // a smoke run: 50 sends at 100/s; 44 answers is 12 % short but within the 5-answer slack
    PointResult small =
        new PointResult(
            "w",
            100,
            100,
            88,
            20,
            40,
            40,
            40,
            50,
            0,
            0,
            0,
            0,
            Double.NaN,
            Double.NaN,
            Double.NaN,
            Double.NaN);
    assertThat(SteadyState.DEFAULT.keptPace(small)).isTrue();
  }

  @Test
  void aWindowWithoutSendsIsNotJudgedByItsAnswers() {
    PointResult empty =
        new PointResult(
            "w",
            0,
            0,
            0,
            0,
            0,
            0,
            0,
            0,
            0,
            0,
            0,
            0,
            Double.NaN,
            Double.NaN,
            Double.NaN,
            Double.NaN);
    assertThat(SteadyState.DEFAULT.keptPace(empty)).isTrue();
  }

  @Test
  void smallWindowsDifferingBySchedulerNoiseAreSettled() {
    assertThat(SteadyState.DEFAULT.settled(window(1000, 2, 0), window(1000, 6, 0))).isTrue();
  }

  @Test
  void rejectsNegativeBounds() {
    assertThatThrownBy(() -> new SteadyState(-0.1, 0, 0.05, 0.1, 5))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new SteadyState(0.25, 5, 0.05, 1.5, 5))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
