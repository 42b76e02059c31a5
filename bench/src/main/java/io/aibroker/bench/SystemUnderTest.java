package io.aibroker.bench;

import io.aibroker.embedded.ChildJvm;
import io.aibroker.embedded.FreePorts;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;

/**
 * The system under test, each part in a JVM of its own: a Kafka child (embedded KRaft Kafka and
 * Schema Registry, nothing else) unless an existing cluster is given, and app children (broker and
 * workers, or workers only) started against it with the settings of each scenario. The children run
 * {@code aibroker run} / {@code aibroker worker} from this JVM's class path.
 */
final class SystemUnderTest implements AutoCloseable {

  private static final Duration START_TIMEOUT = Duration.ofMinutes(3);
  private static final Duration STOP_TIMEOUT = Duration.ofMinutes(1);

  private final BenchSettings settings;
  private final ChildJvm kafka;
  private final String bootstrapServers;
  private final String registryUrl;

  private SystemUnderTest(
      BenchSettings settings, ChildJvm kafka, String bootstrapServers, String registryUrl) {
    this.settings = settings;
    this.kafka = kafka;
    this.bootstrapServers = bootstrapServers;
    this.registryUrl = registryUrl;
  }

  /** Uses the given cluster, or starts the Kafka child. */
  static SystemUnderTest start(BenchSettings settings) throws IOException, InterruptedException {
    if (settings.bootstrapServers() != null) {
      return new SystemUnderTest(
          settings, null, settings.bootstrapServers(), settings.schemaRegistryUrl());
    }
    int kafkaPort = freePort();
    int registryPort = freePort();
    Map<String, String> config = new LinkedHashMap<>();
    config.put("data-dir", settings.workDir().resolve("kafka").toString());
    config.put("kafka.embedded-port", Integer.toString(kafkaPort));
    config.put("schema-registry.embedded-port", Integer.toString(registryPort));
    config.put("http.port", Integer.toString(freePort()));
    config.put("topics.partitions", Integer.toString(settings.partitions()));
    ChildJvm kafka =
        startChild(
            "kafka",
            settings.platformMain(),
            List.of("run", "--no-broker", "--no-workers"),
            jvmFlags(settings, "kafka"),
            environment(config),
            "aibroker ready",
            settings.workDir().resolve("kafka.log"));
    return new SystemUnderTest(
        settings, kafka, "127.0.0.1:" + kafkaPort, "http://127.0.0.1:" + registryPort);
  }

  String bootstrapServers() {
    return bootstrapServers;
  }

  String registryUrl() {
    return registryUrl;
  }

  /**
   * Deletes the topics of the app (or empty pipeline) started as {@code name} once its scenarios
   * are done: every topic starting with {@code name.} (its own) or {@code name-} (its Streams
   * changelogs and repartition topics). On the benchmark's own Kafka only, never on a given
   * cluster. Left in place, their changelogs are compacted by Kafka's log cleaner while the next
   * scenarios are measured.
   */
  void deleteTopicsOf(String name) throws Exception {
    if (kafka == null) {
      return;
    }
    try (Admin admin = Admin.create(Map.of("bootstrap.servers", bootstrapServers))) {
      List<String> topics =
          admin.listTopics().names().get(30, TimeUnit.SECONDS).stream()
              .filter(t -> t.startsWith(name + ".") || t.startsWith(name + "-"))
              .toList();
      admin.deleteTopics(topics).all().get(60, TimeUnit.SECONDS);
    }
  }

  /** CPU seconds the Kafka child has used, or NaN (an external cluster). */
  double kafkaCpuSeconds() {
    return kafka == null ? Double.NaN : kafka.cpuSeconds();
  }

  /**
   * Starts the broker and workers (everything but Kafka) with topics, application id and group of
   * their own ({@code name} is the topic prefix), the simulated provider, and the extra settings.
   */
  AppChild startApp(String name, Map<String, String> extra)
      throws IOException, InterruptedException {
    return startApp(name, extra, null);
  }

  /**
   * As {@link #startApp(String, Map)}, with {@code aibroker run --config configFile} (null: none):
   * for what environment variables cannot set, such as the entries of {@code http.api-keys}. The
   * environment variables still override its scalar settings.
   */
  AppChild startApp(String name, Map<String, String> extra, Path configFile)
      throws IOException, InterruptedException {
    Map<String, String> config = appSettings(name, extra);
    int httpPort = Integer.parseInt(config.get("http.port"));
    List<String> args =
        configFile == null ? List.of("run") : List.of("run", "--config", configFile.toString());
    ChildJvm child =
        startChild(
            name,
            settings.platformMain(),
            args,
            jvmFlags(settings, name),
            environment(config),
            "aibroker ready",
            settings.workDir().resolve(name + ".log"));
    return new AppChild(name, child, "http://127.0.0.1:" + httpPort);
  }

