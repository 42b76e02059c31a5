package io.aibroker.app.cli;

import io.aibroker.app.cli.TextTable.Align;
import io.aibroker.records.TenantCachePolicy;
import io.aibroker.records.TenantPolicy;
import java.math.BigDecimal;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Collection;
import java.util.List;

/**
 * Tenant policies as an aligned table. A dash marks a setting the tenant leaves to the configured
 * default.
 */
final class TenantTable {

  private static final String DEFAULT = "-";
  private static final DateTimeFormatter UTC =
      DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss").withZone(ZoneOffset.UTC);

  private TenantTable() {}

  /** The policies, one line each, in the order given. */
  static String render(Collection<TenantPolicy> policies) {
    TextTable table =
        new TextTable(
            List.of(
                "TENANT",
                "RPM",
                "TPM",
                "MAX CONCURRENT",
                "DAILY USD",
                "MONTHLY USD",
                "OVER LIMIT",
                "ALLOWED MODELS",
                "CACHE TTL",
                "CACHE SHARED",
                "UPDATED (UTC)"),
            List.of(
                Align.LEFT,
                Align.RIGHT,
                Align.RIGHT,
                Align.RIGHT,
                Align.RIGHT,
                Align.RIGHT,
                Align.LEFT,
                Align.LEFT,
                Align.RIGHT,
                Align.LEFT,
                Align.LEFT));
    for (TenantPolicy p : policies) {
      TenantCachePolicy cache = p.getCache();
      table.row(
          List.of(
              p.getTenantId(),
              text(p.getRequestsPerMinute()),
              text(p.getTokensPerMinute()),
              text(p.getMaxConcurrent()),
              usd(p.getDailyBudgetUsd()),
              usd(p.getMonthlyBudgetUsd()),
              p.getOverLimit().name(),
              p.getAllowedModels().isEmpty() ? "(all)" : String.join(",", p.getAllowedModels()),
              cache == null ? DEFAULT : ttl(cache.getDefaultTtlSeconds()),
              cache != null && cache.getShared() ? "yes" : "no",
              UTC.format(p.getUpdatedAt())));
    }
    return table.render();
  }

  private static String text(Number value) {
    return value == null ? DEFAULT : value.toString();
  }

  private static String usd(BigDecimal amount) {
    return amount == null ? DEFAULT : amount.stripTrailingZeros().toPlainString();
  }

  /** Seconds in the largest whole unit, as {@code --cache-ttl} accepts them (1h, 90m, 45s). */
  static String ttl(Integer seconds) {
    if (seconds == null) {
      return DEFAULT;
    }
    if (seconds % 86_400 == 0) {
      return seconds / 86_400 + "d";
    }
    if (seconds % 3_600 == 0) {
      return seconds / 3_600 + "h";
    }
    if (seconds % 60 == 0) {
      return seconds / 60 + "m";
    }
    return seconds + "s";
  }
}
