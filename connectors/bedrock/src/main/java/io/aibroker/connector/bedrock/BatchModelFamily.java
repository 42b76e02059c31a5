package io.aibroker.connector.bedrock;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.aibroker.connector.CacheLifetime;
import io.aibroker.connector.ChatMessage;
import io.aibroker.connector.GenerationParams;
import io.aibroker.connector.InvalidRequestException;
import io.aibroker.connector.ProviderCall;
import io.aibroker.connector.ProviderResponse;
import io.aibroker.connector.ProviderServerException;
import io.aibroker.connector.Task;
import io.aibroker.connector.TokenUsage;
import java.util.Locale;

/**
 * The model families batch inference takes chat calls for, each with its native InvokeModel body
 * (batch jobs take no Converse requests) and its native reply: Anthropic Claude (Messages API),
 * Amazon Nova ({@code messages-v1}) and Meta Llama 3 (a formatted prompt).
 */
enum BatchModelFamily {

  /** Anthropic Claude: the Messages API body with Bedrock's {@code anthropic_version}. */
  ANTHROPIC {
    @Override
    ObjectNode input(ProviderCall call) {
      ObjectNode body = JSON.objectNode();
      body.put("anthropic_version", ANTHROPIC_VERSION);
      GenerationParams params = call.params();
      // Required by the Messages API; Converse lets Bedrock pick, here the caller's or ours.
      body.put("max_tokens", params.maxTokens() != null ? params.maxTokens() : DEFAULT_MAX_TOKENS);
      ArrayNode system = JSON.arrayNode();
      ArrayNode messages = body.putArray("messages");
      for (ChatMessage message : call.messages()) {
        switch (role(message)) {
          case ChatMessage.SYSTEM -> system.add(anthropicText(message));
          case ChatMessage.USER, ChatMessage.ASSISTANT -> {
            ObjectNode turn = messages.addObject().put("role", role(message));
            turn.putArray("content").add(anthropicText(message));
          }
          default -> throw unsupportedRole(message);
        }
      }
      if (!system.isEmpty()) {
        body.set("system", system);
      }
      if (params.temperature() != null) {
        body.put("temperature", params.temperature());
      }
      if (params.topP() != null) {
        body.put("top_p", params.topP());
      }
      if (!params.stop().isEmpty()) {
        ArrayNode stop = body.putArray("stop_sequences");
        params.stop().forEach(stop::add);
      }
      return body;
    }

    /**
     * Reads a Messages reply. Like Converse, {@code input_tokens} is only the uncached rest: the
     * input is the sum with the cache reads and writes.
     */
    @Override
    ProviderResponse output(JsonNode output) {
      JsonNode usage = output.path("usage");
      if (!usage.isObject()) {
        throw new ProviderServerException(
            BedrockErrorMapper.PROVIDER, "batch line output has no usage");
      }
      StringBuilder text = new StringBuilder();
      for (JsonNode block : output.path("content")) {
        // Thinking and tool-use blocks are not part of the reply text.
        if ("text".equals(block.path("type").asText("text")) && block.has("text")) {
          text.append(block.path("text").asText());
        }
      }
      long read = count(usage.path("cache_read_input_tokens"));
      long write = count(usage.path("cache_creation_input_tokens"));
      long written1h = count(usage.path("cache_creation").path("ephemeral_1h_input_tokens"));
      TokenUsage tokens =
          new TokenUsage(
              count(usage.path("input_tokens")) + read + write,
              count(usage.path("output_tokens")),
              read,
              write,
              Math.min(written1h, write),
              0);
      return ProviderResponse.ofText(
          text.toString(),
          ConverseMapping.finishReason(output.path("stop_reason").asText(null)),
          tokens);
    }
  },

  /** Amazon Nova: the {@code messages-v1} body, much like Converse. */
  NOVA {
    @Override
    ObjectNode input(ProviderCall call) {
      ObjectNode body = JSON.objectNode();
      body.put("schemaVersion", "messages-v1");
      ArrayNode system = JSON.arrayNode();
      ArrayNode messages = body.putArray("messages");
      for (ChatMessage message : call.messages()) {
        switch (role(message)) {
          case ChatMessage.SYSTEM -> system.addObject().put("text", message.content());
          case ChatMessage.USER, ChatMessage.ASSISTANT -> {
            ObjectNode turn = messages.addObject().put("role", role(message));
            turn.putArray("content").addObject().put("text", message.content());
          }
          default -> throw unsupportedRole(message);
        }
      }
      if (!system.isEmpty()) {
        body.set("system", system);
      }
      GenerationParams params = call.params();
      ObjectNode inference = JSON.objectNode();
      if (params.maxTokens() != null) {
        inference.put("maxTokens", params.maxTokens());
      }
      if (params.temperature() != null) {
        inference.put("temperature", params.temperature());
      }
      if (params.topP() != null) {
        inference.put("topP", params.topP());
      }
      if (!params.stop().isEmpty()) {
        ArrayNode stop = inference.putArray("stopSequences");
        params.stop().forEach(stop::add);
      }
      if (!inference.isEmpty()) {
        body.set("inferenceConfig", inference);
      }
      return body;
    }

    @Override
    ProviderResponse output(JsonNode output) {
      JsonNode usage = output.path("usage");
      if (!usage.isObject()) {
        throw new ProviderServerException(
            BedrockErrorMapper.PROVIDER, "batch line output has no usage");
      }
      StringBuilder text = new StringBuilder();
      for (JsonNode block : output.path("output").path("message").path("content")) {
        if (block.has("text")) {
          text.append(block.path("text").asText());
        }
      }
      long read = count(usage.path("cacheReadInputTokenCount"));
      long write = count(usage.path("cacheWriteInputTokenCount"));
      TokenUsage tokens =
          new TokenUsage(
              count(usage.path("inputTokens")) + read + write,
              count(usage.path("outputTokens")),
              read,
              write,
              0,
              0);
      return ProviderResponse.ofText(
          text.toString(),
          ConverseMapping.finishReason(output.path("stopReason").asText(null)),
          tokens);
    }
  },

