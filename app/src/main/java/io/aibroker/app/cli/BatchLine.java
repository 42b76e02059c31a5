package io.aibroker.app.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.aibroker.records.ChatMessage;
import io.aibroker.records.GenerationParams;
import io.aibroker.records.InferenceRequest;
import io.aibroker.records.Task;
import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * One line of an OpenAI Batch input file ({@code {"custom_id", "method", "url", "body"}}) read as
 * an {@link InferenceRequest}, or the reason it cannot be.
 *
 * @param customId the line's custom_id (null if the line has none)
 * @param request the request, or null when the line is invalid
 * @param error why the line is invalid, or null
 */
public record BatchLine(String customId, InferenceRequest request, String error) {

  /** The chat endpoint of the Batch API. */
  public static final String CHAT_URL = "/v1/chat/completions";

  /** The embeddings endpoint of the Batch API. */
  public static final String EMBEDDINGS_URL = "/v1/embeddings";

  private static final ObjectMapper JSON = new ObjectMapper();

  /** Whether the line became a request. */
  public boolean valid() {
    return request != null;
  }

  /**
   * A fresh request id for each run. A rerun of a file is recognised by the broker through the
   * idempotency key (the custom_id, scoped to the tenant): it answers with the first run's output
   * and bills nothing again.
   */
  public static String newRequestId() {
    return "batch-" + UUID.randomUUID();
  }

  /** Reads one line for a tenant. */
  public static BatchLine parse(String line, String tenant, Instant now) {
    JsonNode node;
    try {
      node = JSON.readTree(line);
    } catch (IOException e) {
      return new BatchLine(
          null, null, "the line is not JSON: " + TailCommand.oneLine(e.getMessage()));
    }
    if (node == null || !node.isObject()) {
      return new BatchLine(null, null, "the line is not a JSON object");
    }
    JsonNode id = node.get("custom_id");
    if (id == null || !id.isTextual() || id.asText().isEmpty()) {
      return new BatchLine(null, null, "custom_id is required (a non-empty string)");
    }
    String customId = id.asText();
    try {
      return new BatchLine(customId, request(node, tenant, customId, now), null);
    } catch (IllegalArgumentException e) {
      return new BatchLine(customId, null, e.getMessage());
    }
  }

  private static InferenceRequest request(
      JsonNode node, String tenant, String customId, Instant now) {
    String method = text(node, "method");
    if (method != null && !method.equalsIgnoreCase("POST")) {
      throw new IllegalArgumentException("method must be POST, was " + method);
    }
    String url = text(node, "url");
    if (url == null) {
      throw new IllegalArgumentException("url is required");
    }
    JsonNode body = node.get("body");
    if (body == null || !body.isObject()) {
      throw new IllegalArgumentException("body is required (an object)");
    }
    String model = text(body, "model");
    if (model == null || model.isEmpty()) {
      throw new IllegalArgumentException("body.model is required");
    }
    var builder =
        InferenceRequest.newBuilder()
            .setRequestId(newRequestId())
            .setTenantId(tenant)
            .setIdempotencyKey(customId)
            .setModel(model)
            .setUserId(text(body, "user"))
            .setCreatedAt(now);
    switch (url) {
      case CHAT_URL -> builder.setTask(Task.CHAT).setMessages(messages(body.get("messages")));
      case EMBEDDINGS_URL -> builder.setTask(Task.EMBED).setInputs(inputs(body.get("input")));
      default ->
          throw new IllegalArgumentException(
              "url must be " + CHAT_URL + " or " + EMBEDDINGS_URL + ", was " + url);
    }
    GenerationParams params = params(body);
    if (params != null) {
      builder.setParams(params);
    }
    return builder.build();
  }

  private static List<ChatMessage> messages(JsonNode messages) {
    if (messages == null || !messages.isArray() || messages.isEmpty()) {
      throw new IllegalArgumentException("body.messages is required (a non-empty array)");
    }
    List<ChatMessage> list = new ArrayList<>();
    for (JsonNode message : messages) {
      String role = text(message, "role");
      if (role == null) {
        throw new IllegalArgumentException("every message needs a role");
      }
      list.add(new ChatMessage(role, content(message.get("content")), null));
    }
    return list;
  }

  private static String content(JsonNode content) {
    if (content == null || content.isNull()) {
      return "";
    }
    if (content.isTextual()) {
      return content.asText();
    }
    if (content.isArray()) {
      StringBuilder text = new StringBuilder();
      for (JsonNode part : content) {
        if (!"text".equals(text(part, "type")) || text(part, "text") == null) {
          throw new IllegalArgumentException("only text content parts are supported");
        }
        text.append(text(part, "text"));
      }
      return text.toString();
    }
    throw new IllegalArgumentException("message content must be a string or an array of parts");
  }

  private static List<String> inputs(JsonNode input) {
    if (input != null && input.isTextual()) {
      return List.of(input.asText());
    }
    if (input != null && input.isArray() && !input.isEmpty()) {
      List<String> list = new ArrayList<>();
      for (JsonNode item : input) {
        if (!item.isTextual()) {
          throw new IllegalArgumentException("body.input must be a string or an array of strings");
        }
        list.add(item.asText());
      }
      return list;
    }
    throw new IllegalArgumentException("body.input is required (a string or array of strings)");
  }

  private static GenerationParams params(JsonNode body) {
    JsonNode maxTokens =
        body.has("max_tokens") ? body.get("max_tokens") : body.get("max_completion_tokens");
    JsonNode temperature = body.get("temperature");
    JsonNode topP = body.get("top_p");
    JsonNode stop = body.get("stop");
    if (absent(maxTokens) && absent(temperature) && absent(topP) && absent(stop)) {
      return null;
    }
    var params = GenerationParams.newBuilder();
    if (!absent(maxTokens)) {
      if (!maxTokens.canConvertToInt() || !maxTokens.isIntegralNumber() || maxTokens.asInt() < 1) {
        throw new IllegalArgumentException("max_tokens must be a positive integer");
      }
      params.setMaxTokens(maxTokens.asInt());
    }
    if (!absent(temperature)) {
      if (!temperature.isNumber()) {
        throw new IllegalArgumentException("temperature must be a number");
      }
      params.setTemperature(temperature.asDouble());
    }
    if (!absent(topP)) {
      if (!topP.isNumber()) {
        throw new IllegalArgumentException("top_p must be a number");
      }
      params.setTopP(topP.asDouble());
    }
    List<String> stops = new ArrayList<>();
    if (!absent(stop)) {
      if (stop.isTextual()) {
        stops.add(stop.asText());
      } else if (stop.isArray()) {
        stop.forEach(s -> stops.add(s.asText()));
      } else {
        throw new IllegalArgumentException("stop must be a string or an array of strings");
      }
    }
    params.setStop(stops);
    return params.build();
  }

  private static boolean absent(JsonNode node) {
    return node == null || node.isNull();
  }

  private static String text(JsonNode node, String field) {
    JsonNode value = node == null ? null : node.get(field);
    return value == null || !value.isTextual() ? null : value.asText();
  }
}
