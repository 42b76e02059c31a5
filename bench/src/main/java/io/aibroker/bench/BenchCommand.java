package io.aibroker.bench;

import io.aibroker.app.Main;
import io.aibroker.app.config.ConfigLoader;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code aibroker bench}: the performance benchmark of issue 6. Starts the system under test in
 * child JVMs (or uses {@code --bootstrap-servers}), runs the scenarios with an open-loop load
 * generator, prints the report and, with {@code --out}, writes it into docs/PERFORMANCE.md.
 */
@Command(
    name = "bench",
    mixinStandardHelpOptions = true,
    description = {
      "Measures aibroker side by side with raw Kafka: raw baseline, pipeline throughput, added"
          + " latency (exactly-once and low-latency), cache hits, HTTP overhead, worker capacity,"
          + " growth, and JMH microbenchmarks.",
      "Runs the platform in child JVMs on this class path; the load generator runs open loop in"
          + " this one."
    })
public final class BenchCommand implements Callable<Integer> {

  @Spec CommandSpec spec;

  @Option(
      names = "--scenarios",
      split = ",",
      paramLabel = "NAME",
      description =
          "Which to run (default all): raw, pipeline, latency, cache, floor (the same hops"
              + " without their work; runs with latency and cache too), http, worker, growth, jmh.")
  List<String> scenarios = BenchSettings.ALL;

  @Option(
      names = "--out",
      paramLabel = "FILE",
      description = "Write the report into this Markdown file (between its bench markers).")
  Path out;

  @Option(
      names = "--work-dir",
      paramLabel = "DIR",
      description = "Child JVM data, logs and recordings (default target/bench).")
  Path workDir = Path.of("target", "bench");

  @Option(
      names = "--bootstrap-servers",
      paramLabel = "HOST:PORT",
      description = "Use this Kafka cluster instead of starting one.")
  String bootstrapServers;

  @Option(
      names = "--schema-registry-url",
      paramLabel = "URL",
      description = "Its Schema Registry (with --bootstrap-servers).")
  String schemaRegistryUrl;

  @Option(
      names = "--warmup",
      paramLabel = "SECONDS",
      description = "Warm-up per point (default 5).")
  double warmup = 5;

  @Option(
      names = "--duration",
      paramLabel = "SECONDS",
      description = "Measured time per point (default 15).")
  double duration = 15;

  @Option(
      names = "--raw-rates",
      split = ",",
      paramLabel = "N",
      description = "Raw Kafka latency rates (default 1000,2000,10000).")
  List<Double> rawRates = List.of(1000.0, 2000.0, 10000.0);

  @Option(
      names = "--raw-records",
      paramLabel = "N",
      description = "Records of the raw throughput run (default 300000).")
  long rawRecords = 300_000;

  @Option(
      names = "--pipeline-rates",
      split = ",",
      paramLabel = "N",
      description =
          "Rates the pipeline search steps through (default 1000,2000,3000,4000,6000,8000,10000,12000).")
  List<Double> pipelineRates =
      List.of(1000.0, 2000.0, 3000.0, 4000.0, 6000.0, 8000.0, 10000.0, 12000.0);

  @Option(
      names = "--latency-rates",
      split = ",",
      paramLabel = "N",
      description = "Added-latency rates (default 500,1000,2000).")
  List<Double> latencyRates = List.of(500.0, 1000.0, 2000.0);

  @Option(names = "--cache-rate", paramLabel = "N", description = "Cache-hit rate (default 1000).")
  double cacheRate = 1000;

  @Option(
      names = "--worker-calls",
      paramLabel = "N",
      description = "Dispatches sent to the worker (default 20000).")
  int workerCalls = 20_000;

  @Option(
      names = "--worker-latency-ms",
      paramLabel = "MS",
      description = "Simulated provider latency of the worker run (default 2000).")
  long workerLatencyMs = 2000;

  @Option(
      names = "--worker-consumers",
      paramLabel = "N",
      description = "Share consumers of the worker (default 8).")
  int workerConsumers = 8;

  @Option(
      names = "--worker-max-poll-records",
      paramLabel = "N",
      description = "Records per poll of each (default 4000).")
  int workerMaxPollRecords = 4000;

  @Option(
      names = "--worker-permits",
      paramLabel = "N",
      description = "Calls in flight per deployment (default 32000).")
  int workerPermits = 32_000;

  @Option(
      names = "--growth-tenants",
      split = ",",
      paramLabel = "N",
      description = "Tenant counts (default 10,1000,100000).")
  List<Integer> growthTenants = List.of(10, 1000, 100_000);

  @Option(
      names = "--growth-cache-entries",
      paramLabel = "N",
      description = "Cache entries of the last growth case (default 1000000; 0 skips).")
  long growthCacheEntries = 1_000_000;