  /** Meta Llama 3 and later: one prompt in Llama 3's chat template. */
  LLAMA3 {
    @Override
    ObjectNode input(ProviderCall call) {
      StringBuilder prompt = new StringBuilder("<|begin_of_text|>");
      for (ChatMessage message : call.messages()) {
        String role = role(message);
        if (!role.equals(ChatMessage.SYSTEM)
            && !role.equals(ChatMessage.USER)
            && !role.equals(ChatMessage.ASSISTANT)) {
          throw unsupportedRole(message);
        }
        prompt
            .append("<|start_header_id|>")
            .append(role)
            .append("<|end_header_id|>\n\n")
            .append(message.content())
            .append("<|eot_id|>");
      }
      prompt.append("<|start_header_id|>assistant<|end_header_id|>\n\n");
      ObjectNode body = JSON.objectNode();
      body.put("prompt", prompt.toString());
      GenerationParams params = call.params();
      if (params.maxTokens() != null) {
        body.put("max_gen_len", params.maxTokens());
      }
      if (params.temperature() != null) {
        body.put("temperature", params.temperature());
      }
      if (params.topP() != null) {
        body.put("top_p", params.topP());
      }
      if (!params.stop().isEmpty()) {
        throw new InvalidRequestException(
            BedrockErrorMapper.PROVIDER, "Llama batch inference takes no stop sequences");
      }
      return body;
    }

    @Override
    ProviderResponse output(JsonNode output) {
      if (!output.has("prompt_token_count") || !output.has("generation_token_count")) {
        throw new ProviderServerException(
            BedrockErrorMapper.PROVIDER, "batch line output has no token counts");
      }
      String stop = output.path("stop_reason").asText(null);
      return ProviderResponse.ofText(
          output.path("generation").asText(""),
          "length".equals(stop)
              ? ProviderResponse.FINISH_LENGTH
              : ConverseMapping.finishReason(stop),
          new TokenUsage(
              count(output.path("prompt_token_count")),
              count(output.path("generation_token_count"))));
    }
  };

  /** The Messages API version Bedrock takes in Anthropic bodies. */
  static final String ANTHROPIC_VERSION = "bedrock-2023-05-31";

  /** {@code max_tokens} of an Anthropic body when the call sets none. */
  static final int DEFAULT_MAX_TOKENS = 4096;

  private static final JsonNodeFactory JSON = JsonNodeFactory.instance;

  /** The native InvokeModel body of a chat call. */
  abstract ObjectNode input(ProviderCall call);

  /**
   * The reply in a line's {@code modelOutput}.
   *
   * @throws ProviderServerException if it lacks what is needed to bill it
   */
  abstract ProviderResponse output(JsonNode output);

  /**
   * The family of a model id, inference profile id ({@code us.anthropic...}) or ARN naming one.
   *
   * @throws InvalidRequestException for a family batch inference is not built for here
   */
  static BatchModelFamily of(String modelId) {
    String id = modelId.toLowerCase(Locale.ROOT);
    if (id.contains("anthropic.claude")) {
      return ANTHROPIC;
    }
    if (id.contains("amazon.nova")) {
      return NOVA;
    }
    if (id.contains("meta.llama3") || id.contains("meta.llama4")) {
      return LLAMA3;
    }
    throw new InvalidRequestException(
        BedrockErrorMapper.PROVIDER,
        "Bedrock batch inference is supported for Anthropic Claude, Amazon Nova and Meta Llama 3"
            + " models, not '"
            + modelId
            + "'");
  }

  /** Checks that {@code call} is a chat call this family can take. */
  static void requireChat(ProviderCall call) {
    if (call.task() != Task.CHAT) {
      throw new InvalidRequestException(
          BedrockErrorMapper.PROVIDER,
          "Bedrock batch inference takes chat calls only, not " + call.task());
    }
  }

  private static String role(ChatMessage message) {
    return message.role().toLowerCase(Locale.ROOT);
  }

  private static InvalidRequestException unsupportedRole(ChatMessage message) {
    return new InvalidRequestException(
        BedrockErrorMapper.PROVIDER,
        "Bedrock takes system, user and assistant messages, not '" + message.role() + "'");
  }

  /** A text block, with the cache point the message asks for (Anthropic's cache_control). */
  private static ObjectNode anthropicText(ChatMessage message) {
    ObjectNode block = JSON.objectNode().put("type", "text").put("text", message.content());
    if (message.cachePoint() != null) {
      ObjectNode control = block.putObject("cache_control").put("type", "ephemeral");
      if (message.cachePoint() == CacheLifetime.ONE_HOUR) {
        control.put("ttl", "1h");
      }
    }
    return block;
  }

  private static long count(JsonNode tokens) {
    return tokens.canConvertToLong() && tokens.asLong() > 0 ? tokens.asLong() : 0;
  }
}
