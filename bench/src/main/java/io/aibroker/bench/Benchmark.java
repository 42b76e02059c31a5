package io.aibroker.bench;

import io.aibroker.registry.RestSchemaRegistryClient;
import io.aibroker.registry.SchemaRegistryConfig;
import io.aibroker.schemas.RecordSerdes;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Runs the scenarios of issue 6 against the system under test and fills a {@link Report}. A
 * scenario that fails is recorded as a problem and the run goes on with the next.
 */
final class Benchmark {

  /** At most this many warm-up windows before a measured point (a minute at the default 5 s). */
  private static final int WARM_WINDOWS = 12;

  /** Name of the exactly-once default profile in the report. */
  static final String EXACTLY_ONCE = "exactly-once (default)";

  /** Name of the at-least-once low-latency profile in the report. */
  static final String LOW_LATENCY = "low-latency (at-least-once)";

  private final BenchSettings settings;
  private final PrintStream log;
  private final Report report = new Report();
  private SystemUnderTest sut;
  private RecordSerdes serdes;
  private SystemUnderTest.AppChild app;

  Benchmark(BenchSettings settings, PrintStream log) {
    this.settings = settings;
    this.log = log;
  }

  Report run() throws Exception {
    long start = System.nanoTime();
    report.machine.putAll(MachineFacts.collect(settings));
    boolean needsPlatform =
        settings.scenarios().stream().anyMatch(s -> !s.equals(BenchSettings.JMH));
    if (needsPlatform) {
      log.println(
          "bench: starting the system under test (child JVMs, logs in " + settings.workDir() + ")");
      try (SystemUnderTest started = SystemUnderTest.start(settings)) {
        sut = started;
        serdes =
            new RecordSerdes(
                new RestSchemaRegistryClient(SchemaRegistryConfig.of(sut.registryUrl())));
        attempt("raw Kafka baseline", BenchSettings.RAW, () -> rawBaseline(sut));
        if (settings.runs(BenchSettings.PIPELINE)
            || settings.runs(BenchSettings.LATENCY)
            || settings.runs(BenchSettings.CACHE)) {
          attempt("exactly-once pipeline", null, () -> exactlyOnce(sut, serdes));
        }
        attempt("low-latency profile", BenchSettings.LATENCY, () -> lowLatency(sut, serdes));
        if (settings.runs(BenchSettings.FLOOR)
            || settings.runs(BenchSettings.LATENCY)
            || settings.runs(BenchSettings.CACHE)) {
          emptyPipelines(sut);
        }
        attempt("HTTP overhead", BenchSettings.HTTP, () -> httpOverhead(sut));
        attempt("worker capacity", BenchSettings.WORKER, () -> workerCapacity(sut, serdes));
        attempt("growth", BenchSettings.GROWTH, () -> growth(sut, serdes));
      }
    }
    attempt(
        "JMH microbenchmarks",
        BenchSettings.JMH,
        () -> report.micro.addAll(Microbenchmarks.run(settings, log)));
    report.elapsedSeconds = (System.nanoTime() - start) / 1e9;
    return report;
  }

  private interface Step {
    void run() throws Exception;
  }

  private void attempt(String what, String scenario, Step step) {
    if (scenario != null && !settings.runs(scenario)) {
      return;
    }
    log.println("bench: " + what);
    try {
      step.run();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      report.problems.add(what + ": interrupted");
    } catch (Exception | Error e) {
      report.problems.add(what + " failed: " + e);
      e.printStackTrace(log);
    }
  }

  // ---- raw Kafka --------------------------------------------------------------------------------

