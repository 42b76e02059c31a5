package io.aibroker.bench;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** What a benchmark run measured, scenario by scenario; filled as the run goes. */
final class Report {

  /**
   * The worker capacity run.
   *
   * @param calls dispatches sent
   * @param answered outcomes seen
   * @param peakInFlight most provider calls in flight at once (the worker's own gauge)
   * @param peakHeld most dispatch records held at once
   * @param throughput outcomes per second from the first send to the last outcome
   * @param latency the run's latencies (dispatch written -> outcome seen)
   * @param peakHeapBytes most heap in use seen during the run
   * @param heapLimit the worker's -Xmx
   * @param settings the worker settings used
   */
  record WorkerCapacity(
      long calls,
      long answered,
      long peakInFlight,
      long peakHeld,
      double throughput,
      PointResult latency,
      long peakHeapBytes,
      String heapLimit,
      String settings) {}

  /**
   * One growth case.
   *
   * @param label the case
   * @param saturation the run above capacity: its completed rate is the throughput
   * @param fixedRate the run at the fixed rate: its p99
   * @param memory the broker app after a full GC
   * @param note how the state was built
   */
  record Growth(
      String label,
      PointResult saturation,
      PointResult fixedRate,
      SystemUnderTest.Memory memory,
      String note) {}

  /**
   * One row of the HTTP overhead scenario: a load shape through {@code /v1/chat/completions} on a
   * profile's app, beside the same shape against the simulated provider called directly.
   *
   * @param profile the broker profile of the app
   * @param load the load shape
   * @param http through HTTP, the broker and a worker to the simulated provider
   * @param direct the simulated provider called in the load generator's JVM
   */
  record Http(String profile, String load, PointResult http, PointResult direct) {

    /** What aibroker adds at the median: through HTTP minus direct, ms. */
    double addedP50Ms() {
      return http.p50Ms() - direct.p50Ms();
    }

    /** What aibroker adds at the 99th percentile: through HTTP minus direct, ms. */
    double addedP99Ms() {
      return http.p99Ms() - direct.p99Ms();
    }
  }

  /**
   * The {@link EmptyPipeline} under one profile: the pipeline's hops and settings with no work in
   * them, the floor its figures are set beside.
   *
   * @param latency open-loop points at the added-latency rates
   * @param alone requests one at a time to the otherwise idle hops, as the idle scenario sends them
   * @param oneHop one Streams hop (the shape of a cache hit) at the cache-hit rate, or null
   * @param throughput a point at the throughput goal's rate, or null
   */
  record Floor(
      List<PointResult> latency, PointResult alone, PointResult oneHop, PointResult throughput) {

    /** The latency point at a rate, or null. */
    PointResult at(double rate) {
      return latency.stream().filter(p -> p.targetRate() == rate).findFirst().orElse(null);
    }
  }

  /** One JMH result. */
  record Micro(String benchmark, String mode, double score, double error, String unit) {}

  final Map<String, String> machine = new LinkedHashMap<>();
  PointResult rawThroughput;
  final List<PointResult> rawLatency = new ArrayList<>();
  final List<PointResult> pipelineSteps = new ArrayList<>();
  final Map<String, List<PointResult>> addedLatency = new LinkedHashMap<>();
  final Map<String, Map<String, Double>> stages = new LinkedHashMap<>();

  /** Per profile: requests sent one at a time to an idle system (publish -> result visible). */
  final Map<String, PointResult> idle = new LinkedHashMap<>();

  final Map<String, Map<String, Double>> writes = new LinkedHashMap<>();
  PointResult cacheHits;

  /** Per profile: the empty pipeline. */
  final Map<String, Floor> floor = new LinkedHashMap<>();

  /** The HTTP overhead scenario, per profile and load shape. */
  final List<Http> http = new ArrayList<>();

  WorkerCapacity worker;
  final List<Growth> growth = new ArrayList<>();
  final List<Micro> micro = new ArrayList<>();
  final List<String> problems = new ArrayList<>();
  double elapsedSeconds;

  /** The highest stepped rate that met the p99 limit with every request answered, or 0. */
  double pipelineBestRate(double p99LimitMs) {
    double best = 0;
    for (PointResult step : pipelineSteps) {
      if (step.healthyUnder(p99LimitMs) && step.completedRate() >= 0.95 * step.targetRate()) {
        best = Math.max(best, step.targetRate());
      }
    }
    return best;
  }

  /** The raw Kafka latency point at a rate, or null. */
  PointResult rawLatencyAt(double rate) {
    return rawLatency.stream().filter(p -> p.targetRate() == rate).findFirst().orElse(null);
  }

  /** The added-latency point of a profile at a rate, or null. */
  PointResult latencyAt(String profile, double rate) {
    for (PointResult point : addedLatency.getOrDefault(profile, List.of())) {
      if (point.targetRate() == rate) {
        return point;
      }
    }
    return null;
  }
}
