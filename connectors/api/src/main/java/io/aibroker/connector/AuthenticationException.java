package io.aibroker.connector;

import java.time.Duration;

/** The provider rejected our credentials or denied access (HTTP 401/403). */
public class AuthenticationException extends TerminalProviderException {

  /** Error type tag of this class. */
  public static final String TYPE = "authentication";

  /** See {@link ProviderException#ProviderException}. */
  public AuthenticationException(
      String provider,
      String message,
      String providerCode,
      int httpStatus,
      Duration retryAfter,
      Throwable cause) {
    super(provider, message, providerCode, httpStatus, retryAfter, cause);
  }

  /** Without provider code, HTTP status, retry hint or cause. */
  public AuthenticationException(String provider, String message) {
    this(provider, message, null, 0, null, null);
  }

  @Override
  public ErrorKind kind() {
    return ErrorKind.AUTH;
  }
}