  @Option(
      names = "--growth-rate",
      paramLabel = "N",
      description = "Fixed rate of the growth p99 runs (default 1000).")
  double growthRate = 1000;

  @Option(
      names = "--http-requests",
      paramLabel = "N",
      description = "Sequential HTTP requests measured, after 50 discarded (default 200).")
  int httpRequests = 200;

  @Option(
      names = "--http-rate",
      paramLabel = "N",
      description = "Rate of the open-loop HTTP point (default 100).")
  double httpRate = 100;

  @Option(
      names = "--http-provider-latency-ms",
      paramLabel = "MS",
      description = "Simulated provider latency of the HTTP scenario (default 20).")
  long httpProviderLatencyMs = 20;

  @Option(
      names = "--partitions",
      paramLabel = "N",
      description =
          "Partitions per topic (default ${DEFAULT-VALUE}: the app's own on its embedded Kafka).")
  int partitions = ConfigLoader.load(null, Map.of()).topicPartitions();

  @Option(
      names = "--child-heap",
      paramLabel = "SIZE",
      description = "-Xmx of each child JVM (default 1g).")
  String childHeap = "1g";

  @Option(
      names = "--jfr",
      description =
          "Record the children (Kafka, broker + workers) with Java Flight Recorder (into the work dir).")
  boolean jfr;

  @Option(
      names = "--jmh-iterations",
      paramLabel = "N",
      description = "JMH warm-up and measured iterations (default 3).")
  int jmhIterations = 3;

  @Option(
      names = "--jmh-time-ms",
      paramLabel = "MS",
      description = "JMH iteration time (default 1000).")
  long jmhTimeMs = 1000;

  @Option(
      names = "--platform-main",
      paramLabel = "CLASS",
      description = "Main class the children run (default io.aibroker.app.Main).")
  String platformMain = Main.class.getName();

  @Option(
      names = "--smoke",
      description =
          "Seconds per scenario, tiny sizes: checks that the benchmark works, measures nothing.")
  boolean smoke;

  @Override
  public Integer call() throws Exception {
    BenchSettings settings = settings();
    WorkDir.prepare(settings.workDir());
    Report report = new Benchmark(settings, System.out).run();
    String markdown = PerformanceReport.render(report, settings);
    System.out.println();
    System.out.print(markdown);
    if (out != null) {
      PerformanceReport.write(out, markdown);
      System.out.println("bench: wrote " + out);
    }
    return report.problems.isEmpty() ? 0 : 2;
  }

  BenchSettings settings() {
    Set<String> chosen = new LinkedHashSet<>();
    for (String s : scenarios) {
      if (!BenchSettings.ALL.contains(s)) {
        throw new ParameterException(
            spec.commandLine(), "unknown scenario '" + s + "'; known: " + BenchSettings.ALL);
      }
      chosen.add(s);
    }
    if ((bootstrapServers == null) != (schemaRegistryUrl == null)) {
      throw new ParameterException(
          spec.commandLine(), "--bootstrap-servers and --schema-registry-url go together");
    }
    if (smoke) {
      return new BenchSettings(
          chosen,
          workDir,
          platformMain,
          "512m",
          2,
          bootstrapServers,
          schemaRegistryUrl,
          jfr,
          Duration.ofMillis(500),
          Duration.ofSeconds(1),
          Duration.ofSeconds(30),
          List.of(200.0),
          2_000,
          List.of(100.0, 200.0),
          1_000,
          List.of(100.0),
          20,
          100,
          200,
          Duration.ofMillis(500),
          2,
          100,
          1000,
          List.of(10, 100),
          1_000,
          100,
          500,
          5,
          5,
          100,
          Duration.ofMillis(20),
          1,
          Duration.ofMillis(100),
          0,
          300,
          // a smoke run's answers take tens of milliseconds: four one-request-alone runs of eight
          // requests a second apart were half a minute of it
          Duration.ofMillis(250));
    }
    return new BenchSettings(
        chosen,
        workDir,
        platformMain,
        childHeap,
        partitions,
        bootstrapServers,
        schemaRegistryUrl,
        jfr,
        seconds(warmup),
        seconds(duration),
        Duration.ofSeconds(30),
        rawRates,
        rawRecords,
        pipelineRates,
        100,
        latencyRates,
        200,
        cacheRate,
        workerCalls,
        Duration.ofMillis(workerLatencyMs),
        workerConsumers,
        workerMaxPollRecords,
        workerPermits,
        growthTenants,
        growthCacheEntries,
        growthRate,
        5000,
        50,
        httpRequests,
        httpRate,
        Duration.ofMillis(httpProviderLatencyMs),
        jmhIterations,
        Duration.ofMillis(jmhTimeMs),
        1,
        PerformanceReport.THROUGHPUT_GOAL,
        Duration.ofSeconds(1));
  }

  private static Duration seconds(double value) {
    return Duration.ofMillis(Math.round(value * 1000));
  }
}
