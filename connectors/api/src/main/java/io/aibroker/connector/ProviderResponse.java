package io.aibroker.connector;

import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * What a provider returned for one call.
 *
 * @param text the reply for {@link Task#CHAT}; {@code null} for {@link Task#EMBED}
 * @param finishReason why generation stopped, normalised where the provider allows ({@link
 *     #FINISH_STOP}, {@link #FINISH_LENGTH}, {@link #FINISH_CONTENT_FILTER}); {@code null} for
 *     embeddings
 * @param embeddings one vector per input for {@link Task#EMBED}; empty for chat
 * @param usage tokens billed; {@link TokenUsage#ZERO} if the provider reports none
 * @param providerLatency time spent waiting for the provider; connectors usually leave it {@code
 *     null} and {@link InstrumentedConnector} fills in what it measured
 * @param serviceTier the service tier the provider says it served the call at; {@code null} when it
 *     does not say (the tier asked for is then assumed)
 */
public record ProviderResponse(
    String text,
    String finishReason,
    List<List<Float>> embeddings,
    TokenUsage usage,
    Duration providerLatency,
    String serviceTier) {

  /** The model finished on its own or hit a stop sequence. */
  public static final String FINISH_STOP = "stop";

  /** The reply was cut at the output token limit. */
  public static final String FINISH_LENGTH = "length";

  /** The provider withheld (part of) the reply. */
  public static final String FINISH_CONTENT_FILTER = "content_filter";

  /** Copies the embeddings and requires usage. */
  public ProviderResponse {
    embeddings = embeddings == null ? List.of() : embeddings.stream().map(List::copyOf).toList();
    Objects.requireNonNull(usage, "usage");
  }

  /** A response without a reported service tier. */
  public ProviderResponse(
      String text,
      String finishReason,
      List<List<Float>> embeddings,
      TokenUsage usage,
      Duration providerLatency) {
    this(text, finishReason, embeddings, usage, providerLatency, null);
  }

  /** A chat reply. */
  public static ProviderResponse ofText(String text, String finishReason, TokenUsage usage) {
    return new ProviderResponse(
        Objects.requireNonNull(text, "text"), finishReason, List.of(), usage, null);
  }

  /** An embedding result. */
  public static ProviderResponse ofEmbeddings(List<List<Float>> embeddings, TokenUsage usage) {
    return new ProviderResponse(
        null, null, Objects.requireNonNull(embeddings, "embeddings"), usage, null);
  }

  /** A copy with the given provider latency. */
  public ProviderResponse withProviderLatency(Duration providerLatency) {
    return new ProviderResponse(
        text, finishReason, embeddings, usage, providerLatency, serviceTier);
  }

  /** A copy naming the service tier the provider served the call at. */
  public ProviderResponse withServiceTier(String serviceTier) {
    return new ProviderResponse(
        text, finishReason, embeddings, usage, providerLatency, serviceTier);
  }

  /** Shows sizes only: replies are tenant data and must not end up in logs. */
  @Override
  public String toString() {
    return "ProviderResponse[textChars="
        + (text == null ? "null" : text.length())
        + ", finishReason="
        + finishReason
        + ", embeddings="
        + embeddings.size()
        + ", usage="
        + usage
        + ", providerLatency="
        + providerLatency
        + ", serviceTier="
        + serviceTier
        + "]";
  }
}
