package io.aibroker.broker;

import io.aibroker.money.Usd;
import io.aibroker.records.ModelTierPrice;
import io.aibroker.records.PriceList;
import io.aibroker.records.TokenUsage;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;

/**
 * One version of the price catalog, ready for per-call lookups: provider model -> tier -> price. A
 * tier not listed for a model is priced at the model's standard tier; a model not listed costs 0
 * (its usage event still records its tokens and names this version).
 *
 * @param version the id every usage event it prices names
 * @param effectiveFrom from when it prices completed requests
 * @param prices provider model -> service tier -> price
 */
public record PriceVersion(
    String version, Instant effectiveFrom, Map<String, Map<String, TierPrice>> prices) {

  /** The tier every listed model has, and the one a route asks for unless it says otherwise. */
  public static final String STANDARD_TIER = "standard";

  /** Most prices one version may hold: it lives in every broker's memory. */
  static final int MAX_PRICES = 100_000;

  /** Validates and copies. */
  public PriceVersion {
    Objects.requireNonNull(version, "version");
    Objects.requireNonNull(effectiveFrom, "effectiveFrom");
    Map<String, Map<String, TierPrice>> copy = new HashMap<>();
    prices.forEach((model, tiers) -> copy.put(model, Map.copyOf(tiers)));
    prices = Map.copyOf(copy);
  }

  /**
   * The version a {@code PriceList} record says; rejects a list with a price twice for one model
   * and tier, or a model priced at other tiers without a standard one to fall back to.
   */
  public static PriceVersion of(PriceList list) {
    if (list.getPrices().size() > MAX_PRICES) {
      throw new IllegalArgumentException(
          "price version " + list.getVersion() + " has more than " + MAX_PRICES + " prices");
    }
    Map<String, Map<String, TierPrice>> prices = new HashMap<>();
    for (ModelTierPrice p : list.getPrices()) {
      String tier = p.getTier() == null || p.getTier().isBlank() ? STANDARD_TIER : p.getTier();
      TierPrice price;
      try {
        price = TierPrice.of(p);
      } catch (RuntimeException e) {
        throw new IllegalArgumentException(
            "price version " + list.getVersion() + ", " + p.getProviderModel() + ": " + e, e);
      }
      if (prices.computeIfAbsent(p.getProviderModel(), m -> new HashMap<>()).put(tier, price)
          != null) {
        throw new IllegalArgumentException(
            "price version "
                + list.getVersion()
                + " prices "
                + p.getProviderModel()
                + " at tier "
                + tier
                + " twice");
      }
    }
    prices.forEach(
        (model, tiers) -> {
          if (!tiers.containsKey(STANDARD_TIER)) {
            throw new IllegalArgumentException(
                "price version "
                    + list.getVersion()
                    + " prices "
                    + model
                    + " without a standard tier");
          }
        });
    return new PriceVersion(list.getVersion(), list.getEffectiveFrom(), prices);
  }

  /** A version without prices: everything costs 0 and is recorded under this id. */
  static PriceVersion empty(String version) {
    return new PriceVersion(version, Instant.EPOCH, Map.of());
  }

  /** The price of a provider model at a tier (its standard tier if that one is not listed). */
  public TierPrice price(String providerModel, String tier) {
    Map<String, TierPrice> tiers = prices.get(providerModel);
    if (tiers == null) {
      return null;
    }
    TierPrice price = tier == null ? null : tiers.get(tier);
    return price != null ? price : tiers.get(STANDARD_TIER);
  }

  /** The cost of a call's usage at this version; 0 for a model not listed. */
  public BigDecimal cost(String providerModel, String tier, TokenUsage usage) {
    TierPrice price = price(providerModel, tier);
    return price == null ? Usd.ZERO : price.cost(usage);
  }

  /**
   * The most a call of this many prompt and output tokens can cost ({@link TierPrice#worstCase}); 0
   * for a model not listed.
   */
  public BigDecimal worstCase(
      String providerModel,
      String tier,
      long promptTokens,
      long outputTokens,
      boolean writesCache) {
    TierPrice price = price(providerModel, tier);
    return price == null ? Usd.ZERO : price.worstCase(promptTokens, outputTokens, writesCache);
  }
}
