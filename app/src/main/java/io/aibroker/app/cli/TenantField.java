package io.aibroker.app.cli;

import java.util.Arrays;
import java.util.Iterator;
import java.util.Locale;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/**
 * The settings of a tenant policy that {@code aibroker tenants set --clear} can reset, named like
 * the options that set them.
 */
public enum TenantField {
  /** Requests per minute. */
  RPM("rpm"),
  /** Tokens per minute. */
  TPM("tpm"),
  /** Requests in flight at once. */
  MAX_CONCURRENT("max-concurrent"),
  /** Spend per UTC day. */
  DAILY_BUDGET_USD("daily-budget-usd"),
  /** Spend per UTC month. */
  MONTHLY_BUDGET_USD("monthly-budget-usd"),
  /** What happens over a limit (cleared: REJECT). */
  OVER_LIMIT("over-limit"),
  /** Models the tenant may use (cleared: all). */
  ALLOWED_MODELS("allowed-models"),
  /** Default cache TTL. */
  CACHE_TTL("cache-ttl"),
  /** Cache sharing (cleared: tenant-scoped). */
  CACHE_SHARED("cache-shared");

  private final String optionName;

  TenantField(String optionName) {
    this.optionName = optionName;
  }

  /** The name used on the command line, e.g. {@code daily-budget-usd}. */
  public String optionName() {
    return optionName;
  }

  /** The field named by a command-line name, case-insensitively. */
  public static TenantField fromOptionName(String name) {
    String wanted = name.strip().toLowerCase(Locale.ROOT);
    return Arrays.stream(values())
        .filter(f -> f.optionName.equals(wanted))
        .findFirst()
        .orElseThrow(
            () ->
                new IllegalArgumentException(
                    "'"
                        + name
                        + "' is not a tenant setting; valid: "
                        + String.join(", ", names())));
  }

  private static Iterable<String> names() {
    return Arrays.stream(values()).map(TenantField::optionName).toList();
  }

  /** Converts command-line names for picocli. */
  public static final class Converter implements ITypeConverter<TenantField> {
    @Override
    public TenantField convert(String value) {
      try {
        return fromOptionName(value);
      } catch (IllegalArgumentException e) {
        throw new TypeConversionException(e.getMessage());
      }
    }
  }

  /** The command-line names, for picocli's help. */
  public static final class Names implements Iterable<String> {
    @Override
    public Iterator<String> iterator() {
      return names().iterator();
    }
  }
}
