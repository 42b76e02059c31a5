package io.aibroker.connector;

import java.time.Duration;

/** A failure that may go away: throttling, provider errors, timeouts. */
public abstract class RetryableProviderException extends ProviderException {

  /** See {@link ProviderException#ProviderException}. */
  protected RetryableProviderException(
      String provider,
      String message,
      String providerCode,
      int httpStatus,
      Duration retryAfter,
      Throwable cause) {
    super(provider, message, providerCode, httpStatus, retryAfter, cause);
  }

  @Override
  public final ErrorClass errorClass() {
    return ErrorClass.RETRYABLE;
  }
}
