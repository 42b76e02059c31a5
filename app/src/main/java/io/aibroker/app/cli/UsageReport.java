package io.aibroker.app.cli;

import io.aibroker.app.cli.TextTable.Align;
import io.aibroker.money.TierSavings;
import io.aibroker.records.UsageRollup;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;

/**
 * Usage rollups rendered for finance: requests, cache hits, tokens by class (input and output, and
 * of them cache reads, cache writes, one-hour cache writes and reasoning), cost and savings: what
 * cache hits saved, and what cheaper service tiers (batch, flex) saved against the standard tier
 * ({@link TierSavings}; negative for a dearer tier). Money is always in plain decimal notation,
 * never with an exponent: rounded to 6 decimals in the table, which is for reading, and at full
 * precision in CSV and JSON, which are for further processing.
 */
final class UsageReport {

  /** Output formats. */
  enum Format {
    /** Aligned columns with a TOTAL line. */
    TABLE,
    /** RFC 4180 CSV with a header line. */
    CSV,
    /** One JSON array of rollup objects. */
    JSON
  }

  /** Decimals of money in the table. */
  static final int TABLE_SCALE = 6;

  private static final DateTimeFormatter TABLE_TIME =
      DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm").withZone(ZoneOffset.UTC);

  private static final List<String> CSV_HEADER =
      List.of(
          "window_start",
          "tenant",
          "model",
          "provider",
          "provider_model",
          "requests",
          "cache_hits",
          "input_tokens",
          "output_tokens",
          "cost_usd",
          "saved_usd",
          // Appended, so that readers of the earlier columns by position still read them.
          "cache_read_tokens",
          "cache_write_tokens",
          "cache_write_1h_tokens",
          "reasoning_tokens",
          "saved_vs_standard_usd");

  private UsageReport() {}

  /** The rollups in the given format, in the order given. */
  static String render(List<UsageRollup> rollups, Format format) {
    return switch (format) {
      case TABLE -> table(rollups);
      case CSV -> csv(rollups);
      case JSON ->
          RecordJson.toJsonArray(
                  rollups,
                  (r, json) ->
                      json.put(
                          "savedVsStandard", TierSavings.savedVsStandard(r).stripTrailingZeros()))
              + "\n";
    };
  }

  /** Aligned columns, one line per rollup, and a TOTAL line under a rule. */
  static String table(List<UsageRollup> rollups) {
    TextTable table =
        new TextTable(
            List.of(
                "WINDOW START (UTC)",
                "TENANT",
                "MODEL",
                "PROVIDER",
                "PROVIDER MODEL",
                "REQUESTS",
                "CACHE HITS",
                "INPUT TOKENS",
                "OUTPUT TOKENS",
                "CACHE READ",
                "CACHE WRITE",
                "CACHE WRITE 1H",
                "REASONING",
                "COST USD",
                "SAVED USD",
                "SAVED VS STANDARD USD"),
            List.of(
                Align.LEFT,
                Align.LEFT,
                Align.LEFT,
                Align.LEFT,
                Align.LEFT,
                Align.RIGHT,
                Align.RIGHT,
                Align.RIGHT,
                Align.RIGHT,
                Align.RIGHT,
                Align.RIGHT,
                Align.RIGHT,
                Align.RIGHT,
                Align.RIGHT,
                Align.RIGHT,
                Align.RIGHT));
    long requests = 0;
    long cacheHits = 0;
    long inputTokens = 0;
    long outputTokens = 0;
    long cacheRead = 0;
    long cacheWrite = 0;
    long cacheWrite1h = 0;
    long reasoning = 0;
    BigDecimal cost = BigDecimal.ZERO;
    BigDecimal saved = BigDecimal.ZERO;
    BigDecimal savedVsStandard = BigDecimal.ZERO;
    for (UsageRollup r : rollups) {
      table.row(
          List.of(
              TABLE_TIME.format(r.getWindowStart()),
              r.getTenantId(),
              r.getModel(),
              r.getProvider(),
              r.getProviderModel(),
              Long.toString(r.getRequests()),
              Long.toString(r.getCacheHits()),
              Long.toString(r.getInputTokens()),
              Long.toString(r.getOutputTokens()),
              Long.toString(r.getCacheReadInputTokens()),
              Long.toString(r.getCacheWriteInputTokens()),
              Long.toString(r.getCacheWrite1hInputTokens()),
              Long.toString(r.getReasoningTokens()),
              rounded(r.getCost()),
              rounded(r.getSavedCost()),
              rounded(TierSavings.savedVsStandard(r))));
      requests += r.getRequests();
      cacheHits += r.getCacheHits();
      inputTokens += r.getInputTokens();
      outputTokens += r.getOutputTokens();
      cacheRead += r.getCacheReadInputTokens();
      cacheWrite += r.getCacheWriteInputTokens();
      cacheWrite1h += r.getCacheWrite1hInputTokens();
      reasoning += r.getReasoningTokens();
      cost = cost.add(r.getCost());
      saved = saved.add(r.getSavedCost());
      savedVsStandard = savedVsStandard.add(TierSavings.savedVsStandard(r));
    }
    // Totals add the exact amounts and round once, so they may differ from the sum of the
    // rounded lines by a few millionths.
    table.footer(
        List.of(
            "TOTAL",
            "",
            "",
            "",
            "",
            Long.toString(requests),
            Long.toString(cacheHits),
            Long.toString(inputTokens),
            Long.toString(outputTokens),
            Long.toString(cacheRead),
            Long.toString(cacheWrite),
            Long.toString(cacheWrite1h),
            Long.toString(reasoning),
            rounded(cost),
            rounded(saved),
            rounded(savedVsStandard)));
    return table.render();
  }

  /** A header line and one line per rollup. */
  static String csv(List<UsageRollup> rollups) {
    StringBuilder out = new StringBuilder(Csv.row(CSV_HEADER));
    for (UsageRollup r : rollups) {
      List<String> fields = new ArrayList<>();
      fields.add(r.getWindowStart().toString());
      fields.add(r.getTenantId());
      fields.add(r.getModel());
      fields.add(r.getProvider());
      fields.add(r.getProviderModel());
      fields.add(Long.toString(r.getRequests()));
      fields.add(Long.toString(r.getCacheHits()));
      fields.add(Long.toString(r.getInputTokens()));
      fields.add(Long.toString(r.getOutputTokens()));
      fields.add(exact(r.getCost()));
      fields.add(exact(r.getSavedCost()));
      fields.add(Long.toString(r.getCacheReadInputTokens()));
      fields.add(Long.toString(r.getCacheWriteInputTokens()));
      fields.add(Long.toString(r.getCacheWrite1hInputTokens()));
      fields.add(Long.toString(r.getReasoningTokens()));
      fields.add(exact(TierSavings.savedVsStandard(r)));
      out.append(Csv.row(fields));
    }
    return out.toString();
  }

  /** Money for reading: 6 decimals, half up. */
  static String rounded(BigDecimal amount) {
    return amount.setScale(TABLE_SCALE, RoundingMode.HALF_UP).toPlainString();
  }

  /** Money for processing: every significant digit, no trailing zeros. */
  static String exact(BigDecimal amount) {
    return amount.stripTrailingZeros().toPlainString();
  }
}
