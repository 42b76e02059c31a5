package io.aibroker.broker;

import java.math.BigDecimal;
import java.util.Objects;

/**
 * Price of one provider model in USD per million tokens.
 *
 * @param inputPerMillion USD per million prompt tokens
 * @param outputPerMillion USD per million completion tokens
 */
public record ModelPrice(BigDecimal inputPerMillion, BigDecimal outputPerMillion) {

  private static final BigDecimal MILLION = BigDecimal.valueOf(1_000_000);

  /** Validates: both prices present and not negative. */
  public ModelPrice {
    Objects.requireNonNull(inputPerMillion, "inputPerMillion");
    Objects.requireNonNull(outputPerMillion, "outputPerMillion");
    if (inputPerMillion.signum() < 0 || outputPerMillion.signum() < 0) {
      throw new IllegalArgumentException("prices must not be negative");
    }
  }

  /** Cost of the given token counts, unrounded. */
  public BigDecimal cost(long inputTokens, long outputTokens) {
    return inputPerMillion
        .multiply(BigDecimal.valueOf(inputTokens))
        .add(outputPerMillion.multiply(BigDecimal.valueOf(outputTokens)))
        .divide(MILLION);
  }
}
