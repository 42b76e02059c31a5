package io.aibroker.connector.bedrock;

import io.aibroker.connector.CacheLifetime;
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
import software.amazon.awssdk.services.bedrockruntime.model.CacheDetail;
import software.amazon.awssdk.services.bedrockruntime.model.CachePointBlock;
import software.amazon.awssdk.services.bedrockruntime.model.CachePointType;
import software.amazon.awssdk.services.bedrockruntime.model.CacheTTL;
import software.amazon.awssdk.services.bedrockruntime.model.ContentBlock;
import software.amazon.awssdk.services.bedrockruntime.model.ConversationRole;
import software.amazon.awssdk.services.bedrockruntime.model.ConverseOutput;
import software.amazon.awssdk.services.bedrockruntime.model.ConverseRequest;
import software.amazon.awssdk.services.bedrockruntime.model.ConverseResponse;
import software.amazon.awssdk.services.bedrockruntime.model.ConverseStreamRequest;
import software.amazon.awssdk.services.bedrockruntime.model.InferenceConfiguration;
import software.amazon.awssdk.services.bedrockruntime.model.Message;
import software.amazon.awssdk.services.bedrockruntime.model.ServiceTier;
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
    if (parts.serviceTier() != null) {
      builder.serviceTier(parts.serviceTier());
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
    if (parts.serviceTier() != null) {
      builder.serviceTier(parts.serviceTier());
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
            text.toString(), finishReason(response.stopReasonAsString()), usage(response.usage()))
        .withServiceTier(servedTier(response.serviceTier()));
  }

  /**
   * The tier Bedrock says it served a call at, in the broker's names ({@code default} is {@code
   * standard}); {@code null} when it does not say.
   */
  static String servedTier(ServiceTier tier) {
    if (tier == null || tier.typeAsString() == null || tier.typeAsString().isBlank()) {
      return null;
    }
    String type = tier.typeAsString().toLowerCase(Locale.ROOT);
    return type.equals("default") ? ProviderCall.STANDARD_TIER : type;
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
   * Token usage in the broker's convention. Bedrock reports prompt-cache reads and writes apart
   * from {@code inputTokens}, which is only the uncached rest, so the input is the sum of the
   * three; {@code cacheDetails} splits the writes by lifetime ({@code 5m}, {@code 1h}). Converse
   * reports no reasoning count: reasoning is in {@code outputTokens} and billed as output.
   */
  static TokenUsage usage(software.amazon.awssdk.services.bedrockruntime.model.TokenUsage usage) {
    long uncached = count(usage.inputTokens());
    long read = count(usage.cacheReadInputTokens());
    long write = count(usage.cacheWriteInputTokens());
    long written = 0;
    long writtenOneHour = 0;
    if (usage.hasCacheDetails()) {
      for (CacheDetail detail : usage.cacheDetails()) {
        long tokens = count(detail.inputTokens());
        written += tokens;
        if (detail.ttl() == CacheTTL.VALUE_1_H) {
          writtenOneHour += tokens;
        }
      }
    }
    // The details break the writes down; should they ever add up to more, they are the truth.
    write = Math.max(write, written);
    return new TokenUsage(
        uncached + read + write,
        count(usage.outputTokens()),
        read,
        write,
        Math.min(writtenOneHour, write),
        0);
  }

  private static long count(Integer tokens) {
    return tokens == null || tokens < 0 ? 0 : tokens;
  }

  private record Parts(
      List<Message> messages,
      List<SystemContentBlock> system,
      InferenceConfiguration inference,
      ServiceTier serviceTier) {}

  private static Parts parts(ProviderCall call) {
    List<Message> messages = new ArrayList<>();
    List<SystemContentBlock> system = new ArrayList<>();
    for (ChatMessage message : call.messages()) {
      String role = message.role().toLowerCase(Locale.ROOT);
      switch (role) {
        // Converse takes instructions apart from the conversation; lift them out in order.
        case ChatMessage.SYSTEM -> {
          system.add(SystemContentBlock.fromText(message.content()));
          if (message.cachePoint() != null) {
            system.add(SystemContentBlock.fromCachePoint(cachePoint(message.cachePoint())));
          }
        }
        case ChatMessage.USER -> messages.add(message(ConversationRole.USER, message));
        case ChatMessage.ASSISTANT -> messages.add(message(ConversationRole.ASSISTANT, message));
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
    return new Parts(messages, system, inference(call.params()), serviceTier(call.serviceTier()));
  }

  /** The message's text, followed by a cache point if it asks for one. */
  private static Message message(ConversationRole role, ChatMessage message) {
    List<ContentBlock> content = new ArrayList<>(2);
    content.add(ContentBlock.fromText(message.content()));
    if (message.cachePoint() != null) {
      content.add(ContentBlock.fromCachePoint(cachePoint(message.cachePoint())));
    }
    return Message.builder().role(role).content(content).build();
  }

  /**
   * A cache point block: caches the prompt up to here. A one-hour lifetime is asked for with {@code
   * ttl: 1h}; the five-minute one is Bedrock's default and sent without a ttl, which every model
   * with prompt caching accepts.
   */
  static CachePointBlock cachePoint(CacheLifetime lifetime) {
    CachePointBlock.Builder block = CachePointBlock.builder().type(CachePointType.DEFAULT);
    if (lifetime == CacheLifetime.ONE_HOUR) {
      block.ttl(CacheTTL.VALUE_1_H);
    }
    return block.build();
  }

  /**
   * The Converse service tier for the call's: none for {@code standard} (Bedrock's default) and for
   * {@code batch}, which is a job API of its own rather than a Converse tier; {@code flex}, {@code
   * priority} (and any tier Bedrock adds) by name.
   */
  static ServiceTier serviceTier(String tier) {
    if (tier == null
        || tier.equalsIgnoreCase(ProviderCall.STANDARD_TIER)
        || tier.equalsIgnoreCase("batch")) {
      return null;
    }
    return ServiceTier.builder().type(tier.toLowerCase(Locale.ROOT)).build();
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
