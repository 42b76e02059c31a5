package io.aibroker.app.http;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.aibroker.records.InferenceResult;
import io.aibroker.records.TokenUsage;

/**
 * OpenAI's JSON shapes of a chat completion: the whole {@code chat.completion} object, and the
 * {@code chat.completion.chunk} objects of a stream: the first carries {@code delta.role}, the next
 * ones {@code delta.content} pieces, the last one {@code finish_reason}; usage comes with the last
 * one, or in an extra chunk with empty {@code choices} as OpenAI sends it for {@code
 * stream_options.include_usage}.
 *
 * @param id the completion id, the same on every chunk of a stream
 * @param model the model the client asked for
 * @param created creation time, epoch seconds
 */
record ChatCompletionJson(String id, String model, long created) {

  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

  /** The id of the completion answering a request. */
  static String idOf(String requestId) {
    return "chatcmpl-" + requestId;
  }

  /** The non-streamed answer. */
  ObjectNode completion(InferenceResult result) {
    ObjectNode response = header("chat.completion");
    ObjectNode choice = response.putArray("choices").addObject();
    choice.put("index", 0);
    choice
        .putObject("message")
        .put("role", "assistant")
        .put("content", result.getOutput().getText())
        .putNull("refusal");
    choice.putNull("logprobs");
    choice.put("finish_reason", result.getOutput().getFinishReason());
    response.set("usage", usage(result));
    return response;
  }

  /** The first chunk: the assistant role, no content yet. */
  ObjectNode roleChunk() {
    ObjectNode chunk = header("chat.completion.chunk");
    choice(chunk).putObject("delta").put("role", "assistant").put("content", "");
    return chunk;
  }

  /** A chunk with the next piece of text. */
  ObjectNode contentChunk(String text) {
    ObjectNode chunk = header("chat.completion.chunk");
    choice(chunk).putObject("delta").put("content", text);
    return chunk;
  }

  /**
   * The chunk that ends the choice, with the result's finish reason, and its usage unless a usage
   * chunk follows.
   */
  ObjectNode finishChunk(InferenceResult result, boolean withUsage) {
    ObjectNode chunk = header("chat.completion.chunk");
    ObjectNode choice = choice(chunk);
    choice.putObject("delta");
    choice.put("finish_reason", result.getOutput().getFinishReason());
    if (withUsage) {
      chunk.set("usage", usage(result));
    }
    return chunk;
  }

  /** The extra last chunk of {@code stream_options.include_usage}: no choices, only usage. */
  ObjectNode usageChunk(InferenceResult result) {
    ObjectNode chunk = header("chat.completion.chunk");
    chunk.putArray("choices");
    chunk.set("usage", usage(result));
    return chunk;
  }

  /**
   * OpenAI's usage object of a chat result: prompt, completion and total tokens, and the details
   * OpenAI reports with them: {@code prompt_tokens_details.cached_tokens} (prompt tokens read from
   * the provider's cache, part of {@code prompt_tokens}) and {@code
   * completion_tokens_details.reasoning_tokens} (part of {@code completion_tokens}).
   */
  static ObjectNode usage(InferenceResult result) {
    TokenUsage usage = result.getUsage();
    long in = usage == null ? 0 : usage.getInputTokens();
    long out = usage == null ? 0 : usage.getOutputTokens();
    ObjectNode node =
        NODES
            .objectNode()
            .put("prompt_tokens", in)
            .put("completion_tokens", out)
            .put("total_tokens", in + out);
    node.putObject("prompt_tokens_details")
        .put("cached_tokens", usage == null ? 0 : usage.getCacheReadInputTokens());
    node.putObject("completion_tokens_details")
        .put("reasoning_tokens", usage == null ? 0 : usage.getReasoningTokens());
    return node;
  }

  /** OpenAI's usage object of an embedding result: prompt and total tokens only. */
  static ObjectNode embeddingUsage(InferenceResult result) {
    TokenUsage usage = result.getUsage();
    long in = usage == null ? 0 : usage.getInputTokens();
    return NODES.objectNode().put("prompt_tokens", in).put("total_tokens", in);
  }

  private ObjectNode header(String object) {
    ObjectNode node = NODES.objectNode();
    node.put("id", id);
    node.put("object", object);
    node.put("created", created);
    node.put("model", model);
    node.putNull("system_fingerprint");
    return node;
  }

  private static ObjectNode choice(ObjectNode chunk) {
    ObjectNode choice = chunk.putArray("choices").addObject();
    choice.put("index", 0);
    choice.putNull("logprobs");
    choice.putNull("finish_reason");
    return choice;
  }
}
