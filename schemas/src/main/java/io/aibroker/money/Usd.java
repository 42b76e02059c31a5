package io.aibroker.money;

import java.math.BigDecimal;
import java.math.RoundingMode;

/**
 * US-dollar amounts as carried in aibroker's Avro records: {@code decimal(24, 10)}.
 *
 * <p>Avro refuses to write a {@link BigDecimal} whose scale differs from the schema's, so every
 * amount that goes into a record passes through {@link #of(BigDecimal)}.
 */
public final class Usd {

  /** Scale of every money field in the schemas (ten decimal places: sub-micro-dollar prices). */
  public static final int SCALE = 10;

  /** Zero dollars at the schema's scale. */
  public static final BigDecimal ZERO = BigDecimal.ZERO.setScale(SCALE);

  private Usd() {}

  /** The amount at the schema's scale, rounded half-even (banker's rounding) if needed. */
  public static BigDecimal of(BigDecimal amount) {
    return amount.setScale(SCALE, RoundingMode.HALF_EVEN);
  }

  /** Parses a decimal string such as {@code "25"} or {@code "0.0000015"}. */
  public static BigDecimal parse(String amount) {
    return of(new BigDecimal(amount.trim()));
  }
}