  private void rawBaseline(SystemUnderTest sut) throws Exception {
    try (RawKafkaTarget raw =
        RawKafkaTarget.connect(
            sut.bootstrapServers(),
            "bench.raw.throughput",
            settings.partitions(),
            LoadTarget.BATCHING_LINGER_MS)) {
      // as fast as the producer goes: the rate is far above what one producer can do
      PointResult max =
          raw.burst(
              "max throughput", 10_000_000, settings.rawThroughputRecords(), Duration.ofMinutes(2));
      report.rawThroughput = print(max);
    }
    try (RawKafkaTarget raw =
        RawKafkaTarget.connect(
            sut.bootstrapServers(), "bench.raw.latency", settings.partitions(), 0)) {
      app = null; // no app runs beside raw Kafka: its points have the Kafka's CPU, not an app's
      for (double rate : settings.rawRates()) {
        report.rawLatency.add(
            print(
                measuredPoint(
                    raw,
                    rate(rate),
                    rate,
                    settings.warmup(),
                    settings.duration(),
                    settings.drain())));
      }
    }
  }

  // ---- the pipeline, exactly-once ---------------------------------------------------------------

  private void exactlyOnce(SystemUnderTest sut, RecordSerdes serdes) throws Exception {
    try (var started = sut.startApp("eos", Map.of());
        PipelineTarget pipeline = PipelineTarget.connect(sut.bootstrapServers(), serdes, "eos")) {
      app = started;
      warmUp(pipeline);
      attempt("pipeline throughput", BenchSettings.PIPELINE, () -> pipelineThroughput(sut, serdes));
      attempt(
          "one request alone, exactly-once",
          BenchSettings.LATENCY,
          () -> idle(sut, serdes, "eos", EXACTLY_ONCE));
      attempt(
          "added latency, exactly-once",
          BenchSettings.LATENCY,
          () -> addedLatency(pipeline, EXACTLY_ONCE));
      // counted before the cache hits, which write less: records per request of requests served
      recordWrites(Benchmark.EXACTLY_ONCE, "eos");
      attempt("cache hits", BenchSettings.CACHE, () -> cacheHits(pipeline));
    }
    deleteTopicsOf("eos");
  }

  /** Deletes what a finished app left in Kafka ({@link SystemUnderTest#deleteTopicsOf}). */
  private void deleteTopicsOf(String name) {
    try {
      sut.deleteTopicsOf(name);
    } catch (Exception e) {
      log.println("bench:   could not delete the topics of " + name + ": " + e);
    }
  }

  /**
   * Readies a freshly started app: the first requests pay for schema registration, metadata and
   * JIT, none of it measured. Then a point at half the lowest rate measured next (twice the warm-up
   * long): started cold at 1,000/s, the low-latency app answered 723 requests/s for its first ten
   * seconds, and the backlog it built drained so slowly that two warm-up windows agreed on seconds
   * of latency and the measured point carried it (p99 887 ms, where runs with a lower rate first
   * measured 74-176 ms).
   */
  private void warmUp(PipelineTarget pipeline) throws InterruptedException {
    pipeline.with(PipelineTarget.Workload.misses(10));
    pipeline.burst("warm-up", 200, 400, Duration.ofMinutes(1));
    double half = lowestRate() / 2;
    print(
        pipeline.point(
            "warm-up at " + rate(half),
            half,
            settings.warmup(),
            settings.warmup().multipliedBy(2),
            settings.drain()));
  }

  /** The lowest rate the app is measured at: of the throughput search and the latency points. */
  private double lowestRate() {
    double lowest = Double.MAX_VALUE;
    for (double rate : settings.pipelineRates()) {
      lowest = Math.min(lowest, rate);
    }
    for (double rate : settings.latencyRates()) {
      lowest = Math.min(lowest, rate);
    }
    return lowest == Double.MAX_VALUE ? 200 : lowest;
  }

  /**
   * Steps the rate up with a client that batches its sends, as raw Kafka's throughput is measured
   * ({@link LoadTarget#BATCHING_LINGER_MS}): with linger 0 each request was a produce request of
   * its own, and handling them was a fifth of the Kafka's CPU at 4,000/s.
   */
  private void pipelineThroughput(SystemUnderTest sut, RecordSerdes serdes)
      throws InterruptedException {
    try (PipelineTarget pipeline = PipelineTarget.batching(sut.bootstrapServers(), serdes, "eos")) {
      pipeline.with(PipelineTarget.Workload.misses(10));
      for (double rate : settings.pipelineRates()) {
        // warmed until steady: the first step would carry the JVMs' warm-up
        PointResult step = steadyPoint(pipeline, rate(rate), rate);
        report.pipelineSteps.add(step);
        if (!step.healthyUnder(stepLimitMs(settings)) || step.completedRate() < 0.95 * rate) {
          break;
        }
      }
      quiesce(pipeline);
    }
  }

