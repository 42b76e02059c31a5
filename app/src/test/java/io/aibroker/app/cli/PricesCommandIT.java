package io.aibroker.app.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.aibroker.app.cli.CliCluster.Run;
import io.aibroker.records.ModelTierPrice;
import io.aibroker.records.PriceList;
import io.aibroker.records.UsageEvent;
import io.aibroker.topics.Topics;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code aibroker prices list|set|import} on a real embedded platform, and the seeding of the
 * prices topic from the configured versions across restarts.
 */
class PricesCommandIT {

  private static final String TOPIC = Topics.defaults().prices();

  @TempDir Path dir;

  private static Run prices(CliPlatform platform, String... args) {
    String[] full = new String[args.length + 1];
    full[0] = "prices";
    System.arraycopy(args, 0, full, 1, args.length);
    return platform.run(full);
  }

  private static Run ok(Run run) {
    assertThat(run.exitCode()).as(run.out() + run.err()).isZero();
    return run;
  }

  /** The topic's versions, read with the registry-backed Avro deserializer. */
  private static Map<String, PriceList> topic(CliPlatform platform) {
    return snapshot(platform)
        .latestByKey(TOPIC, platform.serdes().of(PriceList.class).deserializer());
  }

  private static int records(CliPlatform platform) {
    return snapshot(platform).read(TOPIC, new ByteArrayDeserializer(), null).size();
  }

  private static TopicSnapshot snapshot(CliPlatform platform) {
    return new TopicSnapshot(
        Map.of("bootstrap.servers", platform.bootstrapServers()), Duration.ofSeconds(10));
  }

  private static BigDecimal input(PriceList version, String model) {
    return version.getPrices().stream()
        .filter(p -> p.getProviderModel().equals(model) && p.getTier().equals("standard"))
        .map(ModelTierPrice::getInputPerMillion)
        .findFirst()
        .orElseThrow();
  }

  @Test
  void setWritesANewVersionThatListShowsAndTheRegistryBackedDeserializerReads() throws Exception {
    try (CliPlatform platform = CliPlatform.start(dir)) {
      Map<String, PriceList> seeded = topic(platform);
      assertThat(seeded).containsKeys("2026-03", "2026-12");

      Run set =
          ok(
              prices(
                  platform,
                  "set",
                  "--model",
                  "gpt-4o",
                  "--input",
                  "2.50",
                  "--output",
                  "10",
                  "--cache-read",
                  "1.25",
                  "--version",
                  "2027-01",
                  "--effective-from",
                  "2027-01-01",
                  "--source",
                  "Azure OpenAI pricing page, read 2026-12-20"));
      assertThat(set.out()).contains("wrote price version 2027-01", "based on version 2026-12");

      PriceList written = topic(platform).get("2027-01");
      assertThat(written.getEffectiveFrom()).isEqualTo(Instant.parse("2027-01-01T00:00:00Z"));
      assertThat(written.getSource()).isEqualTo("Azure OpenAI pricing page, read 2026-12-20");
      // the latest version with the one price replaced: every other model kept
      assertThat(written.getPrices()).hasSize(seeded.get("2026-12").getPrices().size());
      assertThat(input(written, "gpt-4o")).isEqualByComparingTo("2.5");
      assertThat(input(written, "sim-chat-1")).isEqualByComparingTo("0.15");

      assertThat(ok(prices(platform, "list")).out())
          .containsPattern("2026-03  2026-03-01T00:00:00Z +\\d+  list prices of March 2026")
          .containsPattern("2026-12  2026-12-01T00:00:00Z  yes")
          .containsPattern("2027-01  2027-01-01T00:00:00Z +\\d+  Azure OpenAI pricing page");
      assertThat(ok(prices(platform, "list", "--version", "2027-01", "--format", "csv")).out())
          .contains("gpt-4o,standard,2.5,10,1.25,2.5,2.5\r\n");
      assertThat(ok(prices(platform, "list", "--at", "2027-02-01T00:00:00Z")).out())
          .startsWith("version 2027-01,");
      assertThat(ok(prices(platform, "list", "--at", "2026-11-30")).out())
          .startsWith("version 2026-03,")
          .containsPattern("\ngpt-4o +standard +2\\.5 +10 ");
      assertThat(ok(prices(platform, "list", "--format", "json")).out())
          .contains("\"version\":\"2027-01\"");
    }
  }

  @Test
  void refusesAnExistingVersionAndBadPricesWithoutWritingAnything() throws Exception {
    try (CliPlatform platform = CliPlatform.start(dir)) {
      int before = records(platform);

      Run exists =
          prices(
              platform,
              "set",
              "--model",
              "m",
              "--input",
              "1",
              "--output",
              "1",
              "--version",
              "2026-03");
      assertThat(exists.exitCode()).isEqualTo(PricesCommand.EXIT_REFUSED);
      assertThat(exists.err()).contains("price version 2026-03 exists", "--replace");

      Run negative = prices(platform, "set", "--model", "m", "--input", "-1", "--output", "1");
      assertThat(negative.exitCode()).isEqualTo(1);
      assertThat(negative.err()).contains("--input", "must not be negative");

      Run malformed = prices(platform, "set", "--model", "m", "--input", "1", "--output", "ten");
      assertThat(malformed.exitCode()).isEqualTo(1);
      assertThat(malformed.err()).contains("--output: 'ten' is not a price");

      Run missing = prices(platform, "list", "--version", "no-such");
      assertThat(missing.exitCode()).isEqualTo(PricesCommand.EXIT_REFUSED);

      assertThat(records(platform)).isEqualTo(before);
    }
  }

