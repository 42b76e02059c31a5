package io.aibroker.connector;

/**
 * Tokens a provider billed for one call, by class. Follows OpenAI's convention: {@code inputTokens}
 * counts every prompt token, cached ones included, and {@code outputTokens} every generated token,
 * reasoning included; the other counts say how many of them were of a class billed at its own
 * price. A connector whose provider reports uncached input separately (Bedrock) adds the cache
 * counts to it.
 *
 * @param inputTokens prompt tokens, cache reads and writes included, {@code >= 0}
 * @param outputTokens completion tokens, reasoning included, {@code >= 0} (0 for embeddings)
 * @param cacheReadInputTokens of {@code inputTokens}: read from the provider's prompt cache
 * @param cacheWriteInputTokens of {@code inputTokens}: written to the prompt cache, any lifetime
 * @param cacheWrite1hInputTokens of {@code cacheWriteInputTokens}: with a one-hour lifetime
 * @param reasoningTokens of {@code outputTokens}: spent on reasoning
 */
public record TokenUsage(
    long inputTokens,
    long outputTokens,
    long cacheReadInputTokens,
    long cacheWriteInputTokens,
    long cacheWrite1hInputTokens,
    long reasoningTokens) {

  /** No tokens, for providers that report none. */
  public static final TokenUsage ZERO = new TokenUsage(0, 0);

  /** Rejects negative counts and parts larger than their whole. */
  public TokenUsage {
    if (inputTokens < 0
        || outputTokens < 0
        || cacheReadInputTokens < 0
        || cacheWriteInputTokens < 0
        || cacheWrite1hInputTokens < 0
        || reasoningTokens < 0) {
      throw new IllegalArgumentException("token counts must be >= 0, were " + counts());
    }
    if (cacheReadInputTokens + cacheWriteInputTokens > inputTokens
        || cacheWrite1hInputTokens > cacheWriteInputTokens
        || reasoningTokens > outputTokens) {
      throw new IllegalArgumentException(
          "cache and reasoning tokens are parts of input and output, were " + counts());
    }
  }

  /** Input and output tokens only, none cached or spent reasoning. */
  public TokenUsage(long inputTokens, long outputTokens) {
    this(inputTokens, outputTokens, 0, 0, 0, 0);
  }

  /** Input plus output tokens. */
  public long total() {
    return inputTokens + outputTokens;
  }

  /** Prompt tokens neither read from nor written to the cache: billed at the input price. */
  public long uncachedInputTokens() {
    return inputTokens - cacheReadInputTokens - cacheWriteInputTokens;
  }

  /** A copy with the given cache counts. */
  public TokenUsage withCache(long read, long write, long write1h) {
    return new TokenUsage(inputTokens, outputTokens, read, write, write1h, reasoningTokens);
  }

  /** A copy with the given reasoning tokens. */
  public TokenUsage withReasoning(long reasoning) {
    return new TokenUsage(
        inputTokens,
        outputTokens,
        cacheReadInputTokens,
        cacheWriteInputTokens,
        cacheWrite1hInputTokens,
        reasoning);
  }

  private String counts() {
    return "in="
        + inputTokens
        + " out="
        + outputTokens
        + " cacheRead="
        + cacheReadInputTokens
        + " cacheWrite="
        + cacheWriteInputTokens
        + " cacheWrite1h="
        + cacheWrite1hInputTokens
        + " reasoning="
        + reasoningTokens;
  }
}
