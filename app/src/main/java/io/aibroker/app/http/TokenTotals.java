package io.aibroker.app.http;

import io.aibroker.money.TierSavings;
import io.aibroker.records.UsageRollup;
import java.math.BigDecimal;
import java.util.Collection;

/**
 * Tokens by class and their cost summed over usage rollups. {@code input} and {@code output} count
 * every token; the others are parts of them: cache reads and writes of the input (one-hour writes
 * of the writes), reasoning of the output. Money is summed exactly and given in USD as a double,
 * like every amount the dashboard draws.
 *
 * @param requests requests counted
 * @param input prompt tokens, cache reads and writes included
 * @param output completion tokens, reasoning included
 * @param cacheRead prompt tokens read from the provider's cache
 * @param cacheWrite prompt tokens written to the provider's cache, any lifetime
 * @param cacheWrite1h of the cache writes, those with a one-hour lifetime
 * @param reasoning completion tokens spent reasoning
 * @param costUsd what the requests were charged
 * @param savedVsStandardUsd what cheaper service tiers (batch, flex) saved against the standard
 *     tier ({@link TierSavings})
 */
public record TokenTotals(
    long requests,
    long input,
    long output,
    long cacheRead,
    long cacheWrite,
    long cacheWrite1h,
    long reasoning,
    double costUsd,
    double savedVsStandardUsd) {

  /** No tokens. */
  public static final TokenTotals ZERO = new TokenTotals(0, 0, 0, 0, 0, 0, 0, 0, 0);

  /** The sum of the rollups' counts and amounts. */
  public static TokenTotals of(Collection<UsageRollup> rollups) {
    long requests = 0;
    long input = 0;
    long output = 0;
    long cacheRead = 0;
    long cacheWrite = 0;
    long cacheWrite1h = 0;
    long reasoning = 0;
    BigDecimal cost = BigDecimal.ZERO;
    BigDecimal saved = BigDecimal.ZERO;
    for (UsageRollup r : rollups) {
      requests += r.getRequests();
      input += r.getInputTokens();
      output += r.getOutputTokens();
      cacheRead += r.getCacheReadInputTokens();
      cacheWrite += r.getCacheWriteInputTokens();
      cacheWrite1h += r.getCacheWrite1hInputTokens();
      reasoning += r.getReasoningTokens();
      cost = cost.add(r.getCost());
      saved = saved.add(TierSavings.savedVsStandard(r));
    }
    return new TokenTotals(
        requests,
        input,
        output,
        cacheRead,
        cacheWrite,
        cacheWrite1h,
        reasoning,
        cost.doubleValue(),
        saved.doubleValue());
  }
}
