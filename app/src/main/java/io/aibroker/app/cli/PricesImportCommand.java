package io.aibroker.app.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.aibroker.app.config.AppConfig.PriceVersionSettings;
import io.aibroker.app.config.PriceLists;
import io.aibroker.app.prices.PriceTopic;
import io.aibroker.records.PriceList;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code aibroker prices import FILE}: writes the price versions of a YAML file shaped like the
 * configuration's {@code prices.versions} list. Every version is checked before any is written.
 */
@Command(
    name = "import",
    mixinStandardHelpOptions = true,
    description = {
      "Writes the price versions of a YAML file shaped like the configuration's prices.versions:"
          + " a list of {version, effective-from, source, models: {MODEL: {input-per-million,"
          + " output-per-million, cache-read-per-million, cache-write-per-million,"
          + " cache-write-1h-per-million, tiers: {TIER: {...}}}}}, at the top level or under"
          + " versions: or prices.versions:. Prints what it wrote.",
      "Every version is checked first; nothing is written if one is invalid or its id exists."
    },
    exitCodeListHeading = "Exit codes:%n",
    exitCodeList = {
      "0:the versions were written",
      "1:invalid file or connection error",
      "2:a version id exists (give --replace to overwrite)"
    })
final class PricesImportCommand implements Callable<Integer> {

  /** Largest file read: a catalog is a few kilobytes per version. */
  static final long MAX_FILE_BYTES = 4L * 1024 * 1024;

  private static final ObjectMapper YAML =
      new ObjectMapper(new YAMLFactory())
          .setPropertyNamingStrategy(PropertyNamingStrategies.KEBAB_CASE)
          .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

  @Spec CommandSpec spec;

  @Mixin ConfigOptions options;

  @Parameters(paramLabel = "FILE", description = "YAML file of price versions.")
  Path file;

  @Option(names = "--replace", description = "Overwrite versions whose ids exist.")
  boolean replace;

  @Override
  public Integer call() {
    List<PriceList> versions;
    try {
      versions = parse(read(file));
    } catch (IllegalArgumentException e) {
      throw new ParameterException(spec.commandLine(), file + ": " + e.getMessage());
    }
    try (PricesStore store = new PricesStore(options.load(Map.of()))) {
      PriceTopic.Snapshot catalog = store.read();
      List<String> existing =
          versions.stream().map(PriceList::getVersion).filter(catalog::knows).toList();
      if (!existing.isEmpty() && !replace) {
        spec.commandLine()
            .getErr()
            .println(
                "aibroker: price versions "
                    + existing
                    + " exist; nothing was written (give --replace to overwrite them)");
        return PricesCommand.EXIT_REFUSED;
      }
      store.write(versions);
      var out = spec.commandLine().getOut();
      for (PriceList v : versions) {
        out.println(
            "wrote price version "
                + v.getVersion()
                + " to "
                + store.topicName()
                + ": effective from "
                + v.getEffectiveFrom()
                + ", "
                + v.getPrices().size()
                + " prices"
                + (existing.contains(v.getVersion()) ? " (replaced)" : ""));
      }
      out.flush();
      return 0;
    }
  }

  private static String read(Path file) {
    try {
      if (Files.size(file) > MAX_FILE_BYTES) {
        throw new IllegalArgumentException("larger than " + MAX_FILE_BYTES + " bytes");
      }
      return Files.readString(file);
    } catch (IOException e) {
      throw new IllegalArgumentException("cannot read it (" + e.getMessage() + ")");
    }
  }

  /** The versions of the file's text, checked, in file order; duplicate ids are refused. */
  static List<PriceList> parse(String yaml) {
    JsonNode root;
    try {
      root = YAML.readTree(yaml);
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException("not YAML: " + e.getOriginalMessage());
    }
    JsonNode list = root;
    if (list != null && list.isObject() && list.has("prices")) {
      list = list.get("prices");
    }
    if (list != null && list.isObject() && list.has("versions")) {
      list = list.get("versions");
    }
    if (list == null || !list.isArray() || list.isEmpty()) {
      throw new IllegalArgumentException(
          "expected a list of price versions (at the top level, or under versions: or"
              + " prices.versions:)");
    }
    List<PriceList> versions = new ArrayList<>();
    Set<String> ids = new LinkedHashSet<>();
    for (JsonNode node : list) {
      PriceVersionSettings settings;
      try {
        settings = YAML.treeToValue(node, PriceVersionSettings.class);
      } catch (JsonProcessingException e) {
        throw new IllegalArgumentException("invalid price version: " + e.getOriginalMessage());
      }
      if (settings == null) {
        throw new IllegalArgumentException("an empty price version");
      }
      PriceList version = PricesChange.check(PriceLists.version(settings));
      if (!ids.add(version.getVersion())) {
        throw new IllegalArgumentException("version " + version.getVersion() + " appears twice");
      }
      versions.add(version);
    }
    return versions;
  }
}
