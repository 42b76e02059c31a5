package io.aibroker.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The soak (issue 7): aibroker on the 3-broker cluster, broker app and two workers as processes,
 * takes a steady rate for a long time while the heap (used, and live after a full GC), RSS of every
 * process, the broker app's JVM-tracked native memory and the Streams state directory are sampled;
 * the report gives each series' growth per hour after a warm-up, and a run that measures 20 minutes
 * or more fails if the memory of an aibroker process is not flat. Runs only with {@code
 * -Dreliability.soak=true}; {@code reliability/run.sh soak} runs an hour and measures the second
 * half (the first is the RocksDB block cache filling to its bound).
 */
@EnabledIfSystemProperty(named = "reliability.soak", matches = "true")
class SoakIT {

  private static final Logger LOG = LoggerFactory.getLogger(SoakIT.class);

  /** How often the samples that cost a full GC and a jcmd are taken. */
  private static final Duration DEEP_SAMPLE_EVERY = Duration.ofSeconds(60);

  /** The shortest measured window (after the warm-up) whose growth the soak judges. */
  private static final Duration MIN_MEASURED = Duration.ofMinutes(20);

  /** Growth per hour above which a series is not flat (bytes). */
  private static final double MAX_GROWTH_PER_HOUR = 32 * 1024 * 1024;

  /** The broker app's series that must be flat after the warm-up (the workers' are added). */
  private static final List<String> FLAT_SERIES =
      List.of(
          "app RSS",
          "app memory the JVM tracks (NMT committed)",
          "app RSS beyond the JVM and the RocksDB cache",
          "app heap live (after a full GC)");

  private final ReliabilitySettings settings = ReliabilitySettings.fromSystemProperties();
  private double lastDeepSampleAt = Double.NEGATIVE_INFINITY;