  @Test
  void importWritesEachVersionOfAFileAndPrintsWhatItWrote() throws Exception {
    Path file = dir.resolve("prices.yaml");
    Files.writeString(
        file,
        """
        versions:
          - version: "2027-02"
            effective-from: "2027-02-01"
            source: "Bedrock pricing page, read 2027-01-25"
            models:
              "anthropic.claude-3-5-haiku-20241022-v1:0":
                input-per-million: "0.80"
                output-per-million: "4.00"
                cache-read-per-million: "0.08"
                cache-write-per-million: "1.00"
                tiers:
                  batch: {input-per-million: "0.40", output-per-million: "2.00"}
          - version: "2027-03"
            effective-from: "2027-03-01T00:00:00Z"
            models:
              sim-chat-1: {input-per-million: "0.10", output-per-million: "0.40"}
        """);
    try (CliPlatform platform = CliPlatform.start(dir.resolve("data"))) {
      Run imported = ok(prices(platform, "import", file.toString()));
      assertThat(imported.out().lines())
          .containsExactly(
              "wrote price version 2027-02 to aibroker.prices: effective from"
                  + " 2027-02-01T00:00:00Z, 2 prices",
              "wrote price version 2027-03 to aibroker.prices: effective from"
                  + " 2027-03-01T00:00:00Z, 1 prices");
      assertThat(topic(platform)).containsKeys("2026-03", "2026-12", "2027-02", "2027-03");

      Run again = prices(platform, "import", file.toString());
      assertThat(again.exitCode()).isEqualTo(PricesCommand.EXIT_REFUSED);
      assertThat(again.err()).contains("nothing was written");
    }
  }

  @Test
  void aVersionSetWhileTheBrokerRunsPricesTheNextRequestWithoutARestart() throws Exception {
    try (CliPlatform platform = CliPlatform.start(dir)) {
      UsageEvent before = submitAndReadUsage(platform, "before-set");
      assertThat(before.getPriceVersion()).isEqualTo("2026-12");

      ok(
          prices(
              platform,
              "set",
              "--model",
              "sim-chat-1",
              "--input",
              "1000",
              "--output",
              "2000",
              "--version",
              "live",
              "--effective-from",
              Instant.now().toString()));

      // the broker's prices table follows the topic within moments: a request completing once
      // it has is priced by the new version, at its prices
      UsageEvent after =
          Awaitility.await()
              .atMost(Duration.ofSeconds(60))
              .until(
                  () -> submitAndReadUsage(platform, "after-set-" + System.nanoTime()),
                  event -> event.getPriceVersion().equals("live"));
      BigDecimal expected =
          BigDecimal.valueOf(after.getInputTokens() * 1000L + after.getOutputTokens() * 2000L)
              .divide(BigDecimal.valueOf(1_000_000));
      assertThat(after.getCacheHit()).isFalse();
      assertThat(after.getCost()).isEqualByComparingTo(expected);
      assertThat(after.getCost()).isGreaterThan(before.getCost());
    }
  }

  /** Submits one chat request as tenant "pricing" and returns its usage event. */
  private static UsageEvent submitAndReadUsage(CliPlatform platform, String requestId) {
    Run submitted =
        platform.run(
            "submit",
            "--tenant",
            "pricing",
            "--request-id",
            requestId,
            // a prompt of its own, so the response cache cannot answer it
            "what does " + requestId + " cost?");
    assertThat(submitted.exitCode()).as(submitted.out() + submitted.err()).isZero();
    var deserializer = platform.serdes().of(UsageEvent.class).deserializer();
    return Awaitility.await()
        .atMost(Duration.ofSeconds(30))
        .until(
            () ->
                snapshot(platform).read(Topics.defaults().usage(), deserializer, null).stream()
                    .map(TopicSnapshot.Entry::value)
                    .filter(event -> event != null && event.getRequestId().equals(requestId))
                    .findFirst(),
            Optional::isPresent)
        .orElseThrow();
  }

  @Test
  void seedingIsIdempotentAcrossStartsAndKeepsAVersionChangedLive() throws Exception {
    int afterChange;
    try (CliPlatform platform = CliPlatform.start(dir)) {
      assertThat(topic(platform)).containsKey("2026-03");
      // the configured version changed live
      ok(
          prices(
              platform,
              "set",
              "--model",
              "sim-chat-1",
              "--input",
              "9",
              "--output",
              "9",
              "--version",
              "2026-03",
              "--effective-from",
              "2026-03-01",
              "--replace"));
      assertThat(input(topic(platform).get("2026-03"), "sim-chat-1")).isEqualByComparingTo("9");
      afterChange = records(platform);
    }
    try (CliPlatform platform = CliPlatform.start(dir)) {
      assertThat(records(platform)).as("a second start writes nothing").isEqualTo(afterChange);
      assertThat(input(topic(platform).get("2026-03"), "sim-chat-1")).isEqualByComparingTo("9");
    }
  }
}
