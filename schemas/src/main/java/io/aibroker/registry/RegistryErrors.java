package io.aibroker.registry;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;

/** Maps error answers of a Confluent-compatible registry to exceptions. */
final class RegistryErrors {

  private static final int MAX_BODY_IN_MESSAGE = 200;

  private RegistryErrors() {}

  /**
   * The exception for an error answer.
   *
   * @param what the attempted operation, naming subject or id, e.g. "Looking up schema id 7"
   * @param status the HTTP status
   * @param body the response body, ideally {@code {"error_code":40401,"message":"..."}}
   */
  static SchemaRegistryException fromResponse(
      ObjectMapper json, String what, int status, byte[] body) {
    int errorCode = status;
    String serverMessage = null;
    try {
      JsonNode node = json.readTree(body);
      if (node != null && node.isObject()) {
        errorCode = node.path("error_code").asInt(status);
        serverMessage = node.path("message").isTextual() ? node.get("message").asText() : null;
      }
    } catch (IOException e) {
      // Not JSON (a proxy's HTML page, say): the raw body is shown below instead.
    }
    if (serverMessage == null) {
      String raw = new String(body, StandardCharsets.UTF_8).strip();
      serverMessage =
          raw.isEmpty()
              ? "no error details in the response"
              : raw.length() > MAX_BODY_IN_MESSAGE
                  ? raw.substring(0, MAX_BODY_IN_MESSAGE) + "..."
                  : raw;
    }
    String message =
        what + " failed: " + serverMessage + " (error code " + errorCode + ", HTTP " + status + ")";
    return of(message, status, errorCode);
  }

  /** The exception class for a Confluent error code. */
  static SchemaRegistryException of(String message, int status, int errorCode) {
    return switch (errorCode) {
      case SubjectNotFoundException.ERROR_CODE -> new SubjectNotFoundException(message);
      case VersionNotFoundException.ERROR_CODE -> new VersionNotFoundException(message);
      case SchemaNotFoundException.ERROR_CODE -> new SchemaNotFoundException(message);
      case IncompatibleSchemaException.ERROR_CODE -> new IncompatibleSchemaException(message);
      case InvalidSchemaException.ERROR_CODE -> new InvalidSchemaException(message);
      case InvalidVersionException.ERROR_CODE -> new InvalidVersionException(message);
      case InvalidCompatibilityLevelException.ERROR_CODE ->
          new InvalidCompatibilityLevelException(message);
      default -> new SchemaRegistryException(message, status, errorCode);
    };
  }
}
