package io.aibroker.registry;

/**
 * A schema registry call failed.
 *
 * <p>Carries the Confluent {@code error_code} and the HTTP status of the response. Specific error
 * codes have their own subclasses (for example {@link SubjectNotFoundException}); this class is
 * used as is for every other code, including the server-side 5000x codes.
 *
 * <p>Messages name the subject or schema id involved and the server's message. They never contain
 * credentials.
 */
public class SchemaRegistryException extends RuntimeException {

  /** Value of {@link #httpStatus()} and {@link #errorCode()} when no HTTP response was received. */
  public static final int NO_RESPONSE = -1;

  private static final long serialVersionUID = 1L;

  private final int httpStatus;
  private final int errorCode;

  /**
   * Creates an exception for a failed call.
   *
   * @param message what failed, naming the subject or id
   * @param httpStatus HTTP status of the response, or {@link #NO_RESPONSE}
   * @param errorCode Confluent error code from the response body, or {@link #NO_RESPONSE}
   */
  public SchemaRegistryException(String message, int httpStatus, int errorCode) {
    super(message);
    this.httpStatus = httpStatus;
    this.errorCode = errorCode;
  }

  /**
   * Creates an exception for a failed call with an underlying cause.
   *
   * @param message what failed, naming the subject or id
   * @param httpStatus HTTP status of the response, or {@link #NO_RESPONSE}
   * @param errorCode Confluent error code from the response body, or {@link #NO_RESPONSE}
   * @param cause the underlying failure
   */
  public SchemaRegistryException(String message, int httpStatus, int errorCode, Throwable cause) {
    super(message, cause);
    this.httpStatus = httpStatus;
    this.errorCode = errorCode;
  }

  /** The Confluent error code, e.g. 40401, or {@link #NO_RESPONSE}. */
  public int errorCode() {
    return errorCode;
  }

  /** The HTTP status, e.g. 404, or {@link #NO_RESPONSE}. */
  public int httpStatus() {
    return httpStatus;
  }

  /**
   * Whether trying again later may succeed: the registry was unreachable or answered with a server
   * error. Client errors (4xx) are never retriable.
   */
  public boolean isRetriable() {
    return httpStatus == NO_RESPONSE || httpStatus >= 500;
  }
}
