package io.aibroker.registry;

/**
 * No schema registry URL could be reached (connection refused, timeout, I/O error) after all
 * attempts. Always {@linkplain #isRetriable() retriable}.
 */
public class SchemaRegistryUnavailableException extends SchemaRegistryException {

  private static final long serialVersionUID = 1L;

  /**
   * Creates the exception.
   *
   * @param message what was attempted and against which URLs (without credentials)
   * @param cause the last transport failure
   */
  public SchemaRegistryUnavailableException(String message, Throwable cause) {
    super(message, NO_RESPONSE, NO_RESPONSE, cause);
  }
}