  /**
   * The p99 up to which the throughput search steps: the larger of issue 6's limit and issue 16's
   * throughput goal's, so that the highest rate under each is measured, not assumed.
   */
  static double stepLimitMs(BenchSettings settings) {
    return Math.max(settings.p99LimitMs(), PerformanceReport.THROUGHPUT_GOAL_P99_MS);
  }

  private void addedLatency(PipelineTarget pipeline, String profile) throws Exception {
    pipeline.with(PipelineTarget.Workload.misses(10));
    try (StageBreakdown stages =
        new StageBreakdown(sut.bootstrapServers(), serdes, pipeline.prefix(), 10)) {
      for (double rate : settings.latencyRates()) {
        warmUntilSteady(pipeline, rate);
        stages.mediansAndReset();
        PointResult point =
            print(
                measuredPoint(
                    pipeline,
                    rate(rate),
                    rate,
                    settings.warmup(),
                    settings.duration(),
                    settings.drain()));
        report.addedLatency.computeIfAbsent(profile, p -> new ArrayList<>()).add(point);
        Map<String, Double> medians = stages.mediansAndReset();
        report.stages.put(profile + " @ " + rate(rate), medians);
        log.println("bench:   stages (median ms): " + medians);
      }
    }
  }

  private void cacheHits(PipelineTarget pipeline) throws InterruptedException {
    int prompts = settings.cachePrompts();
    var workload =
        new PipelineTarget.Workload(
            i -> "cache-tenant", i -> "a cached question number " + (i % prompts));
    pipeline.with(workload);
    pipeline.burst("cache fill", 200, prompts, Duration.ofMinutes(1)); // misses that fill it
    report.cacheHits =
        steadyPoint(pipeline, rate(settings.cacheRate()) + " (hits)", settings.cacheRate());
  }

  /**
   * Requests one at a time to an otherwise idle system, {@link BenchSettings#aloneEvery()} apart (a
   * second in a measuring run: longer than any answer takes, so none overlaps the next), read by a
   * consumer with a 5 ms fetch wait as a service waiting for its answer would: the latency one
   * caller meets first. The first few are discarded (connections, metadata).
   */
  private void idle(SystemUnderTest sut, RecordSerdes serdes, String prefix, String profile)
      throws InterruptedException {
    try (PipelineTarget alone = PipelineTarget.connect(sut.bootstrapServers(), serdes, prefix, 5)) {
      alone.with(PipelineTarget.Workload.misses(10));
      report.idle.put(profile, oneAtATime(alone, profile));
    }
  }

  /** The measured part of a one-request-alone run, after three discarded requests. */
  private PointResult oneAtATime(LoadTarget<?, ?> alone, String label) throws InterruptedException {
    int requests = (int) Math.max(5, Math.min(20, settings.duration().toSeconds()));
    double rate = 1e9 / settings.aloneEvery().toNanos();
    alone.burst("idle warm-up", rate, 3, settings.drain());
    return print(alone.burst("one at a time, " + label, rate, requests, settings.drain()));
  }

  /**
   * Runs {@code rate} in discarded windows of the warm-up length until two in a row agree ({@link
   * SteadyState}), at most {@link #WARM_WINDOWS} of them: a measured point then no longer carries
   * the JVMs' warm-up, whichever scenarios and rates were asked for. Each window is a rehearsal of
   * the measured point's start: a lead-in as long as its warm-up (not measured), then the window,
   * so that the window's answers per second show a backlog the lead-in left draining (or one
   * growing), which {@link SteadyState#keptPace} judges.
   */
  private void warmUntilSteady(LoadTarget<?, ?> pipeline, double rate) throws InterruptedException {
    if (settings.warmup().isZero()) {
      return;
    }
    PointResult previous = null;
    for (int window = 1; window <= WARM_WINDOWS; window++) {
      PointResult current =
          print(
              pipeline.point(
                  "warm-up " + window + ", " + rate(rate),
                  rate,
                  settings.warmup(),
                  settings.warmup(),
                  settings.drain()));
      if (SteadyState.DEFAULT.settled(previous, current)) {
        return;
      }
      previous = current;
    }
    log.println(
        "bench:   latency at " + rate(rate) + " did not settle in " + WARM_WINDOWS + " windows");
  }

