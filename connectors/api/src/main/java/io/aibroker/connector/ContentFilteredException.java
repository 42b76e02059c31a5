package io.aibroker.connector;

import java.time.Duration;

/** The provider's content policy blocked the prompt or the reply. */
public class ContentFilteredException extends TerminalProviderException {

  /** Error type tag of this class. */
  public static final String TYPE = "content_filtered";

  /** See {@link ProviderException#ProviderException}. */
  public ContentFilteredException(
      String provider,
      String message,
      String providerCode,
      int httpStatus,
      Duration retryAfter,
      Throwable cause) {
    super(provider, message, providerCode, httpStatus, retryAfter, cause);
  }

  /** Without provider code, HTTP status, retry hint or cause. */
  public ContentFilteredException(String provider, String message) {
    this(provider, message, null, 0, null, null);
  }

  @Override
  public ErrorKind kind() {
    return ErrorKind.CONTENT_FILTERED;
  }
}
