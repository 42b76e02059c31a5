package io.aibroker.connector.workersai;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.aibroker.connector.ChatMessage;
import io.aibroker.connector.GenerationParams;
import io.aibroker.connector.ProviderCall;
import io.aibroker.connector.ProviderResponse;
import io.aibroker.connector.TokenUsage;
import java.util.ArrayList;
import java.util.List;

/**
 * Workers AI's native JSON: request bodies for {@code /ai/run/{model}} and the fields read from its
 * replies. Throws {@link Malformed} for replies not in the expected shape; its message never holds
 * reply text, which is tenant data.
 */
final class WorkersAiJson {

  private static final ObjectMapper JSON = new ObjectMapper();

  private WorkersAiJson() {}

  /** A reply that is not what Workers AI promises. */
  static final class Malformed extends Exception {
    Malformed(String what) {
      super(what, null, false, false);
    }
  }

  /**
   * {@code {"messages":[...],"max_tokens":..,"temperature":..,"top_p":..,"stream":..}}. Stop
   * sequences are left out: the native endpoint has no such parameter.
   */
  static byte[] chatBody(ProviderCall call, boolean stream) {
    ObjectNode body = chatNode(call);
    body.put("stream", stream);
    return bytes(body);
  }

  /**
   * The native run body of a chat call without the {@code stream} flag: {@code
   * {"messages":[...],"max_tokens":..,"temperature":..,"top_p":..}}, also one line of a batch job.
   */
  static ObjectNode chatNode(ProviderCall call) {
    ObjectNode body = JSON.createObjectNode();
    ArrayNode messages = body.putArray("messages");
    for (ChatMessage message : call.messages()) {
      messages.addObject().put("role", message.role()).put("content", message.content());
    }
    GenerationParams params = call.params();
    if (params.maxTokens() != null) {
      body.put("max_tokens", params.maxTokens());
    }
    if (params.temperature() != null) {
      body.put("temperature", params.temperature());
    }
    if (params.topP() != null) {
      body.put("top_p", params.topP());
    }
    return body;
  }

  /** {@code {"text":["a","b"]}}. */
  static byte[] embedBody(ProviderCall call) {
    return bytes(embedNode(call));
  }

  /** The native run body of an embedding call, also one line of a batch job. */
  static ObjectNode embedNode(ProviderCall call) {
    ObjectNode body = JSON.createObjectNode();
    ArrayNode text = body.putArray("text");
    call.inputs().forEach(text::add);
    return body;
  }

  /** A new empty JSON object. */
  static ObjectNode object() {
    return JSON.createObjectNode();
  }

  /** Parses a whole body. */
  static JsonNode parse(String body) throws Malformed {
    try {
      JsonNode node = JSON.readTree(body);
      if (node == null || !node.isObject()) {
        throw new Malformed("body is not a JSON object");
      }
      return node;
    } catch (JsonProcessingException e) {
      // The parser's message may quote the body; say only where it broke.
      throw new Malformed(
          "body is not valid JSON (at line "
              + e.getLocation().getLineNr()
              + ", column "
              + e.getLocation().getColumnNr()
              + ")");
    }
  }

  /** Whether a parsed body is Cloudflare's error envelope ({@code "success": false} or errors). */
  static boolean isError(JsonNode body) {
    JsonNode errors = body.path("errors");
    return (body.path("success").isBoolean() && !body.path("success").asBoolean())
        || (errors.isArray() && !errors.isEmpty());
  }

  /**
   * {@code {"result":{"response":"...","usage":{...}},"success":true}} to a chat response.
   *
   * @param maxTokens the call's output cap, to tell a cut reply from a finished one when the model
   *     names no finish reason; {@code null} if the call set none
   */
  static ProviderResponse chatResponse(JsonNode body, Integer maxTokens) throws Malformed {
    JsonNode result = body.path("result");
    if (!result.isObject()) {
      throw new Malformed("no \"result\" object");
    }
    String text = text(result);
    if (text == null) {
      throw new Malformed("\"result\" has no \"response\"");
    }
    TokenUsage usage = usage(result.path("usage"));
    if (usage == null) {
      usage = TokenUsage.ZERO;
    }
    return ProviderResponse.ofText(
        text, finishReason(finishReason(result), usage, maxTokens), usage);
  }

  /**
   * The finish reason of a whole reply: the one the model reported, else (native replies name none)
   * {@code length} when the reply used up the call's {@code max_tokens} and {@code stop} otherwise,
   * so that every Workers AI result says why it ended, as the other providers' do.
   */
  static String finishReason(String reported, TokenUsage usage, Integer maxTokens) {
    if (reported != null) {
      return reported;
    }
    return maxTokens != null && usage.outputTokens() >= maxTokens
        ? ProviderResponse.FINISH_LENGTH
        : ProviderResponse.FINISH_STOP;
  }

