package io.aibroker.app.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.aibroker.app.cli.CliCluster.Run;
import io.aibroker.records.RollupWindow;
import io.aibroker.records.UsageRollup;
import io.aibroker.topics.Topics;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.StreamSupport;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code aibroker usage} over rollups on a real Kafka topic. */
class UsageCommandIT {

  private static final ObjectMapper JSON =
      new ObjectMapper().enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS);

  @TempDir static Path dir;
  static CliCluster cluster;

  /** The hour before the current one: always inside the default 24h. */
  static Instant lastHour;

  @BeforeAll
  static void start() throws Exception {
    cluster = CliCluster.start(dir);
    Instant hour = Instant.now().truncatedTo(ChronoUnit.HOURS);
    lastHour = hour.minus(Duration.ofHours(1));
    Instant twoHoursAgo = hour.minus(Duration.ofHours(2));
    Instant today = Instant.now().truncatedTo(ChronoUnit.DAYS);
    Instant longAgo = hour.minus(Duration.ofHours(30));
    List<UsageRollup> rollups = new ArrayList<>();
    // The first acme record of two hours ago is superseded by the second one.
    rollups.add(
        Rollups.rollup("acme", "chat-default", RollupWindow.HOUR, twoHoursAgo, 1, "0.5", "0"));
    // globex's calls were batch jobs at half the standard price
    rollups.add(
        Rollups.atStandard(
            Rollups.rollup(
                "globex", "chat-large", RollupWindow.HOUR, lastHour, 10, "12.3456789", "1.5"),
            "24.6913578"));
    rollups.add(
        Rollups.rollup("acme", "chat-default", RollupWindow.HOUR, twoHoursAgo, 3, "1.5", "0"));
    rollups.add(
        Rollups.rollup(
            "acme", "chat-default", RollupWindow.HOUR, lastHour, 2, "0.0000015", "0.25"));
    // Outside the default --since 24h.
    rollups.add(Rollups.rollup("acme", "chat-default", RollupWindow.HOUR, longAgo, 100, "99", "0"));
    // Day windows are reported only with --window day.
    rollups.add(
        Rollups.rollup("acme", "chat-default", RollupWindow.DAY, today, 5, "2.0000015", "0.25"));
    rollups.add(
        Rollups.rollup("globex", "chat-large", RollupWindow.DAY, today, 10, "12.3456789", "1.5"));
    cluster.produce(
        Topics.defaults().usageRollups(),
        cluster.serdes().rollups().serializer(),
        rollups.stream()
            .map(r -> new ProducerRecord<>(Topics.defaults().usageRollups(), r.getTenantId(), r))
            .toList());
  }

  @AfterAll
  static void stop() {
    if (cluster != null) {
      cluster.close();
    }
  }

  private static Run usage(String... args) {
    String[] full = new String[args.length + 1];
    full[0] = "usage";
    System.arraycopy(args, 0, full, 1, args.length);
    Run run = cluster.run(full);
    assertThat(run.exitCode()).as(run.err()).isZero();
    return run;
  }

  private static String[] total(Run table) {
    List<String> lines = table.out().lines().toList();
    return lines.getLast().split(" +");
  }

  @Test
  void tableShowsTheLatestRollupOfEachHourOfTheLastDayWithATotal() {
    Run run = usage();

    List<String> lines = run.out().lines().toList();
    assertThat(lines.get(0))
        .startsWith("WINDOW START (UTC)")
        .endsWith("COST USD  SAVED USD  SAVED VS STANDARD USD");
    assertThat(lines).hasSize(1 + 3 + 2);
    assertThat(lines.get(1)).contains("acme", "chat-default", "simulated", "sim-chat-default");
    assertThat(lines.get(1).split(" +")).contains("3", "1.500000");
    assertThat(lines.get(2)).contains("acme").contains("0.000002");
    assertThat(lines.get(3)).contains("globex").contains("12.345679");
    assertThat(total(run))
        .containsExactly(
            "TOTAL",
            "15",
            "7",
            "1500",
            "150",
            "600",
            "300",
            "75",
            "45",
            "13.845680",
            "1.750000",
            "12.345679");
  }

  @Test
  void tenantFilterKeepsOnlyThatTenant() {
    Run run = usage("--tenant", "acme");

    assertThat(run.out()).doesNotContain("globex");
    assertThat(total(run))
        .containsExactly(
            "TOTAL",
            "5",
            "2",
            "500",
            "50",
            "200",
            "100",
            "25",
            "15",
            "1.500002",
            "0.250000",
            "0.000000");
  }

  @Test
  void sinceReachesFurtherBack() {
    Run run = usage("--since", "48h");

    assertThat(total(run)[1]).isEqualTo("115");
  }

  @Test
  void dayWindowsAreReportedOnTheirOwn() {
    Run run = usage("--window", "day");

    assertThat(run.out().lines()).hasSize(1 + 2 + 2);
    assertThat(total(run)[1]).isEqualTo("15");
    assertThat(total(run)[9]).isEqualTo("14.345680");
  }

  @Test
  void csvHasAHeaderAndOneRowPerWindowAtFullPrecision() {
    Run run = usage("--format", "csv");

    String[] lines = run.out().split("\r\n");
    assertThat(lines).hasSize(4);
    assertThat(lines[0])
        .isEqualTo(
            "window_start,tenant,model,provider,provider_model,requests,cache_hits,input_tokens,"
                + "output_tokens,cost_usd,saved_usd,cache_read_tokens,cache_write_tokens,"
                + "cache_write_1h_tokens,reasoning_tokens,saved_vs_standard_usd");
    assertThat(lines[2])
        .isEqualTo(
            lastHour
                + ",acme,chat-default,simulated,sim-chat-default,2,1,200,20,0.0000015,0.25,"
                + "80,40,10,6,0");
    assertThat(lines[3]).contains(",12.3456789,1.5,").endsWith(",12.3456789");
  }

  @Test
  void jsonIsOneArrayWithExactAmounts() throws Exception {
    Run run = usage("--format", "json");

    JsonNode array = JSON.readTree(run.out());
    assertThat(array).hasSize(3);
    BigDecimal cost =
        StreamSupport.stream(array.spliterator(), false)
            .map(r -> r.get("cost").decimalValue())
            .reduce(BigDecimal.ZERO, BigDecimal::add);
    assertThat(cost).isEqualByComparingTo("13.8456804");
    BigDecimal savedVsStandard =
        StreamSupport.stream(array.spliterator(), false)
            .map(r -> r.get("savedVsStandard").decimalValue())
            .reduce(BigDecimal.ZERO, BigDecimal::add);
    assertThat(savedVsStandard).isEqualByComparingTo("12.3456789");
    assertThat(array.get(0).get("requests").asLong()).isEqualTo(3);
    assertThat(run.out()).doesNotContainPattern("\\d[eE][-+]?\\d");
  }

  @Test
  void anEmptySelectionPrintsAZeroTotal() {
    Run run = usage("--tenant", "nobody");

    assertThat(run.out().lines()).hasSize(3);
    assertThat(total(run)[1]).isEqualTo("0");
  }

  @Test
  void anUnknownFormatExitsOneWithAOneLineMessage() {
    Run run = cluster.run("usage", "--format", "xml");

    assertThat(run.exitCode()).isEqualTo(1);
    assertThat(run.err().lines().findFirst().orElseThrow())
        .isEqualTo(
            "aibroker: Invalid value for option '--format': 'xml' is not one of table, csv, json");
  }
}