  /** Waits until a trickle of requests is answered promptly: earlier backlogs are gone. */
  private void quiesce(PipelineTarget pipeline) throws InterruptedException {
    for (int i = 0; i < 3; i++) {
      PointResult probe = pipeline.burst("quiesce", 50, 25, Duration.ofMinutes(1));
      if (probe.missing() == 0 && probe.p99Ms() < settings.p99LimitMs()) {
        return;
      }
    }
  }

  // ---- the low-latency profile ------------------------------------------------------------------

  private void lowLatency(SystemUnderTest sut, RecordSerdes serdes) throws Exception {
    try (var started = sut.startApp("alos", Map.of("broker.profile", "low-latency"));
        PipelineTarget pipeline = PipelineTarget.connect(sut.bootstrapServers(), serdes, "alos")) {
      app = started;
      warmUp(pipeline);
      idle(sut, serdes, "alos", LOW_LATENCY);
      addedLatency(pipeline, LOW_LATENCY);
      recordWrites(Benchmark.LOW_LATENCY, "alos");
    }
    deleteTopicsOf("alos");
  }

  // ---- the empty pipeline: the floor of the hops -----------------------------------------------

  /**
   * The {@link EmptyPipeline} under each profile, measured as the pipeline is (same rates, same
   * reader, same one-at-a-time run) and, exactly-once, its one hop as the cache hits are and a
   * point at the throughput goal's rate.
   */
  private void emptyPipelines(SystemUnderTest sut) {
    attempt(
        "empty pipeline, exactly-once",
        null,
        () -> emptyPipeline(sut, "floor-eos", EXACTLY_ONCE, Map.of(), true));
    attempt(
        "empty pipeline, low-latency",
        null,
        () ->
            emptyPipeline(
                sut, "floor-alos", LOW_LATENCY, Map.of("broker.profile", "low-latency"), false));
  }

  private void emptyPipeline(
      SystemUnderTest sut,
      String name,
      String profile,
      Map<String, String> profileSettings,
      boolean exactlyOnce)
      throws Exception {
    String bootstrap = sut.bootstrapServers();
    try (var started = sut.startEmptyPipeline(name, profileSettings);
        RawKafkaTarget hops =
            RawKafkaTarget.through(
                bootstrap, EmptyPipeline.requests(name), EmptyPipeline.results(name), 100)) {
      app = started;
      hops.burst("warm-up", 200, 400, Duration.ofMinutes(1));
      List<PointResult> points = new ArrayList<>();
      for (double rate : settings.latencyRates()) {
        points.add(steadyPoint(hops, "empty " + rate(rate), rate));
      }
      PointResult alone;
      try (RawKafkaTarget one =
          RawKafkaTarget.through(
              bootstrap, EmptyPipeline.requests(name), EmptyPipeline.results(name), 5)) {
        alone = oneAtATime(one, "empty, " + profile);
      }
      PointResult hop = null;
      PointResult throughput = null;
      if (exactlyOnce) {
        try (RawKafkaTarget hits =
            RawKafkaTarget.through(
                bootstrap, EmptyPipeline.hits(name), EmptyPipeline.hitResults(name), 100)) {
          hop =
              steadyPoint(
                  hits, "empty one hop " + rate(settings.cacheRate()), settings.cacheRate());
        }
        try (RawKafkaTarget batching =
            RawKafkaTarget.batchingThrough(
                bootstrap, EmptyPipeline.requests(name), EmptyPipeline.results(name))) {
          throughput =
              steadyPoint(
                  batching,
                  "empty " + rate(settings.floorThroughputRate()),
                  settings.floorThroughputRate());
        }
      }
      report.floor.put(profile, new Report.Floor(points, alone, hop, throughput));
    }
    deleteTopicsOf(name);
  }

