package io.aibroker.connector;

import java.time.Duration;

/**
 * The provider rejected the request itself (HTTP 400/413/422: validation, too large, context
 * length).
 */
public class InvalidRequestException extends TerminalProviderException {

  /** Error type tag of this class. */
  public static final String TYPE = "invalid_request";

  /** See {@link ProviderException#ProviderException}. */
  public InvalidRequestException(
      String provider,
      String message,
      String providerCode,
      int httpStatus,
      Duration retryAfter,
      Throwable cause) {
    super(provider, message, providerCode, httpStatus, retryAfter, cause);
  }

  /** Without provider code, HTTP status, retry hint or cause. */
  public InvalidRequestException(String provider, String message) {
    this(provider, message, null, 0, null, null);
  }

  @Override
  public ErrorKind kind() {
    return ErrorKind.INVALID_REQUEST;
  }
}
