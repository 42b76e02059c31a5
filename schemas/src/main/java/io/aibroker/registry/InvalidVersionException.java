package io.aibroker.registry;

/** The version is not a valid version number (error code 42202). */
public class InvalidVersionException extends SchemaRegistryException {

  /** The Confluent error code of this failure. */
  public static final int ERROR_CODE = 42202;

  /** The HTTP status the registry answers with for this failure. */
  public static final int HTTP_STATUS = 422;

  private static final long serialVersionUID = 1L;

  /**
   * Creates the exception.
   *
   * @param message what failed, naming the subject, version or id and the server's message
   */
  public InvalidVersionException(String message) {
    super(message, HTTP_STATUS, ERROR_CODE);
  }
}
