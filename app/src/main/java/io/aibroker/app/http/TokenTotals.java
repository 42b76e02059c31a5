package io.aibroker.app.http;

import io.aibroker.records.UsageRollup;
import java.util.Collection;

/**
 * Tokens by class summed over usage rollups. {@code input} and {@code output} count every token;
 * the others are parts of them: cache reads and writes of the input (one-hour writes of the
 * writes), reasoning of the output.
 *
 * @param requests requests counted
 * @param input prompt tokens, cache reads and writes included
 * @param output completion tokens, reasoning included
 * @param cacheRead prompt tokens read from the provider's cache
 * @param cacheWrite prompt tokens written to the provider's cache, any lifetime
 * @param cacheWrite1h of the cache writes, those with a one-hour lifetime
 * @param reasoning completion tokens spent reasoning
 */
public record TokenTotals(
    long requests,
    long input,
    long output,
    long cacheRead,
    long cacheWrite,
    long cacheWrite1h,
    long reasoning) {

  /** No tokens. */
  public static final TokenTotals ZERO = new TokenTotals(0, 0, 0, 0, 0, 0, 0);

  /** The sum of the rollups' counts. */
  public static TokenTotals of(Collection<UsageRollup> rollups) {
    TokenTotals sum = ZERO;
    for (UsageRollup r : rollups) {
      sum =
          new TokenTotals(
              sum.requests + r.getRequests(),
              sum.input + r.getInputTokens(),
              sum.output + r.getOutputTokens(),
              sum.cacheRead + r.getCacheReadInputTokens(),
              sum.cacheWrite + r.getCacheWriteInputTokens(),
              sum.cacheWrite1h + r.getCacheWrite1hInputTokens(),
              sum.reasoning + r.getReasoningTokens());
    }
    return sum;
  }
}
