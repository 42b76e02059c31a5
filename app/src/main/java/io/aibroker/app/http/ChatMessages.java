package io.aibroker.app.http;

import com.fasterxml.jackson.databind.JsonNode;
import io.aibroker.records.CacheLifetime;
import io.aibroker.records.ChatMessage;
import java.util.ArrayList;
import java.util.List;

/**
 * The {@code messages} of a chat completion request as aibroker's chat messages: role, text (a
 * string, or the text parts of an array of content parts) and a provider cache point.
 *
 * <p>A cache point is asked for the way Anthropic-compatible OpenAI clients ask for it: {@code
 * "cache_control": {"type": "ephemeral"}}, with an optional {@code "ttl"} of {@code "5m"} (the
 * default) or {@code "1h"}, on the message itself or on its last content part. aibroker joins a
 * message's text parts into one text, so a cache point can only follow a whole message: one on an
 * earlier part is refused rather than silently moved, since it would change what is cached and
 * billed.
 */
final class ChatMessages {

  /** A request whose messages cannot be read, naming the parameter at fault. */
  static final class Invalid extends Exception {
    private final String param;

    Invalid(String param, String message) {
      super(message, null, false, false);
      this.param = param;
    }

    /** The parameter at fault, OpenAI-style ({@code messages[2].cache_control.ttl}). */
    String param() {
      return param;
    }
  }

  private ChatMessages() {}

  /** The request's messages, in order. */
  static List<ChatMessage> of(JsonNode messages) throws Invalid {
    List<ChatMessage> result = new ArrayList<>();
    int index = 0;
    for (JsonNode message : messages) {
      String param = "messages[" + index + "]";
      result.add(
          new ChatMessage(
              message.path("role").asText(""),
              text(message.path("content")),
              cachePoint(message, param)));
      index++;
    }
    return result;
  }

  /** A message's content: a string, or the text parts of an array of content parts. */
  private static String text(JsonNode content) {
    if (!content.isArray()) {
      return content.asText("");
    }
    StringBuilder text = new StringBuilder();
    for (JsonNode part : content) {
      if (part.path("type").asText("text").equals("text")) {
        text.append(part.path("text").asText(""));
      }
    }
    return text.toString();
  }

  /** The cache point a message asks for, on itself or its last content part; null for none. */
  private static CacheLifetime cachePoint(JsonNode message, String param) throws Invalid {
    CacheLifetime onMessage = lifetime(message.get("cache_control"), param + ".cache_control");
    CacheLifetime onPart = null;
    JsonNode content = message.path("content");
    if (content.isArray()) {
      for (int i = 0; i < content.size(); i++) {
        String partParam = param + ".content[" + i + "].cache_control";
        CacheLifetime lifetime = lifetime(content.get(i).get("cache_control"), partParam);
        if (lifetime != null && i < content.size() - 1) {
          throw new Invalid(
              partParam,
              "cache_control is supported on a message or on its last content part only: the"
                  + " cache point follows the whole message");
        }
        onPart = lifetime;
      }
    }
    if (onMessage != null && onPart != null && onMessage != onPart) {
      throw new Invalid(
          param + ".cache_control",
          "the message and its last content part ask for different cache_control ttls");
    }
    return onMessage != null ? onMessage : onPart;
  }

  /** A {@code cache_control} object's lifetime; null when absent. */
  private static CacheLifetime lifetime(JsonNode control, String param) throws Invalid {
    if (control == null || control.isNull()) {
      return null;
    }
    if (!control.isObject()) {
      throw new Invalid(param, "cache_control must be an object such as {\"type\": \"ephemeral\"}");
    }
    JsonNode type = control.get("type");
    if (type == null || !type.isTextual() || !type.asText().equals("ephemeral")) {
      throw new Invalid(param + ".type", "cache_control.type must be \"ephemeral\"");
    }
    JsonNode ttl = control.get("ttl");
    if (ttl == null || ttl.isNull()) {
      return CacheLifetime.FIVE_MINUTES;
    }
    return switch (ttl.isTextual() ? ttl.asText() : "") {
      case "5m" -> CacheLifetime.FIVE_MINUTES;
      case "1h" -> CacheLifetime.ONE_HOUR;
      default -> throw new Invalid(param + ".ttl", "cache_control.ttl must be \"5m\" or \"1h\"");
    };
  }
}
