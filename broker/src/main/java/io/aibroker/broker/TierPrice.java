package io.aibroker.broker;

import io.aibroker.money.Usd;
import io.aibroker.records.ModelTierPrice;
import io.aibroker.records.TokenUsage;
import java.math.BigDecimal;
import java.util.Objects;

/**
 * USD per million tokens of one provider model at one service tier, by token class. Cache prices a
 * provider does not list fall back as the {@code PriceList} schema says: a cache read or write
 * costs the input price, a one-hour write the (five-minute) write price.
 *
 * @param inputPerMillion uncached prompt tokens
 * @param outputPerMillion completion tokens, reasoning included
 * @param cacheReadPerMillion prompt tokens read from the provider's cache (null: the input price)
 * @param cacheWritePerMillion prompt tokens written to it with the default lifetime (null: the
 *     input price)
 * @param cacheWrite1hPerMillion prompt tokens written with a one-hour lifetime (null: the write
 *     price)
 */
public record TierPrice(
    BigDecimal inputPerMillion,
    BigDecimal outputPerMillion,
    BigDecimal cacheReadPerMillion,
    BigDecimal cacheWritePerMillion,
    BigDecimal cacheWrite1hPerMillion) {

  private static final BigDecimal MILLION = BigDecimal.valueOf(1_000_000);

  /** Validates (input and output present, nothing negative) and resolves the fallbacks. */
  public TierPrice {
    Objects.requireNonNull(inputPerMillion, "inputPerMillion");
    Objects.requireNonNull(outputPerMillion, "outputPerMillion");
    cacheReadPerMillion = cacheReadPerMillion == null ? inputPerMillion : cacheReadPerMillion;
    cacheWritePerMillion = cacheWritePerMillion == null ? inputPerMillion : cacheWritePerMillion;
    cacheWrite1hPerMillion =
        cacheWrite1hPerMillion == null ? cacheWritePerMillion : cacheWrite1hPerMillion;
    for (BigDecimal price :
        new BigDecimal[] {
          inputPerMillion,
          outputPerMillion,
          cacheReadPerMillion,
          cacheWritePerMillion,
          cacheWrite1hPerMillion
        }) {
      if (price.signum() < 0) {
        throw new IllegalArgumentException("prices must not be negative, was " + price);
      }
    }
  }

  /** Input and output prices only: cache reads and writes cost the input price. */
  public TierPrice(BigDecimal inputPerMillion, BigDecimal outputPerMillion) {
    this(inputPerMillion, outputPerMillion, null, null, null);
  }

  /** The price of a {@code PriceList} entry. */
  public static TierPrice of(ModelTierPrice p) {
    return new TierPrice(
        p.getInputPerMillion(),
        p.getOutputPerMillion(),
        p.getCacheReadPerMillion(),
        p.getCacheWritePerMillion(),
        p.getCacheWrite1hPerMillion());
  }

  /**
   * The exact cost of a call's usage at the schema's scale: uncached input, cache reads,
   * five-minute and one-hour cache writes and output, each at its own price. Counts the provider
   * reported inconsistently (more cached than prompt tokens, more one-hour than all writes) are
   * clamped so that no token is billed twice or at a negative count.
   */
  public BigDecimal cost(TokenUsage usage) {
    if (usage == null) {
      return Usd.ZERO;
    }
    long input = Math.max(0, usage.getInputTokens());
    long read = clamp(usage.getCacheReadInputTokens(), input);
    long write = clamp(usage.getCacheWriteInputTokens(), input - read);
    long write1h = clamp(usage.getCacheWrite1hInputTokens(), write);
    long uncached = input - read - write;
    long output = Math.max(0, usage.getOutputTokens());
    BigDecimal micros =
        inputPerMillion
            .multiply(BigDecimal.valueOf(uncached))
            .add(cacheReadPerMillion.multiply(BigDecimal.valueOf(read)))
            .add(cacheWritePerMillion.multiply(BigDecimal.valueOf(write - write1h)))
            .add(cacheWrite1hPerMillion.multiply(BigDecimal.valueOf(write1h)))
            .add(outputPerMillion.multiply(BigDecimal.valueOf(output)));
    return Usd.of(micros.divide(MILLION));
  }

  /**
   * The most a call of this many prompt and output tokens can cost: output at the output price;
   * every prompt token at the highest of the input and cache-write prices when the request asks for
   * a cache point ({@code writesCache}; providers write their cache only there, or, as Azure does,
   * without a write premium), else at the input price.
   */
  public BigDecimal worstCase(long promptTokens, long outputTokens, boolean writesCache) {
    BigDecimal prompt =
        writesCache
            ? inputPerMillion.max(cacheWritePerMillion).max(cacheWrite1hPerMillion)
            : inputPerMillion;
    return Usd.of(
        prompt
            .multiply(BigDecimal.valueOf(promptTokens))
            .add(outputPerMillion.multiply(BigDecimal.valueOf(outputTokens)))
            .divide(MILLION));
  }

  private static long clamp(long count, long max) {
    return Math.max(0, Math.min(count, max));
  }
}
