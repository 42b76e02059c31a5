package io.aibroker.app.http;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.time.temporal.TemporalAdjusters;
import java.util.HashMap;
import java.util.Map;

/**
 * The time range of a {@code GET /v1/usage} query: {@code start} (inclusive) and {@code end}
 * (exclusive), each an ISO date ({@code 2026-03-01}, UTC; as {@code end} the whole day is
 * included), an ISO instant ({@code 2026-03-01T12:00:00Z}) or epoch seconds. Defaults: from the
 * start of the current month (UTC) until now.
 *
 * @param start first instant counted
 * @param end first instant no longer counted
 */
record UsageRange(Instant start, Instant end) {

  /** A query parameter that could not be read. */
  static final class InvalidQuery extends IllegalArgumentException {
    private final String param;

    InvalidQuery(String param, String message) {
      super(message);
      this.param = param;
    }

    /** The parameter at fault. */
    String param() {
      return param;
    }
  }

  /** Reads the range from a raw query string (may be null). */
  static UsageRange parse(String rawQuery, Clock clock) {
    Map<String, String> params = params(rawQuery);
    Instant now = clock.instant().truncatedTo(ChronoUnit.SECONDS);
    Instant start =
        params.containsKey("start")
            ? instant("start", params.get("start"), false)
            : LocalDate.ofInstant(now, ZoneOffset.UTC)
                .with(TemporalAdjusters.firstDayOfMonth())
                .atStartOfDay(ZoneOffset.UTC)
                .toInstant();
    Instant end = params.containsKey("end") ? instant("end", params.get("end"), true) : now;
    if (!start.isBefore(end)) {
      throw new InvalidQuery("start", "start (" + start + ") must be before end (" + end + ")");
    }
    return new UsageRange(start, end);
  }

  private static Instant instant(String param, String value, boolean endOfDay) {
    String text = value.trim();
    try {
      if (text.matches("-?\\d{1,12}")) {
        return Instant.ofEpochSecond(Long.parseLong(text));
      }
      if (text.matches("\\d{4}-\\d{2}-\\d{2}")) {
        LocalDate day = LocalDate.parse(text);
        return (endOfDay ? day.plusDays(1) : day).atStartOfDay(ZoneOffset.UTC).toInstant();
      }
      return Instant.parse(text);
    } catch (DateTimeParseException e) {
      throw new InvalidQuery(
          param,
          param
              + " must be an ISO date (2026-03-01), an ISO instant (2026-03-01T12:00:00Z) or"
              + " epoch seconds, was '"
              + value
              + "'");
    }
  }

  private static Map<String, String> params(String rawQuery) {
    Map<String, String> params = new HashMap<>();
    if (rawQuery == null || rawQuery.isEmpty()) {
      return params;
    }
    for (String pair : rawQuery.split("&")) {
      int eq = pair.indexOf('=');
      String name =
          URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
      String value =
          eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
      params.put(name, value);
    }
    return params;
  }
}
