package io.aibroker.broker;

import io.aibroker.money.Usd;
import java.math.BigDecimal;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * A versioned price list: USD per million tokens for each provider model. Every usage event names
 * the {@link #version()} its cost was computed from, so finance can reprice or audit.
 *
 * @param version identifier of this price list, e.g. {@code 2026-11-01}
 * @param prices provider model id -> price
 */
public record PriceCatalog(String version, Map<String, ModelPrice> prices) {

  /** Validates the catalog. */
  public PriceCatalog {
    Objects.requireNonNull(version, "price catalog version");
    prices = Map.copyOf(prices);
  }

  /** The price of a provider model, if listed. */
  public Optional<ModelPrice> price(String providerModel) {
    return Optional.ofNullable(prices.get(providerModel));
  }

  /**
   * Cost in USD at the schema's scale. An unlisted model costs zero: the usage event still records
   * its tokens, and the price version tells finance which list was used.
   */
  public BigDecimal cost(String providerModel, long inputTokens, long outputTokens) {
    return price(providerModel)
        .map(p -> Usd.of(p.cost(inputTokens, outputTokens)))
        .orElse(Usd.ZERO);
  }
}
