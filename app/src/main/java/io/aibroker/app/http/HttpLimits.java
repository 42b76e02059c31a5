package io.aibroker.app.http;

import java.time.Duration;

/**
 * What one caller may take of the HTTP server that every tenant shares.
 *
 * @param maxBodyBytes the largest request body accepted; a larger one gets 413 without being read
 * @param maxConcurrentRequests requests handled at once, and API requests in flight through the
 *     broker; beyond it 503 with Retry-After at once
 * @param readTimeout the longest a request may take to arrive (headers and body), and the longest a
 *     connection may stay silent while a request is read or between keep-alive requests
 */
public record HttpLimits(long maxBodyBytes, int maxConcurrentRequests, Duration readTimeout) {

  /** Whole seconds a caller turned away for lack of capacity is told to wait. */
  public static final long RETRY_AFTER_SECONDS = 1;

  /** Checks that every limit is positive. */
  public HttpLimits {
    if (maxBodyBytes < 1) {
      throw new IllegalArgumentException("http.max-body-bytes must be positive: " + maxBodyBytes);
    }
    if (maxConcurrentRequests < 1) {
      throw new IllegalArgumentException(
          "http.max-concurrent-requests must be positive: " + maxConcurrentRequests);
    }
    if (readTimeout.isNegative() || readTimeout.isZero()) {
      throw new IllegalArgumentException(
          "http.read-timeout-ms must be positive: " + readTimeout.toMillis());
    }
  }
}
