package io.aibroker.workers;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.aibroker.testing.MutableClock;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class ReportedOutcomesTest {

  final MutableClock clock = new MutableClock(Instant.parse("2026-11-01T10:00:00Z"));

  @Test
  void remembersADispatchForTheTimeKeptThenForgetsIt() {
    var reported = new ReportedOutcomes(clock, Duration.ofMinutes(15), 10);
    reported.add(ReportedOutcomes.key("req-1", 1));

    clock.advance(Duration.ofMinutes(14));
    assertThat(reported.contains("req-1#1")).isTrue();
    assertThat(reported.contains("req-1#2")).as("another attempt").isFalse();

    clock.advance(Duration.ofMinutes(2));
    assertThat(reported.contains("req-1#1")).isFalse();
    assertThat(reported.size()).isZero();
  }

  @Test
  void keepsAtMostMaxEntriesForgettingTheOldestFirst() {
    var reported = new ReportedOutcomes(clock, Duration.ofMinutes(15), 3);
    for (int i = 1; i <= 5; i++) {
      reported.add("req-" + i + "#1");
      clock.advance(Duration.ofSeconds(1));
    }
    assertThat(reported.size()).isEqualTo(3);
    assertThat(reported.contains("req-1#1")).isFalse();
    assertThat(reported.contains("req-2#1")).isFalse();
    assertThat(reported.contains("req-5#1")).isTrue();
  }

  @Test
  void needsRoomForOneEntry() {
    assertThatThrownBy(() -> new ReportedOutcomes(clock, Duration.ofMinutes(1), 0))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
