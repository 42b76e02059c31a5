package io.aibroker.app.cli;

import io.aibroker.app.prices.PriceTopic;
import io.aibroker.records.ModelTierPrice;
import io.aibroker.records.PriceList;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * How {@code aibroker prices list} prints the catalog: its versions, or the prices of one version,
 * as an aligned table, CSV (RFC 4180, CRLF) or JSON (the records, a null cache price meaning its
 * fallback). Table and CSV show the price each token class is billed at, fallbacks resolved: a
 * cache read or write price not set is the input price, a one-hour write not set the write price.
 */
final class PricesTable {

  /** Output formats. */
  enum Format {
    TABLE,
    CSV,
    JSON
  }

  static final List<String> VERSION_COLUMNS =
      List.of("VERSION", "EFFECTIVE FROM", "IN EFFECT", "PRICES", "SOURCE");

  static final List<String> PRICE_COLUMNS =
      List.of("MODEL", "TIER", "INPUT", "OUTPUT", "CACHE READ", "CACHE WRITE", "CACHE WRITE 1H");

  private PricesTable() {}

  /** The versions, oldest effective first; the one in effect at {@code now} is marked. */
  static String versions(Collection<PriceList> versions, Instant now, Format format) {
    if (format == Format.JSON) {
      return RecordJson.toJsonArray(versions) + System.lineSeparator();
    }
    Optional<String> current =
        versions.stream()
            .filter(v -> !v.getEffectiveFrom().isAfter(now))
            .max(PriceTopic.ORDER)
            .map(PriceList::getVersion);
    List<List<String>> rows = new ArrayList<>();
    for (PriceList v : versions) {
      rows.add(
          List.of(
              v.getVersion(),
              v.getEffectiveFrom().toString(),
              current.filter(v.getVersion()::equals).isPresent() ? "yes" : "",
              Integer.toString(v.getPrices().size()),
              v.getSource()));
    }
    return render(
        VERSION_COLUMNS,
        List.of(
            TextTable.Align.LEFT,
            TextTable.Align.LEFT,
            TextTable.Align.LEFT,
            TextTable.Align.RIGHT,
            TextTable.Align.LEFT),
        rows,
        format);
  }

  /** One version's prices in USD per million tokens, by model then tier. */
  static String prices(PriceList version, Format format) {
    if (format == Format.JSON) {
      return RecordJson.toJson(version) + System.lineSeparator();
    }
    List<List<String>> rows = new ArrayList<>();
    version.getPrices().stream()
        .sorted(
            Comparator.comparing(ModelTierPrice::getProviderModel)
                .thenComparing(ModelTierPrice::getTier))
        .forEach(
            p -> {
              BigDecimal write = orElse(p.getCacheWritePerMillion(), p.getInputPerMillion());
              rows.add(
                  List.of(
                      p.getProviderModel(),
                      p.getTier(),
                      amount(p.getInputPerMillion()),
                      amount(p.getOutputPerMillion()),
                      amount(orElse(p.getCacheReadPerMillion(), p.getInputPerMillion())),
                      amount(write),
                      amount(orElse(p.getCacheWrite1hPerMillion(), write))));
            });
    String table =
        render(
            PRICE_COLUMNS,
            List.of(
                TextTable.Align.LEFT,
                TextTable.Align.LEFT,
                TextTable.Align.RIGHT,
                TextTable.Align.RIGHT,
                TextTable.Align.RIGHT,
                TextTable.Align.RIGHT,
                TextTable.Align.RIGHT),
            rows,
            format);
    if (format == Format.CSV) {
      return table;
    }
    return "version "
        + ControlCharacters.escape(version.getVersion())
        + ", effective from "
        + version.getEffectiveFrom()
        + (version.getSource().isEmpty()
            ? ""
            : " (" + ControlCharacters.escape(version.getSource()) + ")")
        + "; USD per million tokens"
        + System.lineSeparator()
        + table;
  }

  /** A price as plain decimal text without trailing zeros ({@code 2.5}, {@code 0.3}, {@code 0}). */
  static String amount(BigDecimal amount) {
    return amount.signum() == 0 ? "0" : amount.stripTrailingZeros().toPlainString();
  }

  private static BigDecimal orElse(BigDecimal price, BigDecimal fallback) {
    return price != null ? price : fallback;
  }

  private static String render(
      List<String> headers, List<TextTable.Align> aligns, List<List<String>> rows, Format format) {
    if (format == Format.CSV) {
      StringBuilder csv = new StringBuilder(Csv.row(headers));
      rows.forEach(r -> csv.append(Csv.row(r)));
      return csv.toString();
    }
    TextTable table = new TextTable(headers, aligns);
    rows.forEach(table::row);
    return table.render();
  }

  /** Reads {@code table}, {@code csv} or {@code json}. */
  static final class FormatConverter extends LowerCaseEnumConverter<Format> {
    FormatConverter() {
      super(Format.class);
    }
  }
}
