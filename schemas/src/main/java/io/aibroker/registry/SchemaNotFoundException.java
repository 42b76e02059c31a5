package io.aibroker.registry;

/**
 * No such schema: unknown id, or the schema is not registered under the subject (error code 40403).
 */
public class SchemaNotFoundException extends SchemaRegistryException {

  /** The Confluent error code of this failure. */
  public static final int ERROR_CODE = 40403;

  /** The HTTP status the registry answers with for this failure. */
  public static final int HTTP_STATUS = 404;

  private static final long serialVersionUID = 1L;

  /**
   * Creates the exception.
   *
   * @param message what failed, naming the subject, version or id and the server's message
   */
  public SchemaNotFoundException(String message) {
    super(message, HTTP_STATUS, ERROR_CODE);
  }
}
