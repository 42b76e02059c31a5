package io.aibroker.connector.azureopenai;

import com.azure.ai.openai.models.ChatCompletionsOptions;
import com.azure.ai.openai.models.ChatRequestAssistantMessage;
import com.azure.ai.openai.models.ChatRequestDeveloperMessage;
import com.azure.ai.openai.models.ChatRequestMessage;
import com.azure.ai.openai.models.ChatRequestSystemMessage;
import com.azure.ai.openai.models.ChatRequestUserMessage;
import com.azure.ai.openai.models.CompletionsFinishReason;
import com.azure.ai.openai.models.ServiceTierOptions;
import io.aibroker.connector.ChatMessage;
import io.aibroker.connector.GenerationParams;
import io.aibroker.connector.InvalidRequestException;
import io.aibroker.connector.ProviderCall;
import io.aibroker.connector.ProviderResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** Translates between the connector's chat records and the SDK's chat models. */
final class ChatRequests {

  /** The role OpenAI's newer models take instead of {@code system}. */
  static final String DEVELOPER = "developer";

  private ChatRequests() {}

  /**
   * The request body for {@code call}: its messages and sampling parameters. {@code max_tokens} is
   * used rather than {@code max_completion_tokens} because every api-version and deployment accepts
   * it.
   *
   * @throws InvalidRequestException for a role Azure chat cannot take as plain text (tool and
   *     function messages need ids this API does not carry)
   */
  static ChatCompletionsOptions options(ProviderCall call) {
    List<ChatRequestMessage> messages = new ArrayList<>(call.messages().size());
    for (ChatMessage message : call.messages()) {
      messages.add(message(message));
    }
    ChatCompletionsOptions options = new ChatCompletionsOptions(messages);
    GenerationParams params = call.params();
    if (params.maxTokens() != null) {
      options.setMaxTokens(params.maxTokens());
    }
    if (params.temperature() != null) {
      options.setTemperature(params.temperature());
    }
    if (params.topP() != null) {
      options.setTopP(params.topP());
    }
    if (!params.stop().isEmpty()) {
      options.setStop(params.stop());
    }
    // Azure caches prompts on its own: cache points need nothing in the request.
    if (!call.serviceTier().equalsIgnoreCase(ProviderCall.STANDARD_TIER)) {
      // Standard is Azure's default and sent as nothing; other tiers (flex, priority) by name.
      options.setServiceTierOptions(
          ServiceTierOptions.fromString(call.serviceTier().toLowerCase(Locale.ROOT)));
    }
    return options;
  }

  /**
   * Normalises Azure's finish reason: {@code stop}, {@code length} and {@code content_filter} map
   * to the {@link ProviderResponse} constants, others ({@code tool_calls}, ...) pass as they are.
   */
  static String finishReason(CompletionsFinishReason reason) {
    if (reason == null) {
      return null;
    }
    String value = reason.toString();
    return switch (value.toLowerCase(Locale.ROOT)) {
      case "stop" -> ProviderResponse.FINISH_STOP;
      case "length" -> ProviderResponse.FINISH_LENGTH;
      case "content_filter" -> ProviderResponse.FINISH_CONTENT_FILTER;
      default -> value;
    };
  }

  private static ChatRequestMessage message(ChatMessage message) {
    return switch (message.role().toLowerCase(Locale.ROOT)) {
      case ChatMessage.SYSTEM -> new ChatRequestSystemMessage(message.content());
      case ChatMessage.USER -> new ChatRequestUserMessage(message.content());
      case ChatMessage.ASSISTANT -> new ChatRequestAssistantMessage(message.content());
      case DEVELOPER -> new ChatRequestDeveloperMessage(message.content());
      default ->
          throw new InvalidRequestException(
              AzureOpenAiConnector.PROVIDER,
              "role '"
                  + message.role()
                  + "' is not supported; use system, developer, user or assistant");
    };
  }
}
