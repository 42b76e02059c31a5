package io.aibroker.app.cli;

import io.aibroker.app.config.AppConfig;
import io.aibroker.app.config.ComponentConfigs;
import io.aibroker.records.RollupWindow;
import io.aibroker.records.UsageRollup;
import io.aibroker.registry.RestSchemaRegistryClient;
import io.aibroker.registry.SchemaRegistryConfig;
import io.aibroker.schemas.RecordSerdes;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code aibroker usage}: reports spend and tokens per tenant, model and provider from the usage
 * rollups topic, for finance.
 */
@Command(
    name = "usage",
    mixinStandardHelpOptions = true,
    description = {
      "Reports usage per window, tenant, model and provider from the usage rollups:"
          + " requests, cache hits, tokens, cost and savings in USD.",
      "Each window counts once, with its latest totals."
    })
public final class UsageCommand implements Callable<Integer> {

  private static final Duration TIMEOUT = Duration.ofSeconds(15);

  /**
   * How far before the report's start to begin reading. A rollup's record timestamp normally lies
   * within its window, but one written late (e.g. for a request that waited in a queue) may carry
   * an earlier one; one longest window of slack keeps such records in the report.
   */
  private static final Duration SEEK_SLACK = Duration.ofDays(1);

  @Spec CommandSpec spec;

  @Mixin ConfigOptions options;

  @Option(names = "--tenant", paramLabel = "TENANT", description = "Only this tenant's usage.")
  String tenant;

  @Option(
      names = "--since",
      paramLabel = "DURATION",
      defaultValue = "24h",
      converter = DurationConverter.class,
      description =
          "Windows starting at most this long ago, e.g. 24h, 7d (default: ${DEFAULT-VALUE}).")
  Duration since;

  @Option(
      names = "--window",
      paramLabel = "SIZE",
      defaultValue = "hour",
      converter = WindowConverter.class,
      completionCandidates = WindowConverter.class,
      description =
          "Window size, one of ${COMPLETION-CANDIDATES} (default: ${DEFAULT-VALUE}); hours and"
              + " days are never mixed, so totals count each request once.")
  RollupWindow window;

  @Option(
      names = "--format",
      paramLabel = "FORMAT",
      defaultValue = "table",
      converter = FormatConverter.class,
      completionCandidates = FormatConverter.class,
      description =
          "table (aligned, with a TOTAL line), csv (RFC 4180) or json (one array)"
              + " (default: ${DEFAULT-VALUE}).")
  UsageReport.Format format;

  @Override
  public Integer call() {
    if (since.isZero() || since.isNegative()) {
      throw new ParameterException(spec.commandLine(), "--since must be longer than 0s");
    }
    AppConfig config = options.load(Map.of());
    Instant now = Instant.now();
    Instant start = startOf(now);
    String topic = ComponentConfigs.topics(config).usageRollups();
    try (var registry =
        new RestSchemaRegistryClient(SchemaRegistryConfig.of(Endpoints.registryUrl(config)))) {
      var entries =
          new TopicSnapshot(Endpoints.kafkaClient(config), TIMEOUT)
              .read(topic, new RecordSerdes(registry).rollups().deserializer(), seekFrom(start));
      List<UsageRollup> rollups = UsageLedger.current(entries, tenant, window, start);
      System.out.print(UsageReport.render(rollups, format));
      System.out.flush();
      return 0;
    }
  }

  private Instant startOf(Instant now) {
    long seconds = Math.min(since.getSeconds(), now.getEpochSecond());
    return now.minusSeconds(seconds);
  }

  private static Instant seekFrom(Instant start) {
    Instant from = start.minus(SEEK_SLACK);
    // Kafka refuses negative timestamps: a report reaching back before 1970 reads everything.
    return from.isBefore(Instant.EPOCH) ? null : from;
  }

  /** Reads {@code hour} or {@code day}. */
  static final class WindowConverter extends LowerCaseEnumConverter<RollupWindow> {
    WindowConverter() {
      super(RollupWindow.class);
    }
  }

  /** Reads {@code table}, {@code csv} or {@code json}. */
  static final class FormatConverter extends LowerCaseEnumConverter<UsageReport.Format> {
    FormatConverter() {
      super(UsageReport.Format.class);
    }
  }
}