  /** Starts workers only ({@code aibroker worker}) with topics and share group of their own. */
  AppChild startWorker(String name, Map<String, String> extra)
      throws IOException, InterruptedException {
    Map<String, String> config = appSettings(name, extra);
    int httpPort = Integer.parseInt(config.get("http.port"));
    ChildJvm child =
        startChild(
            name,
            settings.platformMain(),
            List.of("worker"),
            jvmFlags(settings, name),
            environment(config),
            "aibroker worker ready",
            settings.workDir().resolve(name + ".log"));
    return new AppChild(name, child, "http://127.0.0.1:" + httpPort);
  }

  /**
   * Starts the {@link EmptyPipeline} (the pipeline's hops with no work in them) with the app's
   * settings for {@code name} and the extra ones ({@code broker.profile} applies). The child has no
   * HTTP endpoint.
   */
  AppChild startEmptyPipeline(String name, Map<String, String> extra)
      throws IOException, InterruptedException {
    ChildJvm child =
        startChild(
            name,
            EmptyPipeline.class.getName(),
            List.of(),
            jvmFlags(settings, name),
            environment(appSettings(name, extra)),
            EmptyPipeline.READY,
            settings.workDir().resolve(name + ".log"));
    return new AppChild(name, child, null);
  }

  /**
   * Starts {@code mainClass args} on this JVM's class path with the given JVM flags and
   * environment, its output in a fresh {@code logFile}, and waits until it prints a line starting
   * with {@code readyPrefix}.
   *
   * @throws IllegalStateException if it did not get ready within {@link #START_TIMEOUT} (it is
   *     killed then)
   */
  private static ChildJvm startChild(
      String name,
      String mainClass,
      List<String> args,
      List<String> jvmFlags,
      Map<String, String> environment,
      String readyPrefix,
      Path logFile)
      throws IOException {
    Files.deleteIfExists(logFile);
    ChildJvm child =
        ChildJvm.builder(name, mainClass)
            .args(args.toArray(String[]::new))
            .jvmOptions(jvmFlags.toArray(String[]::new))
            .environment(environment)
            .readyPrefix(readyPrefix)
            .logFile(logFile)
            .start();
    child.awaitReady(START_TIMEOUT);
    return child;
  }

  private Map<String, String> appSettings(String name, Map<String, String> extra) {
    Map<String, String> config = new LinkedHashMap<>();
    config.put("data-dir", settings.workDir().resolve(name).toString());
    config.put("kafka.bootstrap-servers", bootstrapServers);
    config.put("schema-registry.url", registryUrl);
    config.put("http.port", Integer.toString(freePort()));
    config.put("topics.prefix", name);
    config.put("topics.partitions", Integer.toString(settings.partitions()));
    config.put("broker.application-id", name + "-broker");
    config.put("workers.group-id", name + "-workers");
    config.put("connectors.simulated.latency", "0ms");
    config.put("connectors.simulated.jitter", "0ms");
    config.putAll(extra);
    return config;
  }

  /** Heap limit, and a flight recording named after the child with {@code --jfr}. */
  private static List<String> jvmFlags(BenchSettings settings, String name) {
    List<String> flags = new ArrayList<>();
    flags.add("-Xmx" + settings.childHeap());
    if (settings.jfr()) {
      flags.add(
          "-XX:StartFlightRecording=filename="
              + settings.workDir().resolve(name + ".jfr")
              + ",settings=profile,dumponexit=true");
    }
    return flags;
  }

  /** The settings as the {@code AIBROKER_*} environment variables the app reads. */
  static Map<String, String> environment(Map<String, String> settings) {
    Map<String, String> env = new LinkedHashMap<>();
    settings.forEach(
        (path, value) ->
            env.put(
                "AIBROKER_" + path.toUpperCase(Locale.ROOT).replace('.', '_').replace('-', '_'),
                value));
    return env;
  }

  static int freePort() {
    return FreePorts.pick();
  }

  /** Stops a child with SIGTERM, and SIGKILL if it takes longer than {@link #STOP_TIMEOUT}. */
  static void stop(ChildJvm child) {
    if (child.isAlive()) {
      child.stop(STOP_TIMEOUT);
    }
  }

  @Override
  public void close() {
    if (kafka != null) {
      stop(kafka);
    }
  }

  /** A running app child: its process and HTTP endpoint. */
  record AppChild(String name, ChildJvm process, String httpUrl) implements AutoCloseable {

    /** Heap and resident memory now; after a full GC when {@code collect} (live data only). */
    Memory memory(boolean collect) {
      boolean collected = collect && process.collectGarbage();
      long heap = -1;
      try {
        heap = MetricsScrape.of(httpUrl).heapUsed();
      } catch (IOException e) {
        // reported as unknown
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      return new Memory(heap, process.residentBytes(), collected);
    }

    @Override
    public void close() {
      stop(process);
    }
  }

  /**
   * Memory of a child.
   *
   * @param heapUsed heap in use, bytes (-1 unknown)
   * @param resident resident set size, bytes (-1 unknown)
   * @param afterGc whether a full GC ran just before
   */
  record Memory(long heapUsed, long resident, boolean afterGc) {}
}
