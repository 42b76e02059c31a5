package io.aibroker.connector;

import java.time.Duration;

/** The model or deployment does not exist, or this account cannot see it (HTTP 404). */
public class ModelNotFoundException extends TerminalProviderException {

  /** Error type tag of this class. */
  public static final String TYPE = "model_not_found";

  /** See {@link ProviderException#ProviderException}. */
  public ModelNotFoundException(
      String provider,
      String message,
      String providerCode,
      int httpStatus,
      Duration retryAfter,
      Throwable cause) {
    super(provider, message, providerCode, httpStatus, retryAfter, cause);
  }

  /** Without provider code, HTTP status, retry hint or cause. */
  public ModelNotFoundException(String provider, String message) {
    this(provider, message, null, 0, null, null);
  }

  @Override
  public ErrorKind kind() {
    return ErrorKind.MODEL_NOT_FOUND;
  }
}