  // ---- HTTP overhead ----------------------------------------------------------------------------

  /**
   * {@code /v1/chat/completions} on an app child of each profile, with the simulated provider at
   * {@link BenchSettings#httpProviderLatency()}, beside that provider called directly in this JVM
   * (measured once, before the children start: it does not depend on the profile). See {@link
   * HttpOverhead}.
   */
  private void httpOverhead(SystemUnderTest sut) throws Exception {
    HttpLoads direct;
    try (var provider = new HttpOverhead.Direct(settings.httpProviderLatency())) {
      direct = httpLoads("direct", provider);
    }
    Path config = HttpOverhead.writeConfig(settings.workDir(), "http-bench");
    attempt(
        "HTTP overhead, exactly-once",
        null,
        () -> httpProfile(sut, "http-eos", EXACTLY_ONCE, Map.of(), config, direct));
    attempt(
        "HTTP overhead, low-latency",
        null,
        () ->
            httpProfile(
                sut,
                "http-alos",
                LOW_LATENCY,
                Map.of("broker.profile", "low-latency"),
                config,
                direct));
  }

  /** The two load shapes of the HTTP scenario, measured against one call. */
  private record HttpLoads(PointResult sequential, PointResult open) {}

  private HttpLoads httpLoads(String label, HttpOverhead.Call call) throws InterruptedException {
    PointResult sequential =
        print(
            HttpOverhead.sequential(
                label + ", sequential",
                call,
                settings.httpWarmupRequests(),
                settings.httpSequential(),
                settings.drain()));
    PointResult open =
        print(
            HttpOverhead.openLoop(
                label + ", " + rate(settings.httpRate()),
                call,
                settings.httpRate(),
                settings.warmup(),
                settings.duration(),
                settings.drain()));
    return new HttpLoads(sequential, open);
  }

  private void httpProfile(
      SystemUnderTest sut,
      String name,
      String profile,
      Map<String, String> profileSettings,
      Path config,
      HttpLoads direct)
      throws Exception {
    Map<String, String> extra = new LinkedHashMap<>(profileSettings);
    extra.put("connectors.simulated.latency", settings.httpProviderLatency().toMillis() + "ms");
    extra.put("connectors.simulated.jitter", "0ms");
    try (var started = sut.startApp(name, extra, config);
        var chat = new HttpOverhead.Chat(started.httpUrl(), settings.drain())) {
      app = started;
      HttpLoads http = httpLoads("http", chat);
      report.http.add(
          new Report.Http(
              profile, HttpOverhead.SEQUENTIAL, http.sequential(), direct.sequential()));
      report.http.add(
          new Report.Http(
              profile, HttpOverhead.openLoop(settings.httpRate()), http.open(), direct.open()));
      if (chat.firstFailure() != null) {
        log.println("bench:   first failed HTTP answer: " + chat.firstFailure());
      }
    }
    deleteTopicsOf(name);
  }

  // ---- worker capacity --------------------------------------------------------------------------

