package io.aibroker.connector.azureopenai;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

class RetryHeadersTest {

  private static final Clock CLOCK =
      Clock.fixed(Instant.parse("2025-03-01T12:00:00Z"), ZoneOffset.UTC);

  @Test
  void retryAfterMsWinsOverTheOthers() {
    assertThat(
            parse(
                Map.of("retry-after-ms", "250", "x-ms-retry-after-ms", "900", "Retry-After", "9")))
        .contains(Duration.ofMillis(250));
  }

  @Test
  void xMsRetryAfterMsIsNextInLine() {
    assertThat(parse(Map.of("x-ms-retry-after-ms", "900", "Retry-After", "9")))
        .contains(Duration.ofMillis(900));
  }

  @Test
  void retryAfterSecondsAndFractionsAreRead() {
    assertThat(parse(Map.of("Retry-After", "9"))).contains(Duration.ofSeconds(9));
    assertThat(parse(Map.of("Retry-After", "0.5"))).contains(Duration.ofMillis(500));
  }

  @Test
  void retryAfterDateIsReadRelativeToTheClock() {
    assertThat(parse(Map.of("Retry-After", "Sat, 01 Mar 2025 12:00:30 GMT")))
        .contains(Duration.ofSeconds(30));
  }

  @Test
  void headerNamesAreCaseInsensitive() {
    assertThat(parse(Map.of("Retry-After-Ms", "40"))).contains(Duration.ofMillis(40));
  }

  @Test
  void garbledPreciseHintFallsBackToRetryAfter() {
    assertThat(parse(Map.of("retry-after-ms", "soon", "Retry-After", "2")))
        .contains(Duration.ofSeconds(2));
  }

  @Test
  void noUsableHeaderGivesNoHint() {
    assertThat(parse(Map.of())).isEmpty();
    assertThat(parse(Map.of("retry-after-ms", "-5", "Retry-After", "later"))).isEmpty();
  }

  private static Optional<Duration> parse(Map<String, String> headers) {
    Map<String, String> byLowerName = new TreeMap<>();
    headers.forEach((name, value) -> byLowerName.put(name.toLowerCase(Locale.ROOT), value));
    return RetryHeaders.parse(name -> byLowerName.get(name.toLowerCase(Locale.ROOT)), CLOCK);
  }
}
