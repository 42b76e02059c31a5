package io.aibroker.connector;

import java.math.BigDecimal;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Parses durations as people write them in config: ISO-8601 ({@code PT0.02S}) or a number with a
 * unit ({@code 20ms}, {@code 1.5s}, {@code 2m}, {@code 1h30m}). Units: {@code ns}, {@code us},
 * {@code ms}, {@code s}, {@code m}, {@code h}, {@code d}. A bare {@code 0} is zero; other bare
 * numbers are rejected because their unit would be a guess.
 */
public final class Durations {

  private static final Pattern PART =
      Pattern.compile("\\s*(\\d+(?:\\.\\d+)?)\\s*(ns|us|µs|ms|s|m|h|d)");

  private Durations() {}

  /**
   * Parses {@code text}.
   *
   * @throws IllegalArgumentException if it is neither form, naming both forms
   */
  public static Duration parse(String text) {
    if (text == null) {
      throw new IllegalArgumentException("Invalid duration: null");
    }
    String trimmed = text.trim();
    if (trimmed.equals("0")) {
      return Duration.ZERO;
    }
    if (trimmed.regionMatches(true, 0, "P", 0, 1) || trimmed.regionMatches(true, 0, "-P", 0, 2)) {
      try {
        return Duration.parse(trimmed.toUpperCase(Locale.ROOT));
      } catch (DateTimeParseException e) {
        throw invalid(text);
      }
    }
    try {
      return parseSimple(text, trimmed.toLowerCase(Locale.ROOT));
    } catch (ArithmeticException tooLarge) {
      throw invalid(text);
    }
  }

  private static Duration parseSimple(String original, String text) {
    Matcher matcher = PART.matcher(text);
    Duration total = Duration.ZERO;
    int end = 0;
    while (end < text.length() && matcher.find(end) && matcher.start() == end) {
      total = total.plus(toDuration(new BigDecimal(matcher.group(1)), matcher.group(2)));
      end = matcher.end();
    }
    if (end == 0 || end != text.length()) {
      throw invalid(original);
    }
    return total;
  }

  private static Duration toDuration(BigDecimal amount, String unit) {
    long nanosPerUnit =
        switch (unit) {
          case "ns" -> 1L;
          case "us", "µs" -> 1_000L;
          case "ms" -> 1_000_000L;
          case "s" -> 1_000_000_000L;
          case "m" -> 60_000_000_000L;
          case "h" -> 3_600_000_000_000L;
          case "d" -> 86_400_000_000_000L;
          default -> throw new IllegalStateException("unit " + unit);
        };
    BigDecimal nanos = amount.multiply(BigDecimal.valueOf(nanosPerUnit));
    BigDecimal[] secondsAndNanos = nanos.divideAndRemainder(BigDecimal.valueOf(1_000_000_000L));
    return Duration.ofSeconds(secondsAndNanos[0].longValueExact(), secondsAndNanos[1].longValue());
  }

  private static IllegalArgumentException invalid(String text) {
    return new IllegalArgumentException(
        "Invalid duration '"
            + text
            + "': use a number with a unit (500ms, 2s, 1m, 1h30m) or ISO-8601 (PT0.5S)");
  }
}
