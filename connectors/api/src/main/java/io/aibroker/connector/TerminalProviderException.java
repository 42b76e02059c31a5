package io.aibroker.connector;

import java.time.Duration;

/** A failure that will happen again however often the call is repeated. */
public abstract class TerminalProviderException extends ProviderException {

  /** See {@link ProviderException#ProviderException}. */
  protected TerminalProviderException(
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
    return ErrorClass.TERMINAL;
  }
}
