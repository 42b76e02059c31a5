package io.aibroker.registry;

/**
 * The schema is incompatible with the subject's earlier schemas under its compatibility level
 * (error code 409).
 */
public class IncompatibleSchemaException extends SchemaRegistryException {

  /** The Confluent error code of this failure. */
  public static final int ERROR_CODE = 409;

  /** The HTTP status the registry answers with for this failure. */
  public static final int HTTP_STATUS = 409;

  private static final long serialVersionUID = 1L;

  /**
   * Creates the exception.
   *
   * @param message what failed, naming the subject, version or id and the server's message
   */
  public IncompatibleSchemaException(String message) {
    super(message, HTTP_STATUS, ERROR_CODE);
  }
}
