package io.aibroker.app.cli;

import io.aibroker.app.prices.PriceTopic;
import io.aibroker.records.ModelTierPrice;
import io.aibroker.records.PriceList;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code aibroker prices set}: a new price version, the latest one (by effective-from) with one
 * model's price at one tier replaced or added. Versions are never edited in place unless {@code
 * --replace} says so, since usage events already priced by a version name it.
 */
@Command(
    name = "set",
    mixinStandardHelpOptions = true,
    description = {
      "Writes a new price version: the latest version (by effective-from) with this model's price"
          + " at this tier replaced or added. Prices are USD per million tokens; cache prices left"
          + " out fall back to the input price (the one-hour write: to the cache-write price).",
      "The broker prices requests completing from --effective-from on with it, without a restart."
    },
    exitCodeListHeading = "Exit codes:%n",
    exitCodeList = {
      "0:the version was written",
      "1:invalid input (a malformed or negative price, say) or connection error",
      "2:the version id exists (give --replace to overwrite it)"
    })
final class PricesSetCommand implements Callable<Integer> {

  @Spec CommandSpec spec;

  @Mixin ConfigOptions options;

  @Option(
      names = "--model",
      paramLabel = "M",
      required = true,
      description = "Provider model id, e.g. anthropic.claude-sonnet-4-20250514-v1:0 or gpt-4o.")
  String model;

  @Option(
      names = "--tier",
      paramLabel = "T",
      description = "Service tier: standard (default), flex, priority or batch.")
  String tier;

  @Option(names = "--input", paramLabel = "X", required = true, description = "Input price.")
  String input;

  @Option(names = "--output", paramLabel = "Y", required = true, description = "Output price.")
  String output;

  @Option(names = "--cache-read", paramLabel = "R", description = "Cache-read price.")
  String cacheRead;

  @Option(
      names = "--cache-write",
      paramLabel = "W",
      description = "Cache-write price (the default, five-minute lifetime).")
  String cacheWrite;

  @Option(
      names = "--cache-write-1h",
      paramLabel = "H",
      description = "Cache-write price of the one-hour lifetime.")
  String cacheWrite1h;

  @Option(
      names = "--version",
      paramLabel = "V",
      description = "Id of the new version (default: the time, e.g. 20261206T220305123Z).")
  String version;

  @Option(
      names = "--effective-from",
      paramLabel = "INSTANT|DATE",
      description = "When it takes effect: an instant or the start of a UTC date (default: now).")
  String effectiveFrom;

  @Option(
      names = "--source",
      paramLabel = "S",
      description = "Where the prices come from (a price page and the date it was read).")
  String source;

  @Option(
      names = "--replace",
      description = "Overwrite the version if its id exists (events it priced keep their cost).")
  boolean replace;

  @Override
  public Integer call() {
    Instant now = Instant.now().truncatedTo(ChronoUnit.MILLIS);
    ModelTierPrice price;
    String versionId;
    Instant from;
    try {
      price = price();
      versionId =
          PricesChange.versionId(version != null ? version : PricesChange.defaultVersionId(now));
      from = effectiveFrom != null ? PricesChange.instant(effectiveFrom, "--effective-from") : now;
      if (source != null && (source.length() > 1_000 || source.chars().anyMatch(c -> c < 0x20))) {
        throw new IllegalArgumentException("--source: at most 1,000 characters on one line");
      }
    } catch (IllegalArgumentException e) {
      throw new ParameterException(spec.commandLine(), e.getMessage());
    }
    try (PricesStore store = new PricesStore(options.load(Map.of()))) {
      PriceTopic.Snapshot catalog = store.read();
      if (catalog.knows(versionId) && !replace) {
        spec.commandLine()
            .getErr()
            .println(
                "aibroker: price version "
                    + versionId
                    + " exists; choose another --version, or give --replace to overwrite it");
        return PricesCommand.EXIT_REFUSED;
      }
      Optional<PriceList> base = catalog.latest();
      PriceList written =
          PricesChange.apply(
              base,
              price,
              versionId,
              from,
              source != null ? source : PricesChange.defaultSource(price, base));
      store.write(List.of(written));
      var out = spec.commandLine().getOut();
      out.println(
          "wrote price version "
              + written.getVersion()
              + " to "
              + store.topicName()
              + ": effective from "
              + written.getEffectiveFrom()
              + ", "
              + written.getPrices().size()
              + " prices"
              + base.map(b -> ", based on version " + b.getVersion()).orElse(""));
      out.print(PricesTable.prices(written, PricesTable.Format.TABLE));
      out.flush();
      return 0;
    }
  }

  private ModelTierPrice price() {
    return ModelTierPrice.newBuilder()
        .setProviderModel(PricesChange.model(model))
        .setTier(PricesChange.tier(tier != null ? tier : PricesChange.standardTier()))
        .setInputPerMillion(PricesChange.price(input, "--input"))
        .setOutputPerMillion(PricesChange.price(output, "--output"))
        .setCacheReadPerMillion(PricesChange.price(cacheRead, "--cache-read"))
        .setCacheWritePerMillion(PricesChange.price(cacheWrite, "--cache-write"))
        .setCacheWrite1hPerMillion(PricesChange.price(cacheWrite1h, "--cache-write-1h"))
        .build();
  }
}
