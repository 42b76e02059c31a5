package io.aibroker.connector;

import java.time.Duration;
import java.util.Optional;

/**
 * A failed provider call, classified once ({@link ProviderErrors#classify}) so neither the worker's
 * retry policy nor the broker ever needs to know which provider it talks to: {@link #errorClass()}
 * says whether to try again, {@link #kind()} what failed. Every {@link Connector} failure reaches
 * the worker as one of these (see {@link InstrumentedConnector}).
 *
 * <p>The message is passed through {@link Redaction#redact(String)}; still, connectors must not put
 * request contents or credentials into it.
 */
public abstract class ProviderException extends RuntimeException {

  private final String provider;
  private final String providerCode;
  private final int httpStatus;
  private final Duration retryAfter;

  /**
   * @param provider the connector's {@link Connector#provider()} name
   * @param message what went wrong, without secrets
   * @param providerCode the provider's own error code ({@code ThrottlingException}, {@code 3040},
   *     ...), or {@code null}
   * @param httpStatus the HTTP status, or 0 if there was none
   * @param retryAfter how long the provider asked us to wait, or {@code null}
   * @param cause the original error, or {@code null}
   */
  protected ProviderException(
      String provider,
      String message,
      String providerCode,
      int httpStatus,
      Duration retryAfter,
      Throwable cause) {
    super(describe(provider, message, providerCode, httpStatus), cause);
    this.provider = provider;
    this.providerCode = providerCode;
    this.httpStatus = httpStatus;
    this.retryAfter = retryAfter == null || retryAfter.isNegative() ? null : retryAfter;
  }

  /** Whether the call may succeed if tried again. */
  public abstract ErrorClass errorClass();

  /** What failed; carried to the broker, which makes it the result's reason code. */
  public abstract ErrorKind kind();

  /** A short stable name of the failure kind, used as a metric tag: {@link ErrorKind#tag()}. */
  public final String errorType() {
    return kind().tag();
  }

  /** The provider's own error code, or {@code null}. */
  public String providerCode() {
    return providerCode;
  }

  /** The HTTP status the provider answered with, or 0 if there was none. */
  public int httpStatus() {
    return httpStatus;
  }

  /** How long the provider asked us to wait before trying again, if it said. */
  public Optional<Duration> retryAfter() {
    return Optional.ofNullable(retryAfter);
  }

  /** The connector's provider name. */
  public String provider() {
    return provider;
  }

  private static String describe(
      String provider, String message, String providerCode, int httpStatus) {
    StringBuilder text = new StringBuilder();
    text.append(provider).append(": ").append(Redaction.redact(message));
    if (httpStatus != 0 || providerCode != null) {
      text.append(" (");
      if (httpStatus != 0) {
        text.append("http ").append(httpStatus);
      }
      if (providerCode != null) {
        text.append(httpStatus != 0 ? ", " : "").append("code ").append(providerCode);
      }
      text.append(')');
    }
    return text.toString();
  }
}
