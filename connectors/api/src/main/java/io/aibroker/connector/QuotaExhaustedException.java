package io.aibroker.connector;

import java.time.Duration;

/**
 * A hard quota (daily allocation, billing limit) is used up; retrying soon will not help, unlike
 * {@link RateLimitedException}.
 */
public class QuotaExhaustedException extends TerminalProviderException {

  /** Error type tag of this class. */
  public static final String TYPE = "quota_exhausted";

  /** See {@link ProviderException#ProviderException}. */
  public QuotaExhaustedException(
      String provider,
      String message,
      String providerCode,
      int httpStatus,
      Duration retryAfter,
      Throwable cause) {
    super(provider, message, providerCode, httpStatus, retryAfter, cause);
  }

  /** Without provider code, HTTP status, retry hint or cause. */
  public QuotaExhaustedException(String provider, String message) {
    this(provider, message, null, 0, null, null);
  }

  @Override
  public ErrorKind kind() {
    return ErrorKind.QUOTA_EXHAUSTED;
  }
}