  private void workerCapacity(SystemUnderTest sut, RecordSerdes serdes) throws Exception {
    Map<String, String> extra = new LinkedHashMap<>();
    extra.put("connectors.simulated.latency", settings.workerLatency().toMillis() + "ms");
    extra.put("workers.consumers", Integer.toString(settings.workerConsumers()));
    extra.put("workers.max-poll-records", Integer.toString(settings.workerMaxPollRecords()));
    extra.put("workers.max-in-flight-per-deployment", Integer.toString(settings.workerPermits()));
    String described =
        settings.workerConsumers()
            + " consumers x "
            + settings.workerMaxPollRecords()
            + " records per poll, "
            + settings.workerPermits()
            + " calls per deployment, provider latency "
            + settings.workerLatency().toMillis()
            + " ms";
    try (var worker = sut.startWorker("worker", extra);
        WorkerTarget target = WorkerTarget.connect(sut.bootstrapServers(), serdes, "worker")) {
      AtomicLong inFlight = new AtomicLong();
      AtomicLong held = new AtomicLong();
      AtomicLong heap = new AtomicLong();
      Thread sampler =
          Thread.ofPlatform()
              .daemon()
              .start(
                  () -> {
                    while (!Thread.currentThread().isInterrupted()) {
                      try {
                        MetricsScrape m = MetricsScrape.of(worker.httpUrl());
                        inFlight.accumulateAndGet(
                            (long) m.sum("aibroker_worker_calls_in_flight", ""), Math::max);
                        held.accumulateAndGet(
                            (long) m.sum("aibroker_worker_records_held", ""), Math::max);
                        heap.accumulateAndGet(m.heapUsed(), Math::max);
                        Thread.sleep(250);
                      } catch (InterruptedException e) {
                        return;
                      } catch (Exception e) {
                        // a slow scrape under load: try again
                      }
                    }
                  });
      // the share group's first assignment takes a few seconds: not part of the measurement
      target.burst(
          "warm-up", 100, 100, settings.drain().plus(settings.workerLatency().multipliedBy(10)));
      long calls = settings.workerCalls();
      double sendRate = calls / Math.max(0.5, settings.workerLatency().toMillis() / 1000.0);
      PointResult run =
          target.burst(
              calls + " calls",
              sendRate,
              calls,
              settings.drain().plus(settings.workerLatency().multipliedBy(10)));
      sampler.interrupt();
      sampler.join(5_000);
      long answered = run.measured() - run.missing();
      report.worker =
          new Report.WorkerCapacity(
              calls,
              answered,
              inFlight.get(),
              held.get(),
              run.completedRate(),
              run,
              heap.get(),
              settings.childHeap(),
              described);
      log.printf(
          "bench:   worker: %d calls, peak %d in flight, %.0f/s, peak heap %d MiB%n",
          calls, inFlight.get(), run.completedRate(), heap.get() >> 20);
    }
    deleteTopicsOf("worker");
  }

  // ---- growth -----------------------------------------------------------------------------------

  private void growth(SystemUnderTest sut, RecordSerdes serdes) throws Exception {
    double saturationRate = saturationRate();
    String name = "growth";
    try (var started = sut.startApp(name, Map.of());
        PipelineTarget pipeline = PipelineTarget.connect(sut.bootstrapServers(), serdes, name)) {
      app = started;
      warmUp(pipeline);
      for (int tenants : settings.growthTenants()) {
        String note = "";
        pipeline.with(PipelineTarget.Workload.misses(tenants));
        long touched =
            (long)
                (settings.growthRate()
                    * (settings.warmup().toSeconds() + settings.duration().toSeconds()));
        if (tenants > touched) {
          // every tenant must have state before the measurement: one request each
          PointResult seed =
              pipeline.burst("seed", settings.seedRate(), tenants, Duration.ofMinutes(5));
          note = "seeded " + tenants + " tenants (" + seed.missing() + " unanswered)";
          quiesce(pipeline);
        }
        report.growth.add(
            growthCase(started, pipeline, tenants + " tenants", saturationRate, note));
      }
    }
    if (settings.growthCacheEntries() > 0) {
      String topic = CachePrefill.changelog(name + "-broker");
      long entries = settings.growthCacheEntries();
      double wrote = CachePrefill.write(sut.bootstrapServers(), serdes, topic, entries);
      long restartBegin = System.nanoTime();
      try (var started = sut.startApp(name, Map.of());
          PipelineTarget pipeline = PipelineTarget.connect(sut.bootstrapServers(), serdes, name)) {
        app = started;
        double restored = (System.nanoTime() - restartBegin) / 1e9;
        pipeline.with(PipelineTarget.Workload.misses(10));
        warmUp(pipeline);
        String note =
            String.format(
                "%,d entries written to the changelog in %.0f s; restart with restore %.0f s",
                entries, wrote, restored);
        report.growth.add(
            growthCase(
                app, pipeline, String.format("%,d cache entries", entries), saturationRate, note));
      }
    }
    deleteTopicsOf(name);
  }

