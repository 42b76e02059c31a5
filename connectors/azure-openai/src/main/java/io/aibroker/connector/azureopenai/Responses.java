package io.aibroker.connector.azureopenai;

import com.azure.ai.openai.models.ChatChoice;
import com.azure.ai.openai.models.ChatCompletions;
import com.azure.ai.openai.models.ChatResponseMessage;
import com.azure.ai.openai.models.CompletionsUsage;
import com.azure.ai.openai.models.EmbeddingItem;
import com.azure.ai.openai.models.Embeddings;
import io.aibroker.connector.ProviderResponse;
import io.aibroker.connector.ProviderServerException;
import io.aibroker.connector.TokenUsage;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

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
        text, ChatRequests.finishReason(choice.getFinishReason()), usage(completions.getUsage()));
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

  /** Converts usage, which must be present. */
  static TokenUsage usage(CompletionsUsage usage) {
    if (usage == null) {
      throw malformed("chat completion without usage");
    }
    return new TokenUsage(usage.getPromptTokens(), usage.getCompletionTokens());
  }

  /** A response that does not have what Azure's format promises; retryable. */
  static ProviderServerException malformed(String what) {
    return new ProviderServerException(
        AzureOpenAiConnector.PROVIDER, "malformed response: " + what, null, 200, null, null);
  }
}
