package io.aibroker.connector;

/**
 * Tokens a provider billed for one call.
 *
 * @param inputTokens prompt tokens, {@code >= 0}
 * @param outputTokens completion tokens, {@code >= 0} (0 for embeddings)
 */
public record TokenUsage(long inputTokens, long outputTokens) {

  /** No tokens, for providers that report none. */
  public static final TokenUsage ZERO = new TokenUsage(0, 0);

  /** Rejects negative counts. */
  public TokenUsage {
    if (inputTokens < 0 || outputTokens < 0) {
      throw new IllegalArgumentException(
          "token counts must be >= 0, were " + inputTokens + "/" + outputTokens);
    }
  }

  /** Input plus output tokens. */
  public long total() {
    return inputTokens + outputTokens;
  }
}
