package io.aibroker.connector;

import java.time.Duration;

/**
 * The provider failed (HTTP 5xx, model errors, connection resets) or failed in a way no mapper
 * knew.
 */
public class ProviderServerException extends RetryableProviderException {

  /** Error type tag of this class. */
  public static final String TYPE = "server_error";

  /** See {@link ProviderException#ProviderException}. */
  public ProviderServerException(
      String provider,
      String message,
      String providerCode,
      int httpStatus,
      Duration retryAfter,
      Throwable cause) {
    super(provider, message, providerCode, httpStatus, retryAfter, cause);
  }

  /** Without provider code, HTTP status, retry hint or cause. */
  public ProviderServerException(String provider, String message) {
    this(provider, message, null, 0, null, null);
  }

  @Override
  public ErrorKind kind() {
    return ErrorKind.SERVER_ERROR;
  }
}
