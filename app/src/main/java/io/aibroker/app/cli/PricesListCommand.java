package io.aibroker.app.cli;

import io.aibroker.app.prices.PriceTopic;
import io.aibroker.records.PriceList;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code aibroker prices list}: the catalog's versions, or the prices of one. */
@Command(
    name = "list",
    mixinStandardHelpOptions = true,
    description = {
      "Prints the catalog's versions (id, effective-from, whether in effect now, number of prices,"
          + " source), or with --version or --at the prices of one version in USD per million"
          + " tokens: input, output, cache read, cache write and one-hour cache write.",
      "Table and CSV show the price each token class is billed at (a cache price not set is the"
          + " input price; a one-hour write not set, the cache-write price); JSON shows the"
          + " records as stored (null: that fallback)."
    },
    exitCodeListHeading = "Exit codes:%n",
    exitCodeList = {
      "0:printed",
      "1:invalid input or connection error",
      "2:no such version, or none in effect at the instant"
    })
final class PricesListCommand implements Callable<Integer> {

  @Spec CommandSpec spec;

  @Mixin ConfigOptions options;

  @Option(
      names = "--at",
      paramLabel = "INSTANT|DATE",
      description =
          "The prices of the version in effect at this instant (2026-12-01T12:00:00Z) or the start"
              + " of this UTC date (2026-12-01).")
  String at;

  @Option(names = "--version", paramLabel = "V", description = "The prices of this version.")
  String version;

  @Option(
      names = "--format",
      paramLabel = "FORMAT",
      defaultValue = "table",
      converter = PricesTable.FormatConverter.class,
      completionCandidates = PricesTable.FormatConverter.class,
      description = "One of ${COMPLETION-CANDIDATES} (default: ${DEFAULT-VALUE}).")
  PricesTable.Format format;

  @Override
  public Integer call() {
    if (at != null && version != null) {
      throw new ParameterException(spec.commandLine(), "give --at or --version, not both");
    }
    Instant instant = null;
    if (at != null) {
      try {
        instant = PricesChange.instant(at, "--at");
      } catch (IllegalArgumentException e) {
        throw new ParameterException(spec.commandLine(), e.getMessage());
      }
    }
    PriceTopic.Snapshot catalog;
    try (PricesStore store = new PricesStore(options.load(Map.of()))) {
      catalog = store.read();
    }
    var out = spec.commandLine().getOut();
    if (version == null && instant == null) {
      out.print(PricesTable.versions(catalog.versions().values(), Instant.now(), format));
      out.flush();
      return 0;
    }
    Optional<PriceList> chosen =
        version != null
            ? Optional.ofNullable(catalog.versions().get(version))
            : catalog.inEffectAt(instant);
    if (chosen.isEmpty()) {
      spec.commandLine()
          .getErr()
          .println(
              "aibroker: "
                  + (version != null
                      ? "no price version " + ControlCharacters.escape(version)
                      : "no price version is in effect at " + instant));
      return PricesCommand.EXIT_REFUSED;
    }
    out.print(PricesTable.prices(chosen.get(), format));
    out.flush();
    return 0;
  }
}