  private Report.Growth growthCase(
      SystemUnderTest.AppChild app,
      PipelineTarget pipeline,
      String label,
      double saturationRate,
      String note)
      throws InterruptedException {
    PointResult saturation =
        print(
            measuredPoint(
                pipeline,
                label + " @ " + rate(saturationRate),
                saturationRate,
                settings.warmup(),
                settings.duration(),
                settings.drain()));
    quiesce(pipeline);
    PointResult fixed =
        print(
            measuredPoint(
                pipeline,
                label + " @ " + rate(settings.growthRate()),
                settings.growthRate(),
                settings.warmup(),
                settings.duration(),
                settings.drain()));
    SystemUnderTest.Memory memory = app.memory(true);
    log.printf(
        "bench:   %s: heap %d MiB after GC, RSS %d MiB%n",
        label, memory.heapUsed() >> 20, memory.resident() >> 20);
    return new Report.Growth(label, saturation, fixed, memory, note);
  }

  /** Above the pipeline's capacity (1.5x the best stepped rate), so throughput is the limit. */
  private double saturationRate() {
    double best = report.pipelineBestRate(settings.p99LimitMs());
    if (best <= 0) {
      // no step met the limit (or the search did not run): the lowest step is the best guess
      best = settings.pipelineRates().get(0);
    }
    return Math.round(best * 1.5);
  }

  // ---- helpers ----------------------------------------------------------------------------------

  /** Kafka records written per request by the app with this prefix, over all its requests. */
  private void recordWrites(String profile, String prefix) {
    try {
      Map<String, Double> writes =
          KafkaWrites.perRequest(sut.bootstrapServers(), prefix, prefix + "-broker");
      report.writes.put(profile, writes);
      log.println("bench:   Kafka records per request: " + writes);
    } catch (Exception e) {
      report.problems.add("counting Kafka writes of " + prefix + " failed: " + e);
    }
  }

  /** A measured point at {@code rate} once it is steady ({@link #warmUntilSteady}), printed. */
  private PointResult steadyPoint(LoadTarget<?, ?> target, String label, double rate)
      throws InterruptedException {
    warmUntilSteady(target, rate);
    return print(
        measuredPoint(
            target, label, rate, settings.warmup(), settings.duration(), settings.drain()));
  }

  /**
   * A load point, with the CPU the app, Kafka and load generator JVMs spent on it and how busy the
   * machine was.
   */
  private PointResult measuredPoint(
      LoadTarget<?, ?> pipeline,
      String label,
      double rate,
      Duration warmup,
      Duration duration,
      Duration drain)
      throws InterruptedException {
    double appBefore = app == null ? Double.NaN : app.process().cpuSeconds();
    double kafkaBefore = sut.kafkaCpuSeconds();
    CpuClock.Reading before = CpuClock.read();
    PointResult point = pipeline.point(label, rate, warmup, duration, drain);
    CpuClock.Reading after = CpuClock.read();
    double appAfter = app == null ? Double.NaN : app.process().cpuSeconds();
    long sends = Math.round(rate * (warmup.toMillis() + duration.toMillis()) / 1000.0);
    return point.withCpu(
        before.until(after, appAfter - appBefore, sut.kafkaCpuSeconds() - kafkaBefore), sends);
  }

  private PointResult print(PointResult point) {
    log.printf(
        "bench:   %-28s sent %8.0f/s  done %8.0f/s  p50 %7.1f  p99 %7.1f  p99.9 %7.1f  max %7.1f ms"
            + "  failed %d  missing %d  cpu/req app %.2f kafka %.2f generator %.2f ms"
            + "  machine %.0f%% busy%n",
        point.label(),
        point.sentRate(),
        point.completedRate(),
        point.p50Ms(),
        point.p99Ms(),
        point.p999Ms(),
        point.maxMs(),
        point.failures(),
        point.missing(),
        point.appCpuMs(),
        point.kafkaCpuMs(),
        point.generatorCpuMs(),
        100 * point.machineBusy());
    return point;
  }

  private static String rate(double perSecond) {
    return String.format("%,.0f/s", perSecond);
  }
}
