package io.aibroker.app.config;

import io.aibroker.app.config.AppConfig.PriceEntry;
import io.aibroker.app.config.AppConfig.PriceVersionSettings;
import io.aibroker.money.Usd;
import io.aibroker.records.ModelTierPrice;
import io.aibroker.records.PriceList;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

/**
 * The configured price versions as {@link PriceList} records, the form the prices topic and the
 * broker's catalog hold. Each model's entry is its standard tier; its {@code tiers} add the others.
 */
public final class PriceLists {

  /** The tier an entry without a tier name prices. */
  public static final String STANDARD_TIER = "standard";

  private PriceLists() {}

  /** Every configured version, oldest effective first; rejects bad prices with their path. */
  public static List<PriceList> of(AppConfig.PriceSettings settings) {
    if (settings == null || settings.versions() == null) {
      return List.of();
    }
    return settings.versions().stream()
        .map(PriceLists::version)
        .sorted(Comparator.comparing(PriceList::getEffectiveFrom))
        .toList();
  }

  /** One configured version. */
  public static PriceList version(PriceVersionSettings v) {
    if (v.version() == null || v.version().isBlank()) {
      throw new IllegalArgumentException("prices.versions[].version must be set");
    }
    List<ModelTierPrice> prices = new ArrayList<>();
    Map<String, PriceEntry> models = v.models() == null ? Map.of() : v.models();
    models.forEach(
        (model, entry) -> {
          String path = "prices version " + v.version() + " model " + model;
          prices.add(price(model, STANDARD_TIER, entry, path));
          if (entry.tiers() != null) {
            entry
                .tiers()
                .forEach((tier, e) -> prices.add(price(model, tier, e, path + " tier " + tier)));
          }
        });
    return PriceList.newBuilder()
        .setVersion(v.version())
        .setEffectiveFrom(effectiveFrom(v))
        .setSource(v.source() == null ? "" : v.source())
        .setPrices(prices)
        .build();
  }

  /**
   * An instant ({@code 2026-12-01T00:00:00Z}) or a UTC date ({@code 2026-12-01}, its start);
   * missing: the epoch, so a single version prices everything.
   */
  public static Instant instant(String text, String what) {
    if (text == null || text.isBlank()) {
      return Instant.EPOCH;
    }
    try {
      return text.contains("T")
          ? Instant.parse(text)
          : LocalDate.parse(text).atStartOfDay(ZoneOffset.UTC).toInstant();
    } catch (DateTimeParseException e) {
      throw new IllegalArgumentException(
          what + ": '" + text + "' is neither an instant (2026-12-01T00:00:00Z) nor a date", e);
    }
  }

  private static Instant effectiveFrom(PriceVersionSettings v) {
    return instant(v.effectiveFrom(), "prices version " + v.version() + " effective-from");
  }

  private static ModelTierPrice price(String model, String tier, PriceEntry e, String path) {
    return ModelTierPrice.newBuilder()
        .setProviderModel(model)
        .setTier(tier)
        .setInputPerMillion(required(e.inputPerMillion(), path + " input-per-million"))
        .setOutputPerMillion(required(e.outputPerMillion(), path + " output-per-million"))
        .setCacheReadPerMillion(optional(e.cacheReadPerMillion(), path + " cache-read-per-million"))
        .setCacheWritePerMillion(
            optional(e.cacheWritePerMillion(), path + " cache-write-per-million"))
        .setCacheWrite1hPerMillion(
            optional(e.cacheWrite1hPerMillion(), path + " cache-write-1h-per-million"))
        .build();
  }

  private static BigDecimal required(String text, String what) {
    if (text == null) {
      throw new IllegalArgumentException(what + " must be set");
    }
    return optional(text, what);
  }

  private static BigDecimal optional(String text, String what) {
    if (text == null) {
      return null;
    }
    try {
      BigDecimal price = new BigDecimal(text.trim());
      if (price.signum() < 0) {
        throw new IllegalArgumentException(what + " must not be negative, was " + text);
      }
      return Usd.of(price);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(what + " is not a decimal number: '" + text + "'", e);
    }
  }
}
