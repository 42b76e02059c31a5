package io.aibroker.bench;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class CpuClockTest {

  @Test
  void countsIdleAndIowaitAsNotBusyAndGuestTimeOnce() {
    // user nice system idle iowait irq softirq steal guest guest_nice
    long[] ticks = CpuClock.ticksOf("cpu  100 5 50 800 20 3 2 10 40 0");

    assertThat(ticks).containsExactly(170, 990);
  }

  @Test
  void aLineOfOneCoreOrNoLineIsNoReading() {
    assertThat(CpuClock.ticksOf("cpu0 100 5 50 800 20 3 2 10")).containsExactly(-1, -1);
    assertThat(CpuClock.ticksOf("")).containsExactly(-1, -1);
  }

  @Test
  void theMachineIsBusyByTheShareOfTicksBetweenTwoReadings() {
    var before = new CpuClock.Reading(1.0, 100, 1000);
    var after = new CpuClock.Reading(1.5, 400, 1400);

    PointResult.CpuUse used = before.until(after, 2.0, 3.0);

    assertThat(used.machineBusy()).isEqualTo(0.75);
    assertThat(used.generatorSeconds()).isEqualTo(0.5);
    assertThat(used.appSeconds()).isEqualTo(2.0);
    assertThat(used.kafkaSeconds()).isEqualTo(3.0);
  }

  @Test
  void withoutProcStatTheMachineIsNotMeasured() {
    var before = new CpuClock.Reading(1.0, -1, -1);
    var after = new CpuClock.Reading(1.5, -1, -1);

    assertThat(before.until(after, 2.0, 3.0).machineBusy()).isNaN();
  }
}
