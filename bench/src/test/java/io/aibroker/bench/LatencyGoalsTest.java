package io.aibroker.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The issue-16 goals table: targets relative to raw Kafka's p99 of the same run. */
class LatencyGoalsTest {

  private static final String TITLE = "Goals (issue 16: latency and CPU per request)";

  private static PointResult point(double rate, double p50, double p99, double cpu) {
    return new PointResult(
        "p",
        rate,
        rate,
        rate,
        p50,
        p99,
        p99,
        p99,
        1000,
        0,
        0,
        0,
        0,
        cpu / 2,
        cpu / 2,
        Double.NaN,
        Double.NaN);
  }

  private static String goals(Report report) {
    BenchCommand command = new BenchCommand();
    command.smoke = true;
    return PerformanceReport.sections(PerformanceReport.render(report, command.settings()))
        .get(TITLE);
  }

  @Test
  void targetsFollowRawKafkasP99AndEachRowSaysMetOrMissed() {
    Report report = new Report();
    report.rawLatency.add(point(1000, 1, 12, Double.NaN));
    report.idle.put(Benchmark.EXACTLY_ONCE, point(1, 49, 80, Double.NaN));
    report.idle.put(Benchmark.LOW_LATENCY, point(1, 20, 30, Double.NaN));
    report.addedLatency.put(
        Benchmark.EXACTLY_ONCE, List.of(point(1000, 110, 240, 1.2), point(2000, 120, 300, 0.7)));
    report.addedLatency.put(
        Benchmark.LOW_LATENCY, List.of(point(1000, 30, 20, 1.4), point(2000, 900, 1500, 0.9)));
    report.cacheHits = point(1000, 10, 30, Double.NaN);
    report.writes.put(Benchmark.EXACTLY_ONCE, Map.of("all topics", 10.4));

    String body = goals(report);

    assertThat(body)
        .contains("|one request alone p50, exactly-once|<= 60 ms|49 ms|met|")
        .contains("|one request alone p50, low-latency|<= 15 ms|20 ms|missed by 33%|")
        .contains("|p99 at 1,000/s, low-latency (2x raw Kafka's)|<= 24 ms|20 ms|met|")
        .contains("|p99 at 1,000/s, exactly-once (5x raw Kafka's)|<= 60 ms|240 ms|missed by 300%|")
        .contains("|p50 at 1,000/s, exactly-once|<= 30 ms|110 ms|")
        .contains("|low-latency p99 below exactly-once p99|at every rate|not at 2,000/s|missed|")
        .contains("|cache hit p99 (3x raw Kafka's)|<= 36 ms|30 ms|met|")
        .contains("|CPU per request at 2,000/s, exactly-once (app + Kafka)|<= 0.40 ms|0.70 ms|")
        .contains("|Kafka records per request, exactly-once|<= 9|10.40|missed by 16%|");
  }

  @Test
  void setsTheEmptyPipelinesFigureBesideEachGoalAndSaysWhereTheTargetIsBelowIt() {
    Report report = new Report();
    report.rawLatency.add(point(1000, 1, 12, Double.NaN));
    report.idle.put(Benchmark.EXACTLY_ONCE, point(1, 33, 40, Double.NaN));
    report.addedLatency.put(
        Benchmark.EXACTLY_ONCE, List.of(point(1000, 90, 160, 1.1), point(2000, 110, 300, 0.7)));
    report.cacheHits = point(1000, 36, 133, Double.NaN);
    report.pipelineSteps.add(point(1000, 90, 160, 1.1));
    report.floor.put(
        Benchmark.EXACTLY_ONCE,
        new Report.Floor(
            List.of(point(1000, 20, 50, 0.8), point(2000, 25, 55, 0.5)),
            point(1, 30, 35, Double.NaN),
            point(1000, 28, 59, 0.6),
            new PointResult(
                "p",
                4000,
                4000,
                2500,
                900,
                3000,
                3100,
                3200,
                1000,
                0,
                0,
                0,
                0,
                0.3,
                0.3,
                Double.NaN,
                Double.NaN)));

    String body = goals(report);

    assertThat(body)
        .contains("|goal|target|measured|verdict|empty pipeline (floor)|")
        .contains("|one request alone p50, exactly-once|<= 60 ms|33 ms|met|30 ms|")
        .contains(
            "|p99 at 1,000/s, exactly-once (5x raw Kafka's)|<= 60 ms|160 ms|missed by 167%"
                + "|50 ms|")
        .contains("|p50 at 1,000/s, exactly-once|<= 30 ms|90 ms|missed by 200%|20 ms|")
        .contains(
            "|cache hit p99 (3x raw Kafka's)|<= 36 ms|133 ms|missed by 269%; below the floor"
                + "|59 ms|")
        .contains(
            "|CPU per request at 2,000/s, exactly-once (app + Kafka)|<= 0.40 ms|0.70 ms"
                + "|missed by 75%; below the floor|0.50 ms|")
        .contains(
            "|exactly-once throughput (p99 < 250 ms)|>= 4,000/s|1,000/s|missed by 75%; below the"
                + " floor|2,500/s done, p99 3000 ms|");
  }

  @Test
  void withoutTheLatencyScenariosThereIsNoTable() {
    assertThat(goals(new Report())).isNull();
  }
}
