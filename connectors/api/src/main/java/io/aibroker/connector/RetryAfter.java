package io.aibroker.connector;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Optional;

/**
 * Parses providers' retry hints: {@code Retry-After} (seconds or an HTTP date) and the millisecond
 * headers Azure sends ({@code retry-after-ms}, {@code x-ms-retry-after-ms}). Garbage yields empty
 * rather than an error: a bad hint must not turn a retryable failure into a crash.
 */
public final class RetryAfter {

  private RetryAfter() {}

  /**
   * Parses a {@code Retry-After} header value: delay seconds ({@code 2}, {@code 0.5}) or an
   * IMF-fixdate ({@code Wed, 21 Oct 2015 07:28:00 GMT}), which is read relative to {@code clock}.
   * Dates in the past give {@link Duration#ZERO}.
   */
  public static Optional<Duration> parseHeader(String value, Clock clock) {
    if (value == null || value.isBlank()) {
      return Optional.empty();
    }
    String trimmed = value.trim();
    try {
      return millis(Double.parseDouble(trimmed) * 1000);
    } catch (NumberFormatException notSeconds) {
      try {
        Instant at = ZonedDateTime.parse(trimmed, DateTimeFormatter.RFC_1123_DATE_TIME).toInstant();
        Duration wait = Duration.between(clock.instant(), at);
        return Optional.of(wait.isNegative() ? Duration.ZERO : wait);
      } catch (DateTimeParseException notADate) {
        return Optional.empty();
      }
    }
  }

  /** Parses a millisecond header value ({@code retry-after-ms: 1500}). */
  public static Optional<Duration> parseMillis(String value) {
    if (value == null || value.isBlank()) {
      return Optional.empty();
    }
    try {
      return millis(Double.parseDouble(value.trim()));
    } catch (NumberFormatException e) {
      return Optional.empty();
    }
  }

  private static Optional<Duration> millis(double millis) {
    if (!Double.isFinite(millis) || millis < 0 || millis > Long.MAX_VALUE) {
      return Optional.empty();
    }
    return Optional.of(Duration.ofMillis(Math.round(millis)));
  }
}
