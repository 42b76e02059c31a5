package io.aibroker.connector.azureopenai;

import com.azure.ai.openai.OpenAIServiceVersion;
import com.azure.ai.openai.models.ChatChoice;
import com.azure.ai.openai.models.ChatCompletions;
import com.azure.ai.openai.models.ChatResponseMessage;
import io.aibroker.connector.ProviderResponse;
import io.aibroker.connector.ProviderServerException;
import io.aibroker.connector.TextDelta;
import java.util.Objects;
import java.util.function.Consumer;

/**
 * Collects the chunks of one streamed chat completion: hands each piece of text on as a {@link
 * TextDelta} and keeps the finish reason and the usage, which arrives last in a chunk with no
 * choices ({@code stream_options.include_usage}).
 *
 * <p>A stream that ends without usage is incomplete, whatever text it carried: the SDK ends the
 * stream quietly when the connection drops between events, and a reply without usage cannot be
 * billed. {@link #finish()} fails then, retryably.
 *
 * <p>Not thread-safe; the SDK delivers one stream's chunks one at a time.
 */
final class StreamAccumulator {

  /** The first api-version that reports usage on streams ({@code stream_options}). */
  static final String FIRST_VERSION_WITH_USAGE = "2024-09-01-preview";

  private final Consumer<TextDelta> onDelta;
  private final String apiVersion;
  private final boolean versionReportsUsage;
  private final StringBuilder text = new StringBuilder();
  private int sequence;
  private String finishReason;
  private ChatCompletions usageChunk;
  private String serviceTier;

  /**
   * @param onDelta receives the text pieces, in order
   * @param apiVersion the api-version called; versions before {@value #FIRST_VERSION_WITH_USAGE}
   *     never send usage on streams, which the error then says
   */
  StreamAccumulator(Consumer<TextDelta> onDelta, OpenAIServiceVersion apiVersion) {
    this.onDelta = Objects.requireNonNull(onDelta, "onDelta");
    this.apiVersion = apiVersion.getVersion();
    // The enum lists versions oldest first.
    this.versionReportsUsage = apiVersion.compareTo(OpenAIServiceVersion.V2024_09_01_PREVIEW) >= 0;
  }

  /** Takes the next chunk. */
  void accept(ChatCompletions chunk) {
    if (chunk.getUsage() != null) {
      usageChunk = chunk;
    }
    String tier = Responses.servedTier(chunk);
    if (tier != null) {
      serviceTier = tier;
    }
    if (chunk.getChoices() == null) {
      return;
    }
    for (ChatChoice choice : chunk.getChoices()) {
      // We never ask for n > 1; anything but the first choice is not ours to return.
      if (choice.getIndex() != 0) {
        continue;
      }
      ChatResponseMessage delta = choice.getDelta();
      if (delta != null && delta.getContent() != null && !delta.getContent().isEmpty()) {
        text.append(delta.getContent());
        onDelta.accept(new TextDelta(sequence++, delta.getContent()));
      }
      if (choice.getFinishReason() != null) {
        finishReason = ChatRequests.finishReason(choice.getFinishReason());
      }
    }
  }

  /**
   * The whole response, once the stream has ended.
   *
   * @throws ProviderServerException if no chunk carried usage
   */
  ProviderResponse finish() {
    if (usageChunk == null) {
      throw new ProviderServerException(
          AzureOpenAiConnector.PROVIDER,
          "stream ended without usage after "
              + sequence
              + " deltas"
              + (versionReportsUsage
                  ? " (incomplete stream)"
                  : "; api-version "
                      + apiVersion
                      + " does not report usage on streams, configure "
                      + FIRST_VERSION_WITH_USAGE
                      + " or later"),
          null,
          200,
          null,
          null);
    }
    return ProviderResponse.ofText(
            text.toString(), finishReason, Responses.usage(usageChunk.getUsage()))
        .withServiceTier(serviceTier);
  }
}
