package io.aibroker.connector.azureopenai;

import com.azure.core.util.BinaryData;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The useful part of an Azure OpenAI error body, {@code {"error":{"code":"429","message":"...",
 * "innererror":{"code":"ResponsibleAIPolicyViolation"}}}}; gateway errors come as {@code
 * {"statusCode":401,"message":"..."}}.
 *
 * @param code the error code ({@code 429}, {@code content_filter}, {@code DeploymentNotFound}), or
 *     {@code null}
 * @param innerCode the inner error's code, or {@code null}
 * @param message the provider's message, or {@code null}
 */
record AzureErrorBody(String code, String innerCode, String message) {

  /** Nothing known. */
  static final AzureErrorBody EMPTY = new AzureErrorBody(null, null, null);

  /** Azure's code for a prompt or reply its content filter blocked. */
  static final String CONTENT_FILTER = "content_filter";

  /** The inner code Azure adds to content-filter errors. */
  static final String RESPONSIBLE_AI_POLICY_VIOLATION = "ResponsibleAIPolicyViolation";

  private static final JsonMapper JSON = JsonMapper.builder().build();

  // HttpResponseException messages read: Status code 400, "<body>"
  private static final Pattern QUOTED_BODY =
      Pattern.compile("^Status code \\d+, \"(.*)\"$", Pattern.DOTALL);

  /** Whether Azure's content filter caused the error. */
  boolean contentFiltered() {
    return CONTENT_FILTER.equalsIgnoreCase(code)
        || RESPONSIBLE_AI_POLICY_VIOLATION.equalsIgnoreCase(innerCode);
  }

  /**
   * Reads the body from what the SDK attached to an {@code HttpResponseException}: its decoded
   * value (a map, {@link BinaryData}, string or bytes, depending on the SDK path) or, failing that,
   * the body the SDK quoted into its message.
   */
  static AzureErrorBody from(Object value, String exceptionMessage) {
    AzureErrorBody fromValue = fromValue(value);
    if (fromValue != EMPTY) {
      return fromValue;
    }
    if (exceptionMessage != null) {
      Matcher quoted = QUOTED_BODY.matcher(exceptionMessage.trim());
      if (quoted.matches()) {
        return parse(quoted.group(1));
      }
    }
    return EMPTY;
  }

  /** Parses a JSON error body; anything unreadable gives {@link #EMPTY}. */
  static AzureErrorBody parse(String json) {
    if (json == null || json.isBlank()) {
      return EMPTY;
    }
    try {
      return of(JSON.readTree(json));
    } catch (Exception notJson) {
      // Proxies answer with HTML or plain text; the status code alone has to do then.
      return EMPTY;
    }
  }

  private static AzureErrorBody fromValue(Object value) {
    try {
      if (value instanceof Map<?, ?> || value instanceof Iterable<?>) {
        return of(JSON.valueToTree(value));
      }
      if (value instanceof BinaryData data) {
        return parse(data.toString());
      }
      if (value instanceof byte[] bytes) {
        return parse(new String(bytes, StandardCharsets.UTF_8));
      }
      if (value instanceof CharSequence text) {
        return parse(text.toString());
      }
    } catch (RuntimeException unreadable) {
      return EMPTY;
    }
    return EMPTY;
  }

  private static AzureErrorBody of(JsonNode root) {
    if (root == null || !root.isObject()) {
      return EMPTY;
    }
    JsonNode error = root.path("error").isObject() ? root.path("error") : root;
    String code = text(error.get("code"));
    if (code == null) {
      code = text(error.get("statusCode"));
    }
    JsonNode inner = error.path("innererror").isObject() ? error.path("innererror") : null;
    String innerCode = inner == null ? null : text(inner.get("code"));
    String message = text(error.get("message"));
    if (code == null && innerCode == null && message == null) {
      return EMPTY;
    }
    return new AzureErrorBody(code, innerCode, message);
  }

  private static String text(JsonNode node) {
    if (node == null || node.isNull() || node.isContainerNode()) {
      return null;
    }
    String text = node.asText().trim();
    return text.isEmpty() ? null : text;
  }

  /** Leaves the message out: providers sometimes echo what they were sent. */
  @Override
  public String toString() {
    return "AzureErrorBody[code=" + code + ", innerCode=" + innerCode + "]";
  }
}
