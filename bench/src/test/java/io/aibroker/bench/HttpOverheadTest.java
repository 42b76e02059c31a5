package io.aibroker.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.aibroker.app.http.ApiKeys;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class HttpOverheadTest {

  private static PointResult latencies(double p50, double p99) {
    return new PointResult(
        "p",
        100,
        100,
        100,
        p50,
        p99,
        p99,
        p99,
        200,
        0,
        0,
        0,
        0,
        Double.NaN,
        Double.NaN,
        Double.NaN,
        Double.NaN);
  }

  @Test
  void addedLatencyIsThroughHttpMinusDirectPercentileByPercentile() {
    var row =
        new Report.Http(
            Benchmark.LOW_LATENCY,
            HttpOverhead.SEQUENTIAL,
            latencies(31.5, 48),
            latencies(20.1, 20.4));
    assertThat(row.addedP50Ms()).isCloseTo(11.4, org.assertj.core.data.Offset.offset(1e-9));
    assertThat(row.addedP99Ms()).isCloseTo(27.6, org.assertj.core.data.Offset.offset(1e-9));
  }

  @Test
  void aRowShowsBothSidesTheDifferenceAndTheFailures() {
    var http =
        new PointResult(
            "h",
            100,
            100,
            100,
            75.4,
            140,
            150,
            160,
            1500,
            2,
            1,
            0,
            0,
            Double.NaN,
            Double.NaN,
            Double.NaN,
            Double.NaN);
    var row =
        new Report.Http(
            Benchmark.EXACTLY_ONCE, HttpOverhead.openLoop(100), http, latencies(20.2, 21));
    assertThat(PerformanceReport.httpRow(row))
        .containsExactly(
            "exactly-once (default)",
            "open loop, 100/s",
            "1,500",
            "75 ms",
            "140 ms",
            "20 ms",
            "21 ms",
            "55 ms",
            "119 ms",
            "2 / 1");
  }

  @Test
  void theReportHasTheHttpTableWhenTheScenarioRan() {
    BenchCommand command = new BenchCommand();
    command.smoke = true;
    BenchSettings settings = command.settings();
    assertThat(settings.runs(BenchSettings.HTTP)).isTrue();
    Report report = new Report();
    report.http.add(
        new Report.Http(
            Benchmark.EXACTLY_ONCE, HttpOverhead.SEQUENTIAL, latencies(70, 90), latencies(20, 21)));
    report.http.add(
        new Report.Http(
            Benchmark.LOW_LATENCY,
            HttpOverhead.openLoop(100),
            latencies(30, 45),
            latencies(20, 21)));

    String body =
        PerformanceReport.sections(PerformanceReport.render(report, settings))
            .get(PerformanceReport.HTTP_TITLE);

    assertThat(body)
        .contains("|profile|load|requests|p50 HTTP|p99 HTTP|p50 direct|p99 direct|added p50|")
        .contains(
            "|exactly-once (default)|1 client, sequential|200|70 ms|90 ms|20 ms|21 ms|50 ms|69 ms|0 / 0|")
        .contains(
            "|low-latency (at-least-once)|open loop, 100/s|200|30 ms|45 ms|20 ms|21 ms|10 ms|24 ms|")
        .contains("simulated provider at 20 ms (jitter 0)");
    assertThat(PerformanceReport.render(new Report(), settings))
        .doesNotContain(PerformanceReport.HTTP_TITLE);
  }

  @Test
  void sequentialMeasuresOnlyTheRequestsAfterTheWarmUpAndCountsFailures() throws Exception {
    HttpOverhead.Call call =
        sequence ->
            CompletableFuture.supplyAsync(
                () -> sequence != 7, CompletableFuture.delayedExecutor(2, TimeUnit.MILLISECONDS));

    PointResult result = HttpOverhead.sequential("s", call, 3, 10, Duration.ofSeconds(5));

    assertThat(result.measured()).isEqualTo(10);
    assertThat(result.failures()).isEqualTo(1);
    assertThat(result.missing()).isZero();
    assertThat(result.p50Ms()).isGreaterThanOrEqualTo(2).isLessThan(1000);
  }

  @Test
  void sequentialCountsATimeoutOrAThrowingCallAsAFailure() throws Exception {
    HttpOverhead.Call call =
        sequence ->
            switch ((int) sequence) {
              case 0 -> new CompletableFuture<>(); // never answers
              case 1 -> throw new IllegalStateException("refused");
              default -> CompletableFuture.completedFuture(true);
            };

    PointResult result = HttpOverhead.sequential("s", call, 0, 3, Duration.ofMillis(50));

    assertThat(result.failures()).isEqualTo(2);
    assertThat(result.maxMs()).isGreaterThanOrEqualTo(50);
  }

  @Test
  void sequentialNeedsARequestToMeasure() {
    assertThatThrownBy(() -> HttpOverhead.sequential("s", s -> null, 1, 0, Duration.ofSeconds(1)))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void openLoopAnswersEverySendAndCountsFailedOnes() throws Exception {
    HttpOverhead.Call call =
        sequence ->
            sequence % 10 == 0
                ? CompletableFuture.failedFuture(new IllegalStateException("503"))
                : CompletableFuture.supplyAsync(
                    () -> true, CompletableFuture.delayedExecutor(1, TimeUnit.MILLISECONDS));

    PointResult result =
        HttpOverhead.openLoop(
            "o", call, 200, Duration.ofMillis(100), Duration.ofMillis(200), Duration.ofSeconds(5));

    assertThat(result.measured()).isEqualTo(40);
    assertThat(result.missing()).isZero();
    assertThat(result.failures()).isEqualTo(6); // sequences 0, 10, ..., 50 of the 60 sent
  }

  @Test
  void theDirectBaselineTakesTheProviderLatency() throws Exception {
    try (var direct = new HttpOverhead.Direct(Duration.ofMillis(20))) {
      PointResult result = HttpOverhead.sequential("d", direct, 2, 5, Duration.ofSeconds(5));
      assertThat(result.failures()).isZero();
      assertThat(result.p50Ms()).isGreaterThanOrEqualTo(20).isLessThan(500);
    }
  }

  @Test
  void theConfigFileCarriesOnlyTheKeysHash(@TempDir Path dir) throws Exception {
    Path file = HttpOverhead.writeConfig(dir.resolve("work"), "http-bench");

    String text = Files.readString(file);
    assertThat(text)
        .isEqualTo(
            "http:\n  api-keys:\n    "
                + ApiKeys.sha256(HttpOverhead.API_KEY)
                + ": "
                + HttpOverhead.TENANT
                + "\n")
        .doesNotContain(HttpOverhead.API_KEY);
  }

  @Test
  void everyRequestBodyHasAPromptOfItsOwn() throws Exception {
    ObjectMapper json = new ObjectMapper();
    JsonNode first = json.readTree(HttpOverhead.Chat.body(HttpOverhead.prompt()));
    JsonNode second = json.readTree(HttpOverhead.Chat.body(HttpOverhead.prompt()));

    assertThat(first.path("model").asText()).isEqualTo("chat-default");
    assertThat(first.path("messages").get(0).path("role").asText()).isEqualTo("user");
    assertThat(first.path("messages").get(0).path("content").asText())
        .isNotEqualTo(second.path("messages").get(0).path("content").asText());
  }
}
