package io.aibroker.connector;

import java.time.Duration;

/** The call timed out (HTTP 408/504, provider or client timeout, deadline already passed). */
public class ProviderTimeoutException extends RetryableProviderException {

  /** Error type tag of this class. */
  public static final String TYPE = "timeout";

  /** See {@link ProviderException#ProviderException}. */
  public ProviderTimeoutException(
      String provider,
      String message,
      String providerCode,
      int httpStatus,
      Duration retryAfter,
      Throwable cause) {
    super(provider, message, providerCode, httpStatus, retryAfter, cause);
  }

  /** Without provider code, HTTP status, retry hint or cause. */
  public ProviderTimeoutException(String provider, String message) {
    this(provider, message, null, 0, null, null);
  }

  @Override
  public ErrorKind kind() {
    return ErrorKind.TIMEOUT;
  }
}