  @Test
  void memoryAndStateStayFlatAtASteadyRate() throws Exception {
    Path dir = settings.outputDir().resolve("soak-" + System.currentTimeMillis());
    int requests = (int) (settings.soakDuration().toSeconds() * settings.soakRatePerSecond());
    List<String> tenants = IntStream.range(0, 100).mapToObj(i -> "soak-" + i).toList();
    SoakReport report = new SoakReport();
    AtomicLong results = new AtomicLong();
    try (var system =
            new AibrokerProcesses(dir, Duration.ofMillis(50))
                .withAppSettings(stateLifetimes(settings.soakWarmup()))
                .withAppJvmOptions("-XX:NativeMemoryTracking=summary")
                .start(2);
        var follower =
            new TopicFollower<>(
                system.clientProperties(),
                AibrokerProcesses.TOPICS.results(),
                system.serdes().results().deserializer(),
                r -> results.incrementAndGet());
        var load =
            new LoadGenerator(
                system.clientProperties(),
                system.serdes(),
                AibrokerProcesses.TOPICS.requests(),
                tenants,
                java.util.Set.of(),
                settings.queueDeadline())) {
      ExecutorService sender = Executors.newSingleThreadExecutor();
      long start = System.nanoTime();
      Future<?> sending =
          sender.submit(
              () -> {
                load.run(requests, settings.soakRatePerSecond());
                return null;
              });
      while (!sending.isDone()) {
        double at = (System.nanoTime() - start) / 1e9;
        sample(system, report, at);
        LOG.info("soak at {} s: {} results", (long) at, results.get());
        try {
          sending.get(settings.soakSampleEvery().toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException stillSending) {
          // time for the next sample
        }
      }
      sending.get();
      sender.shutdown();
      sample(system, report, (System.nanoTime() - start) / 1e9);
      // A machine that cannot keep up leaves a backlog: let it drain a little, and report it.
      long drainUntil = System.nanoTime() + Duration.ofMinutes(2).toNanos();
      while (results.get() < requests && System.nanoTime() < drainUntil) {
        Thread.sleep(500);
      }
      String md =
          report.markdown(
              settings.soakDuration(),
              settings.soakWarmup(),
              settings.soakRatePerSecond(),
              load.acknowledged().size(),
              results.get());
      System.out.println(md);
      CrashMatrixReport.write(settings.outputDir().resolve("soak.md"), md);
      CrashMatrixReport.write(settings.outputDir().resolve("soak-samples.csv"), report.csv());
      assertThat(load.acknowledged()).hasSize(requests);
      assertThat(results.get()).as("results while soaking").isPositive();
      assertThat(report.series()).containsKeys("app heap used", "app RSS", "streams state dir");
      assertFlatAfterWarmup(report, system.workerNumbers());
    }
  }

  /**
   * The verdict, for runs that measure long enough for a slope to mean something: every aibroker
   * process's memory grows by less than {@link #MAX_GROWTH_PER_HOUR} after the warm-up. A leak of
   * 200 bytes per request at 50 requests/s is 34 MiB an hour.
   */
  private void assertFlatAfterWarmup(SoakReport report, List<Integer> workers) {
    if (settings.soakDuration().minus(settings.soakWarmup()).compareTo(MIN_MEASURED) < 0) {
      LOG.info("soak measured less than {}: growth reported, not judged", MIN_MEASURED);
      return;
    }
    List<String> flat = new ArrayList<>(FLAT_SERIES);
    for (int n : workers) {
      flat.add("worker-" + n + " RSS");
      flat.add("worker-" + n + " heap live (after a full GC)");
    }
    for (String name : flat) {
      assertThat(report.series()).containsKey(name);
      assertThat(
              SoakReport.growthPerHour(
                  report.series().get(name), settings.soakWarmup().toSeconds()))
          .as("%s, growth per hour after the warm-up", name)
          .isLessThan(MAX_GROWTH_PER_HOUR);
    }
  }

  /** Samples are taken whatever happens: a missing one is skipped, not fatal. */
  private void sample(AibrokerProcesses system, SoakReport report, double at) {
    String appMetrics =
        ProcessSampler.scrape("http://127.0.0.1:" + system.appHttpPort() + "/metrics");
    OptionalLong blockCache =
        ProcessSampler.max(appMetrics, "kafka_stream_state_block_cache_usage");
    add(report, "app heap used", at, heapUsed(appMetrics));
    add(report, "app RSS", at, ProcessSampler.rssBytes(system.app().pid()));
    add(report, "app heap committed", at, committed(appMetrics, "heap"));
    add(report, "app non-heap committed", at, committed(appMetrics, "nonheap"));
    // Kafka Streams' RocksDB metrics. The cache is shared, so every store reports the same usage
    // (memtables included: the write-buffer manager charges them to the cache).
    add(report, "app RocksDB block cache in use", at, blockCache);
    add(
        report,
        "app RocksDB memtables",
        at,
        ProcessSampler.sum(appMetrics, "kafka_stream_state_size_all_mem_tables", List.of()));
    for (int n : system.workerNumbers()) {
      String metrics = ProcessSampler.scrape(system.workerUrl(n) + "/metrics");
      add(report, "worker-" + n + " heap used", at, heapUsed(metrics));
      add(report, "worker-" + n + " RSS", at, ProcessSampler.rssBytes(system.worker(n).pid()));
    }
    for (int node : system.kafka().nodeIds()) {
      add(report, "kafka-" + node + " RSS", at, ProcessSampler.rssBytes(system.kafka().pid(node)));
    }
    report.add("streams state dir", at, ProcessSampler.directoryBytes(system.streamsStateDir()));
    if (at - lastDeepSampleAt >= DEEP_SAMPLE_EVERY.toSeconds()) {
      lastDeepSampleAt = at;
      deepSample(system, report, at, blockCache);
    }
  }

  /**
   * Once a minute, as it costs a full GC and a jcmd per process: the live heap of every aibroker
   * JVM, and how much of the broker app's RSS the JVM accounts for (Native Memory Tracking).
   */
  private static void deepSample(
      AibrokerProcesses system, SoakReport report, double at, OptionalLong blockCache) {
    long app = system.app().pid();
    add(report, "app heap live (after a full GC)", at, ProcessSampler.liveHeapBytes(app));
    OptionalLong tracked = ProcessSampler.jvmTrackedNativeBytes(app);
    OptionalLong rss = ProcessSampler.rssBytes(app);
    add(report, "app memory the JVM tracks (NMT committed)", at, tracked);
    if (rss.isPresent() && tracked.isPresent()) {
      // What the JVM does not account for: RocksDB and other JNI code, malloc's retained space.
      long beyondJvm = rss.getAsLong() - tracked.getAsLong();
      report.add("app RSS beyond JVM-tracked memory", at, beyondJvm);
      // The block cache is bounded (broker.rocksdb-memory-bytes) and fills for many minutes at a
      // steady rate; what is left beyond it must be flat from the start.
      blockCache.ifPresent(
          cache ->
              report.add("app RSS beyond the JVM and the RocksDB cache", at, beyondJvm - cache));
    }
    for (int n : system.workerNumbers()) {
      add(
          report,
          "worker-" + n + " heap live (after a full GC)",
          at,
          ProcessSampler.liveHeapBytes(system.worker(n).pid()));
    }
  }

  private static OptionalLong heapUsed(String metrics) {
    return ProcessSampler.sum(metrics, "jvm_memory_used_bytes", List.of("area=\"heap\""));
  }

  private static OptionalLong committed(String metrics, String area) {
    return ProcessSampler.sum(
        metrics, "jvm_memory_committed_bytes", List.of("area=\"" + area + "\""));
  }

  private static void add(SoakReport report, String name, double at, OptionalLong value) {
    value.ifPresent(v -> report.add(name, at, v));
  }

  /**
   * Idempotency keys and cached responses live half the warm-up, not the production 24 h and 1 h:
   * the stores then reach their steady size (as many entries expire as arrive) before growth is
   * measured, which at production settings takes a day. Store size at steady state is rate ×
   * lifetime × entry size, so the figures carry over.
   */
  private static String stateLifetimes(Duration warmup) {
    long seconds = Math.max(1, warmup.toSeconds() / 2);
    return """
        broker:
          tenant-defaults: {cache-ttl-seconds: %d, idempotency-window-seconds: %d}
        """
        .formatted(seconds, seconds);
  }
}
