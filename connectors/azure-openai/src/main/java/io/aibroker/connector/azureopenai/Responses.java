package io.aibroker.connector.azureopenai;

import com.azure.ai.openai.models.ChatChoice;
import com.azure.ai.openai.models.ChatCompletions;
import com.azure.ai.openai.models.ChatResponseMessage;
import com.azure.ai.openai.models.CompletionsUsage;
import com.azure.ai.openai.models.EmbeddingItem;
import com.azure.ai.openai.models.Embeddings;
import io.aibroker.connector.ProviderCall;
import io.aibroker.connector.ProviderResponse;
import io.aibroker.connector.ProviderServerException;
import io.aibroker.connector.TokenUsage;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;

/**
 * Turns the SDK's plain (non-streamed) results into {@link ProviderResponse}s. A result without
 * usage is a failure, not a free call: usage is what the tenant is billed.
 */
final class Responses {

  private Responses() {}

  /** The first choice's text, finish reason and the usage. */
  static ProviderResponse chat(ChatCompletions completions) {
    List<ChatChoice> choices = completions.getChoices();
    if (choices == null || choices.isEmpty()) {
      throw malformed("chat completion without choices");
    }
    ChatChoice choice = choices.get(0);
    ChatResponseMessage message = choice.getMessage();
    // A reply withheld by the content filter has no content, only its finish reason.
    String text = message == null || message.getContent() == null ? "" : message.getContent();
    return ProviderResponse.ofText(
            text,
            ChatRequests.finishReason(choice.getFinishReason()),
            usage(completions.getUsage()))
        .withServiceTier(servedTier(completions));
  }

  /**
   * The tier Azure says it served the completion at, in the broker's names ({@code default} is
   * {@code standard}); {@code null} when it does not say.
   */
  static String servedTier(ChatCompletions completions) {
    if (completions.getServiceTier() == null) {
      return null;
    }
    String tier = completions.getServiceTier().toString().toLowerCase(Locale.ROOT);
    return tier.isBlank() ? null : tier.equals("default") ? ProviderCall.STANDARD_TIER : tier;
  }

  /** One vector per input, in input order, and the prompt tokens. */
  static ProviderResponse embeddings(Embeddings embeddings, int inputs) {
    List<EmbeddingItem> data = embeddings.getData();
    if (data == null || data.size() != inputs) {
      throw malformed(
          "expected " + inputs + " embeddings, got " + (data == null ? "none" : data.size()));
    }
    List<EmbeddingItem> ordered = new ArrayList<>(data);
    ordered.sort(Comparator.comparingInt(EmbeddingItem::getPromptIndex));
    List<List<Float>> vectors = new ArrayList<>(inputs);
    for (EmbeddingItem item : ordered) {
      if (item.getEmbedding() == null) {
        throw malformed("embedding " + item.getPromptIndex() + " has no vector");
      }
      vectors.add(item.getEmbedding());
    }
    if (embeddings.getUsage() == null) {
      throw malformed("embeddings without usage");
    }
    return ProviderResponse.ofEmbeddings(
        vectors, new TokenUsage(embeddings.getUsage().getPromptTokens(), 0));
  }

  /**
   * Converts usage, which must be present. {@code prompt_tokens} already counts the cached tokens
   * ({@code prompt_tokens_details.cached_tokens}) and {@code completion_tokens} the reasoning ones
   * ({@code completion_tokens_details.reasoning_tokens}), as the broker's usage does. Azure caches
   * prompts on its own and bills no cache writes, so there are none to report.
   */
  static TokenUsage usage(CompletionsUsage usage) {
    if (usage == null) {
      throw malformed("chat completion without usage");
    }
    long input = Math.max(0, usage.getPromptTokens());
    long output = Math.max(0, usage.getCompletionTokens());
    long cached = 0;
    if (usage.getPromptTokensDetails() != null) {
      cached = count(usage.getPromptTokensDetails().getCachedTokens());
    }
    long reasoning = 0;
    if (usage.getCompletionTokensDetails() != null) {
      reasoning = count(usage.getCompletionTokensDetails().getReasoningTokens());
    }
    if (cached > input || reasoning > output) {
      throw malformed("usage details exceed their totals");
    }
    return new TokenUsage(input, output).withCache(cached, 0, 0).withReasoning(reasoning);
  }

  private static long count(Integer tokens) {
    return tokens == null || tokens < 0 ? 0 : tokens;
  }

  /** A response that does not have what Azure's format promises; retryable. */
  static ProviderServerException malformed(String what) {
    return new ProviderServerException(
        AzureOpenAiConnector.PROVIDER, "malformed response: " + what, null, 200, null, null);
  }
}
