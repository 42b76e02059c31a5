package io.aibroker.connector.bedrock;

import io.aibroker.connector.ChatMessage;
import io.aibroker.connector.GenerationParams;
import io.aibroker.connector.InvalidRequestException;
import io.aibroker.connector.ProviderCall;
import io.aibroker.connector.ProviderResponse;
import io.aibroker.connector.ProviderServerException;
import io.aibroker.connector.TokenUsage;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import software.amazon.awssdk.services.bedrockruntime.model.ContentBlock;
import software.amazon.awssdk.services.bedrockruntime.model.ConversationRole;
import software.amazon.awssdk.services.bedrockruntime.model.ConverseOutput;
import software.amazon.awssdk.services.bedrockruntime.model.ConverseRequest;
import software.amazon.awssdk.services.bedrockruntime.model.ConverseResponse;
import software.amazon.awssdk.services.bedrockruntime.model.ConverseStreamRequest;
import software.amazon.awssdk.services.bedrockruntime.model.InferenceConfiguration;
import software.amazon.awssdk.services.bedrockruntime.model.Message;
import software.amazon.awssdk.services.bedrockruntime.model.SystemContentBlock;

/** Translates between the broker's chat calls and Bedrock's Converse API. */
final class ConverseMapping {

  private ConverseMapping() {}

  /** The Converse request for {@code call}. */
  static ConverseRequest converseRequest(ProviderCall call) {
    Parts parts = parts(call);
    ConverseRequest.Builder builder =
        ConverseRequest.builder().modelId(call.providerModel()).messages(parts.messages());
    if (!parts.system().isEmpty()) {
      builder.system(parts.system());
    }
    if (parts.inference() != null) {
      builder.inferenceConfig(parts.inference());
    }
    return builder.build();
  }

  /** The ConverseStream request for {@code call}. */
  static ConverseStreamRequest converseStreamRequest(ProviderCall call) {
    Parts parts = parts(call);
    ConverseStreamRequest.Builder builder =
        ConverseStreamRequest.builder().modelId(call.providerModel()).messages(parts.messages());
    if (!parts.system().isEmpty()) {
      builder.system(parts.system());
    }
    if (parts.inference() != null) {
      builder.inferenceConfig(parts.inference());
    }
    return builder.build();
  }

  /**
   * The reply text, finish reason and usage of a Converse response.
   *
   * @throws ProviderServerException if the response lacks the message or the usage: a 200 that
   *     cannot be billed is not a success
   */
  static ProviderResponse response(ConverseResponse response) {
    ConverseOutput output = response.output();
    if (output == null || output.message() == null) {
      throw new ProviderServerException(
          BedrockErrorMapper.PROVIDER, "Converse response has no output message");
    }
    if (response.usage() == null) {
      throw new ProviderServerException(
          BedrockErrorMapper.PROVIDER, "Converse response has no usage");
    }
    StringBuilder text = new StringBuilder();
    for (ContentBlock block : output.message().content()) {
      // Reasoning, tool-use and other non-text blocks are not part of the reply text.
      if (block.text() != null) {
        text.append(block.text());
      }
    }
    return ProviderResponse.ofText(
        text.toString(),
        finishReason(response.stopReasonAsString()),
        usage(response.usage().inputTokens(), response.usage().outputTokens()));
  }

  /**
   * Bedrock's stop reason in the broker's terms where there is one ({@code end_turn} and {@code
   * stop_sequence} are {@code stop}, ...); other reasons ({@code tool_use}) pass through as sent.
   */
  static String finishReason(String stopReason) {
    if (stopReason == null) {
      return null;
    }
    return switch (stopReason) {
      case "end_turn", "stop_sequence" -> ProviderResponse.FINISH_STOP;
      case "max_tokens", "model_context_window_exceeded" -> ProviderResponse.FINISH_LENGTH;
      case "guardrail_intervened", "content_filtered" -> ProviderResponse.FINISH_CONTENT_FILTER;
      default -> stopReason;
    };
  }

  /**
   * Token usage; Bedrock reports prompt-cache reads and writes separately, and {@code inputTokens}
   * is the uncached rest.
   */
  static TokenUsage usage(Integer inputTokens, Integer outputTokens) {
    return new TokenUsage(
        inputTokens == null ? 0 : inputTokens, outputTokens == null ? 0 : outputTokens);
  }

  private record Parts(
      List<Message> messages, List<SystemContentBlock> system, InferenceConfiguration inference) {}

  private static Parts parts(ProviderCall call) {
    List<Message> messages = new ArrayList<>();
    List<SystemContentBlock> system = new ArrayList<>();
    for (ChatMessage message : call.messages()) {
      String role = message.role().toLowerCase(Locale.ROOT);
      switch (role) {
        // Converse takes instructions apart from the conversation; lift them out in order.
        case ChatMessage.SYSTEM -> system.add(SystemContentBlock.fromText(message.content()));
        case ChatMessage.USER -> messages.add(message(ConversationRole.USER, message.content()));
        case ChatMessage.ASSISTANT ->
            messages.add(message(ConversationRole.ASSISTANT, message.content()));
        default ->
            throw new InvalidRequestException(
                BedrockErrorMapper.PROVIDER,
                "Bedrock Converse takes system, user and assistant messages, not '"
                    + message.role()
                    + "'");
      }
    }
    if (messages.isEmpty()) {
      throw new InvalidRequestException(
          BedrockErrorMapper.PROVIDER, "Bedrock Converse needs at least one user message");
    }
    return new Parts(messages, system, inference(call.params()));
  }

  private static Message message(ConversationRole role, String text) {
    return Message.builder().role(role).content(ContentBlock.fromText(text)).build();
  }

  private static InferenceConfiguration inference(GenerationParams params) {
    if (params.maxTokens() == null
        && params.temperature() == null
        && params.topP() == null
        && params.stop().isEmpty()) {
      return null;
    }
    InferenceConfiguration.Builder builder = InferenceConfiguration.builder();
    if (params.maxTokens() != null) {
      builder.maxTokens(params.maxTokens());
    }
    if (params.temperature() != null) {
      builder.temperature(params.temperature().floatValue());
    }
    if (params.topP() != null) {
      builder.topP(params.topP().floatValue());
    }
    if (!params.stop().isEmpty()) {
      builder.stopSequences(params.stop());
    }
    return builder.build();
  }
}
