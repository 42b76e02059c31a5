package io.aibroker.connector;

import java.time.Duration;

/** The provider throttled the call (HTTP 429, capacity exceeded); honour {@link #retryAfter()}. */
public class RateLimitedException extends RetryableProviderException {

  /** Error type tag of this class. */
  public static final String TYPE = "rate_limited";

  /** See {@link ProviderException#ProviderException}. */
  public RateLimitedException(
      String provider,
      String message,
      String providerCode,
      int httpStatus,
      Duration retryAfter,
      Throwable cause) {
    super(provider, message, providerCode, httpStatus, retryAfter, cause);
  }

  /** Without provider code, HTTP status, retry hint or cause. */
  public RateLimitedException(String provider, String message) {
    this(provider, message, null, 0, null, null);
  }

  @Override
  public ErrorKind kind() {
    return ErrorKind.RATE_LIMITED;
  }
}
