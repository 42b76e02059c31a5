package io.aibroker.registry;

/** The subject has no such version (error code 40402). */
public class VersionNotFoundException extends SchemaRegistryException {

  /** The Confluent error code of this failure. */
  public static final int ERROR_CODE = 40402;

  /** The HTTP status the registry answers with for this failure. */
  public static final int HTTP_STATUS = 404;

  private static final long serialVersionUID = 1L;

  /**
   * Creates the exception.
   *
   * @param message what failed, naming the subject, version or id and the server's message
   */
  public VersionNotFoundException(String message) {
    super(message, HTTP_STATUS, ERROR_CODE);
  }
}
