package io.aibroker.app.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;

class UsageRangeTest {

  private static final Clock NOW =
      Clock.fixed(Instant.parse("2026-03-17T10:15:00Z"), ZoneOffset.UTC);

  @Test
  void defaultsToTheCurrentMonthUntilNow() {
    UsageRange range = UsageRange.parse(null, NOW);

    assertThat(range.start()).isEqualTo(Instant.parse("2026-03-01T00:00:00Z"));
    assertThat(range.end()).isEqualTo(NOW.instant());
  }

  @Test
  void readsIsoDatesWithTheEndDayIncluded() {
    UsageRange range = UsageRange.parse("start=2026-03-02&end=2026-03-03", NOW);

    assertThat(range.start()).isEqualTo(Instant.parse("2026-03-02T00:00:00Z"));
    assertThat(range.end()).isEqualTo(Instant.parse("2026-03-04T00:00:00Z"));
  }

  @Test
  void readsEpochSecondsAndIsoInstants() {
    UsageRange range = UsageRange.parse("start=1772323200&end=2026-03-05T12%3A00%3A00Z", NOW);

    assertThat(range.start()).isEqualTo(Instant.ofEpochSecond(1772323200));
    assertThat(range.end()).isEqualTo(Instant.parse("2026-03-05T12:00:00Z"));
  }

  @Test
  void refusesUnreadableValuesNamingTheParameter() {
    assertThatThrownBy(() -> UsageRange.parse("start=yesterday", NOW))
        .isInstanceOfSatisfying(
            UsageRange.InvalidQuery.class, e -> assertThat(e.param()).isEqualTo("start"))
        .hasMessageContaining("ISO date");
    assertThatThrownBy(() -> UsageRange.parse("start=2026-03-05&end=2026-03-01", NOW))
        .hasMessageContaining("must be before end");
  }
}
