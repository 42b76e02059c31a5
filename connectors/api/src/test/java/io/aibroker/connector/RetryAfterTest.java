package io.aibroker.connector;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;

class RetryAfterTest {

  private final Clock clock =
      Clock.fixed(Instant.parse("2015-10-21T07:28:00Z").minusSeconds(30), ZoneOffset.UTC);

  @Test
  void readsDelaySeconds() {
    assertThat(RetryAfter.parseHeader("2", clock)).contains(Duration.ofSeconds(2));
    assertThat(RetryAfter.parseHeader(" 0.5 ", clock)).contains(Duration.ofMillis(500));
  }

  @Test
  void readsAnHttpDateRelativeToTheClock() {
    assertThat(RetryAfter.parseHeader("Wed, 21 Oct 2015 07:28:00 GMT", clock))
        .contains(Duration.ofSeconds(30));
    assertThat(RetryAfter.parseHeader("Wed, 21 Oct 2015 07:00:00 GMT", clock))
        .contains(Duration.ZERO);
  }

  @Test
  void readsAzureMillisecondHeaders() {
    assertThat(RetryAfter.parseMillis("1500")).contains(Duration.ofMillis(1500));
  }

  @Test
  void ignoresGarbageInsteadOfFailing() {
    assertThat(RetryAfter.parseHeader("soon", clock)).isEmpty();
    assertThat(RetryAfter.parseHeader("-3", clock)).isEmpty();
    assertThat(RetryAfter.parseHeader("NaN", clock)).isEmpty();
    assertThat(RetryAfter.parseHeader(null, clock)).isEmpty();
    assertThat(RetryAfter.parseMillis("")).isEmpty();
    assertThat(RetryAfter.parseMillis("Infinity")).isEmpty();
  }
}
