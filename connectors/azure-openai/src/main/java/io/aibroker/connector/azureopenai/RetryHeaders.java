package io.aibroker.connector.azureopenai;

import io.aibroker.connector.RetryAfter;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import java.util.function.UnaryOperator;

/**
 * Azure's retry hints, most precise first: {@code retry-after-ms}, {@code x-ms-retry-after-ms}
 * (both milliseconds), then {@code Retry-After} (seconds or an HTTP date). A header that does not
 * parse is skipped, so a garbled precise hint still falls back to {@code Retry-After}.
 */
final class RetryHeaders {

  /** Milliseconds, sent by Azure OpenAI on 429s. */
  static final String RETRY_AFTER_MS = "retry-after-ms";

  /** Milliseconds, the older Azure spelling. */
  static final String X_MS_RETRY_AFTER_MS = "x-ms-retry-after-ms";

  /** Seconds or an HTTP date (RFC 9110). */
  static final String RETRY_AFTER = "Retry-After";

  private RetryHeaders() {}

  /**
   * The hint in the headers {@code header} looks up (by name, case-insensitive; {@code null} when
   * absent), read relative to {@code clock}.
   */
  static Optional<Duration> parse(UnaryOperator<String> header, Clock clock) {
    Optional<Duration> hint = RetryAfter.parseMillis(header.apply(RETRY_AFTER_MS));
    if (hint.isEmpty()) {
      hint = RetryAfter.parseMillis(header.apply(X_MS_RETRY_AFTER_MS));
    }
    if (hint.isEmpty()) {
      hint = RetryAfter.parseHeader(header.apply(RETRY_AFTER), clock);
    }
    return hint;
  }
}