  /**
   * {@code {"result":{"shape":[n,d],"data":[[...],...]}}} to an embedding response, one vector per
   * input. Usage is what Workers AI reports or, as it often reports none for embeddings, an
   * estimate of {@link #estimateTokens}.
   */
  static ProviderResponse embedResponse(JsonNode body, List<String> inputs) throws Malformed {
    return embedResponse(body, inputs.size(), estimateTokens(inputs));
  }

  /**
   * {@link #embedResponse(JsonNode, List)} with the inputs known only by their number and estimated
   * tokens (a batch line, whose inputs are not kept).
   */
  static ProviderResponse embedResponse(JsonNode body, int inputCount, long estimatedTokens)
      throws Malformed {
    JsonNode result = body.path("result");
    JsonNode data = result.path("data");
    if (!data.isArray()) {
      throw new Malformed("\"result\" has no \"data\" array");
    }
    if (data.size() != inputCount) {
      throw new Malformed(data.size() + " vectors for " + inputCount + " inputs");
    }
    List<List<Float>> vectors = new ArrayList<>(data.size());
    for (JsonNode row : data) {
      if (!row.isArray()) {
        throw new Malformed("a vector is not an array");
      }
      List<Float> vector = new ArrayList<>(row.size());
      for (JsonNode value : row) {
        if (!value.isNumber()) {
          throw new Malformed("a vector holds a non-number");
        }
        vector.add(value.floatValue());
      }
      vectors.add(vector);
    }
    TokenUsage usage = usage(result.path("usage"));
    if (usage == null) {
      usage = usage(body.path("usage"));
    }
    return ProviderResponse.ofEmbeddings(
        vectors, usage == null ? new TokenUsage(estimatedTokens, 0) : usage);
  }

  /**
   * Roughly one token per four characters, at least one per non-empty input: the usual rule of
   * thumb for English with BPE tokenizers, used only when Workers AI reports no usage.
   */
  static long estimateTokens(List<String> inputs) {
    long tokens = 0;
    for (String input : inputs) {
      if (!input.isEmpty()) {
        tokens += Math.max(1, (input.length() + 3) / 4);
      }
    }
    return tokens;
  }

  /**
   * The text of a reply or stream event: {@code response} (native), or {@code
   * choices[0].message.content} / {@code choices[0].delta.content} (models that answer OpenAI-style
   * on the native endpoint). {@code null} if there is none.
   */
  static String text(JsonNode node) {
    JsonNode response = node.get("response");
    if (response != null && !response.isNull()) {
      // JSON-mode replies come as objects; hand them on as JSON text.
      return response.isTextual() ? response.asText() : response.toString();
    }
    JsonNode choice = node.path("choices").path(0);
    for (String field : List.of("message", "delta")) {
      JsonNode content = choice.path(field).path("content");
      if (content.isTextual()) {
        return content.asText();
      }
    }
    return null;
  }

  /**
   * {@code {"prompt_tokens":..,"completion_tokens":..}}, or {@code null} if absent. Models that
   * answer in OpenAI's shape may add {@code prompt_tokens_details.cached_tokens} (prefix-cache
   * hits, part of {@code prompt_tokens}) and {@code completion_tokens_details.reasoning_tokens}
   * (part of {@code completion_tokens}); Workers AI has no cache writes to report.
   */
  static TokenUsage usage(JsonNode usage) throws Malformed {
    if (!usage.isObject()) {
      return null;
    }
    long input = usage.path("prompt_tokens").asLong(0);
    long output = usage.path("completion_tokens").asLong(0);
    long cached = usage.path("prompt_tokens_details").path("cached_tokens").asLong(0);
    long reasoning = usage.path("completion_tokens_details").path("reasoning_tokens").asLong(0);
    if (input < 0 || output < 0 || cached < 0 || reasoning < 0) {
      throw new Malformed("negative token counts");
    }
    if (cached > input || reasoning > output) {
      throw new Malformed("token details exceed their totals");
    }
    return new TokenUsage(input, output).withCache(cached, 0, 0).withReasoning(reasoning);
  }

  /** The finish reason, if the model reports one, normalised to the common values. */
  static String finishReason(JsonNode node) {
    JsonNode reason = node.path("finish_reason");
    if (!reason.isTextual()) {
      reason = node.path("choices").path(0).path("finish_reason");
    }
    if (!reason.isTextual()) {
      return null;
    }
    return switch (reason.asText()) {
      case "stop", "eos", "end_turn" -> ProviderResponse.FINISH_STOP;
      case "length", "max_tokens" -> ProviderResponse.FINISH_LENGTH;
      default -> reason.asText();
    };
  }

  /** Serialises a JSON tree. */
  static byte[] bytes(JsonNode body) {
    try {
      return JSON.writeValueAsBytes(body);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot serialise a JSON tree", e);
    }
  }
}
