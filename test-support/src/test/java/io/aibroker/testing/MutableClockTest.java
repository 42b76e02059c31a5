package io.aibroker.testing;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;

class MutableClockTest {

  private static final Instant START = Instant.parse("2030-01-01T00:00:00Z");

  @Test
  void standsStillUntilMoved() {
    MutableClock clock = new MutableClock(START);
    assertThat(clock.instant()).isEqualTo(START);
    assertThat(clock.millis()).isEqualTo(START.toEpochMilli());

    clock.advance(Duration.ofSeconds(90));
    assertThat(clock.instant()).isEqualTo(START.plusSeconds(90));

    clock.set(START.minusSeconds(5));
    assertThat(clock.instant()).isEqualTo(START.minusSeconds(5));
  }

  @Test
  void tellsUtcAndAViewInAnotherZoneFollowsIt() {
    MutableClock clock = new MutableClock(START);
    assertThat(clock.getZone()).isEqualTo(ZoneOffset.UTC);
    assertThat(clock.withZone(ZoneOffset.UTC)).isSameAs(clock);

    Clock paris = clock.withZone(ZoneId.of("Europe/Paris"));
    clock.advance(Duration.ofHours(1));
    assertThat(paris.getZone()).isEqualTo(ZoneId.of("Europe/Paris"));
    assertThat(paris.instant()).isEqualTo(START.plus(Duration.ofHours(1)));
    assertThat(paris.withZone(ZoneOffset.UTC)).isSameAs(clock);
  }

  @Test
  void anAnchoredClockStartsAtEpochZeroWhenAnchored() {
    AnchoredClock clock = new AnchoredClock();
    assertThat(clock.instant()).isAfter(Instant.parse("2020-01-01T00:00:00Z"));

    clock.anchor();
    assertThat(clock.instant()).isBefore(Instant.EPOCH.plusSeconds(60));
    assertThat(clock.getZone()).isEqualTo(ZoneOffset.UTC);
  }
}
