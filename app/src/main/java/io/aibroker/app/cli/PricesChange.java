package io.aibroker.app.cli;

import io.aibroker.app.config.PriceLists;
import io.aibroker.money.Usd;
import io.aibroker.records.ModelTierPrice;
import io.aibroker.records.PriceList;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * What {@code aibroker prices set} and {@code import} write, checked: a new price version made of
 * the latest one with one model's tier price replaced or added, and the bounds every version on the
 * prices topic keeps (ids, model names, tiers, amounts the schema's {@code decimal(24, 10)} holds
 * exactly).
 */
final class PricesChange {

  /** Version ids: they name usage events, so short and plain. */
  static final Pattern VERSION_ID = Pattern.compile("[A-Za-z0-9._:+-]{1,64}");

  /** Service tiers: standard, flex, priority, batch, or another provider's plain name. */
  static final Pattern TIER = Pattern.compile("[a-z0-9_-]{1,32}");

  /** Longest provider model id (Bedrock inference profile ARNs stay well under). */
  static final int MAX_MODEL_CHARS = 256;

  /** Most prices in one version. */
  static final int MAX_PRICES = 10_000;

  /** Digits before the decimal point that {@code decimal(24, 10)} holds. */
  private static final int MAX_INTEGER_DIGITS = 24 - Usd.SCALE;

  private static final DateTimeFormatter ID_TIME =
      DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmssSSS'Z'").withZone(ZoneOffset.UTC);

  private PricesChange() {}

  /**
   * A version id from the time it was written, to the millisecond ({@code 20261206T220305123Z}), so
   * that two changes within a second get ids of their own.
   */
  static String defaultVersionId(Instant now) {
    return ID_TIME.format(now);
  }

  /**
   * A price given on the command line: a non-negative decimal with at most ten decimal places (more
   * would be rounded, and a price must be billed as written).
   *
   * @param option the option's name, for the message
   */
  static BigDecimal price(String text, String option) {
    if (text == null) {
      return null;
    }
    BigDecimal price;
    try {
      price = new BigDecimal(text.strip());
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(
          option
              + ": '"
              + ControlCharacters.escape(text)
              + "' is not a price in USD per million tokens (try 2.50 or 0.3)");
    }
    return checkAmount(price, option);
  }

  /** A price of a version from a file: the same bounds as on the command line. */
  private static BigDecimal checkAmount(BigDecimal price, String what) {
    if (price.signum() < 0) {
      throw new IllegalArgumentException(
          what + ": a price must not be negative, was " + price.toPlainString());
    }
    BigDecimal stripped = price.stripTrailingZeros();
    if (stripped.scale() > Usd.SCALE) {
      throw new IllegalArgumentException(
          what
              + ": at most "
              + Usd.SCALE
              + " decimal places (USD per million tokens), was "
              + price.toPlainString());
    }
    if (stripped.precision() - stripped.scale() > MAX_INTEGER_DIGITS) {
      throw new IllegalArgumentException(
          what + ": too large a price, was " + price.toPlainString());
    }
    return Usd.of(price);
  }

  /** Checks a version id. */
  static String versionId(String id) {
    if (id == null || !VERSION_ID.matcher(id).matches()) {
      throw new IllegalArgumentException(
          "version id '"
              + ControlCharacters.escape(String.valueOf(id))
              + "': use 1-64 letters, digits and . _ : + -");
    }
    return id;
  }

  /** Checks a provider model id. */
  static String model(String model) {
    if (model == null
        || model.isBlank()
        || model.length() > MAX_MODEL_CHARS
        || model.codePoints().anyMatch(Character::isISOControl)) {
      throw new IllegalArgumentException(
          "model '"
              + ControlCharacters.escape(String.valueOf(model))
              + "': a provider model id of 1-"
              + MAX_MODEL_CHARS
              + " characters without control characters");
    }
    return model;
  }

  /** Checks a service tier. */
  static String tier(String tier) {
    if (tier == null || !TIER.matcher(tier).matches()) {
      throw new IllegalArgumentException(
          "tier '"
              + ControlCharacters.escape(String.valueOf(tier))
              + "': standard, flex, priority, batch (1-32 of a-z 0-9 _ -)");
    }
    return tier;
  }

  /** Checks every bound of a version (one read from a file, say); returns it. */
  static PriceList check(PriceList version) {
    versionId(version.getVersion());
    if (version.getPrices().size() > MAX_PRICES) {
      throw new IllegalArgumentException(
          "version " + version.getVersion() + ": more than " + MAX_PRICES + " prices");
    }
    List<String> seen = new ArrayList<>();
    for (ModelTierPrice p : version.getPrices()) {
      String where = "version " + version.getVersion() + " model " + model(p.getProviderModel());
      tier(p.getTier());
      String key = p.getProviderModel() + "\u0000" + p.getTier();
      if (seen.contains(key)) {
        throw new IllegalArgumentException(where + ": tier " + p.getTier() + " priced twice");
      }
      seen.add(key);
      checkAmount(p.getInputPerMillion(), where + " input");
      checkAmount(p.getOutputPerMillion(), where + " output");
      if (p.getCacheReadPerMillion() != null) {
        checkAmount(p.getCacheReadPerMillion(), where + " cache read");
      }
      if (p.getCacheWritePerMillion() != null) {
        checkAmount(p.getCacheWritePerMillion(), where + " cache write");
      }
      if (p.getCacheWrite1hPerMillion() != null) {
        checkAmount(p.getCacheWrite1hPerMillion(), where + " cache write 1h");
      }
    }
    return version;
  }

  /**
   * The new version: {@code base}'s prices (none without a base) with {@code price}'s model and
   * tier replaced, or added after the others.
   */
  static PriceList apply(
      Optional<PriceList> base,
      ModelTierPrice price,
      String versionId,
      Instant effectiveFrom,
      String source) {
    List<ModelTierPrice> prices = new ArrayList<>();
    boolean replaced = false;
    for (ModelTierPrice p : base.map(PriceList::getPrices).orElse(List.of())) {
      if (p.getProviderModel().equals(price.getProviderModel())
          && p.getTier().equals(price.getTier())) {
        prices.add(price);
        replaced = true;
      } else {
        prices.add(p);
      }
    }
    if (!replaced) {
      prices.add(price);
    }
    return check(
        PriceList.newBuilder()
            .setVersion(versionId)
            .setEffectiveFrom(effectiveFrom)
            .setSource(source)
            .setPrices(prices)
            .build());
  }

  /** The source a version written by {@code prices set} names when none is given. */
  static String defaultSource(ModelTierPrice price, Optional<PriceList> base) {
    return "aibroker prices set "
        + price.getProviderModel()
        + " "
        + price.getTier()
        + base.map(b -> " over version " + b.getVersion()).orElse("");
  }

  /** An instant or a UTC date (its start), as in the configuration's {@code effective-from}. */
  static Instant instant(String text, String option) {
    if (text == null || text.isBlank()) {
      throw new IllegalArgumentException(option + ": give an instant or a date");
    }
    return PriceLists.instant(text.strip(), option);
  }

  /** The standard tier's name. */
  static String standardTier() {
    return PriceLists.STANDARD_TIER;
  }
}
