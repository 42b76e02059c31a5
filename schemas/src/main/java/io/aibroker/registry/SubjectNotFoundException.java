package io.aibroker.registry;

/** The subject does not exist (error code 40401). */
public class SubjectNotFoundException extends SchemaRegistryException {

  /** The Confluent error code of this failure. */
  public static final int ERROR_CODE = 40401;

  /** The HTTP status the registry answers with for this failure. */
  public static final int HTTP_STATUS = 404;

  private static final long serialVersionUID = 1L;

  /**
   * Creates the exception.
   *
   * @param message what failed, naming the subject, version or id and the server's message
   */
  public SubjectNotFoundException(String message) {
    super(message, HTTP_STATUS, ERROR_CODE);
  }
}
