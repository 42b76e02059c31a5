package io.aibroker.reliability;

import io.aibroker.app.Main;
import io.aibroker.app.NativeAllocator;
import io.aibroker.app.TopicProvisioner;
import io.aibroker.embedded.ChildJvm;
import io.aibroker.embedded.EmbeddedKafkaCluster;
import io.aibroker.embedded.EmbeddedSchemaRegistry;
import io.aibroker.embedded.FreePorts;
import io.aibroker.registry.RestSchemaRegistryClient;
import io.aibroker.registry.SchemaRegistryConfig;
import io.aibroker.schemas.RecordSerdes;
import io.aibroker.topics.Topics;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.admin.Admin;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * aibroker deployed the way production runs it, every part an OS process that can be killed: a
 * Kafka cluster of one controller and three brokers ({@link EmbeddedKafkaCluster}), the broker app
 * ({@code aibroker run} with workers off) and two workers ({@code aibroker worker}), each in its
 * own JVM. The Schema Registry runs in the test JVM against the cluster. Topics, Streams internal
 * topics included, have replication 3 and min.insync.replicas 2.
 *
 * <p>Each worker run writes the calls its simulated provider received to a call log of its own
 * ({@code calls/worker-<n>-run-<k>.log}), so provider calls can be counted across crashes.
 */
final class AibrokerProcesses implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(AibrokerProcesses.class);
  private static final Duration START_TIMEOUT = Duration.ofSeconds(180);
  static final Topics TOPICS = Topics.defaults();

  private final Path dir;
  private final Duration providerLatency;
  private EmbeddedKafkaCluster kafka;
  private EmbeddedSchemaRegistry registry;
  private RecordSerdes serdes;
  private ChildJvm app;
  private int appRuns;
  private final Path appDataDir;
  private final int appHttpPort = freePort();
  private final Map<Integer, ChildJvm> workers = new LinkedHashMap<>();
  private final Map<Integer, Integer> workerRuns = new LinkedHashMap<>();
  private final List<Path> callLogs = new ArrayList<>();
  private final Map<Integer, String> workerUrls = new LinkedHashMap<>();
  private String extraAppSettings = "";
  private final List<String> extraAppJvmOptions = new ArrayList<>(jvmOptionsFromProperty());

  AibrokerProcesses(Path dir, Duration providerLatency) {
    this.dir = dir;
    this.providerLatency = providerLatency;
    this.appDataDir = dir.resolve("app-data");
  }

  /**
   * YAML lines added to the broker app's configuration, e.g. shorter idempotency windows for the
   * soak; call before {@link #start}.
   */
  AibrokerProcesses withAppSettings(String yaml) {
    this.extraAppSettings = yaml;
    return this;
  }

  /** JVM options added to the broker app's; call before {@link #start}. */
  AibrokerProcesses withAppJvmOptions(String... options) {
    extraAppJvmOptions.addAll(List.of(options));
    return this;
  }

  /** Starts Kafka, the registry, the topics, the broker app and {@code workerCount} workers. */
  AibrokerProcesses start(int workerCount) throws Exception {
    kafka =
        EmbeddedKafkaCluster.builder(dir.resolve("kafka"))
            .heap("-Xmx512m", "-Xmx256m")
            .build()
            .start();
    registry = EmbeddedSchemaRegistry.builder(kafka.bootstrapServers()).port(0).build().start();
    serdes =
        new RecordSerdes(new RestSchemaRegistryClient(SchemaRegistryConfig.of(registry.url())));
    try (Admin admin = Admin.create(clientProperties())) {
      TopicProvisioner provisioner = new TopicProvisioner(admin, TOPICS, 6, (short) 3);
      provisioner.ensureTopics(List.of("simulated"));
      provisioner.prepareShareGroup("aibroker-workers");
    }
    startApp();
    for (int n = 1; n <= workerCount; n++) {
      startWorker(n);
    }
    return this;
  }

  String bootstrapServers() {
    return kafka.bootstrapServers();
  }

  RecordSerdes serdes() {
    return serdes;
  }

  EmbeddedKafkaCluster kafka() {
    return kafka;
  }

  Map<String, Object> clientProperties() {
    return Map.of("bootstrap.servers", kafka.bootstrapServers());
  }

  /** The broker app's Streams state directory. */
  Path streamsStateDir() {
    return appDataDir.resolve("streams");
  }

  /** The running broker app. */
  ChildJvm app() {
    return app;
  }

  /** The HTTP port of the broker app (/metrics). */
  int appHttpPort() {
    return appHttpPort;
  }

  /** The running worker {@code n}. */
  ChildJvm worker(int n) {
    return workers.get(n);
  }

  /** The HTTP endpoint (/metrics) of worker {@code n}, from its ready line. */
  String workerUrl(int n) {
    return workerUrls.get(n);
  }

  List<Integer> workerNumbers() {
    return List.copyOf(workers.keySet());
  }

  /** Call logs of every worker run so far, oldest first. */
  List<Path> callLogs() {
    return List.copyOf(callLogs);
  }

  /** The call log of worker {@code n}'s current run. */
  Path currentCallLog(int n) {
    return callLog(n, workerRuns.get(n));
  }

  /** Starts (or restarts) the broker app and waits until its Streams are RUNNING. */
  Duration startApp() throws IOException {
    appRuns++;
    Path config = dir.resolve("config/app.yaml");
    writeConfig(
        config,
        """
        data-dir: "%s"
        topics: {replication-factor: 3}
        kafka: {bootstrap-servers: "%s"}
        schema-registry: {url: "%s"}
        http: {port: %d}
        workers: {enabled: false}
        """
                .formatted(appDataDir, kafka.bootstrapServers(), registry.url(), appHttpPort)
            + extraAppSettings);
    long started = System.nanoTime();
    app =
        ChildJvm.builder("app", Main.class.getName())
            .args("run", "--config", config.toString())
            .jvmOptions(fixedHeap("512m"))
            .jvmOptions(extraAppJvmOptions.toArray(String[]::new))
            // as bin/aibroker and the container image run it (NativeAllocator)
            .environment(NativeAllocator.jemallocEnvironment())
            .environment(extraAppEnvironment())
            .logFile(dir.resolve("logs/app.log"))
            .readyPrefix("aibroker ready")
            .start();
    app.awaitReady(START_TIMEOUT);
    Duration took = Duration.ofNanos(System.nanoTime() - started);
    LOG.info("broker app run {} ready in {} ms", appRuns, took.toMillis());
    return took;
  }

  /**
   * A heap of fixed size, touched in full at start: the process's RSS then holds the whole heap
   * from the beginning, and whatever it gains later is memory outside the heap (the soak's
   * question), not G1 touching more of the heap it was already given.
   */
  private static String[] fixedHeap(String size) {
    return new String[] {"-Xms" + size, "-Xmx" + size, "-XX:+AlwaysPreTouch"};
  }

  /**
   * JVM options added to the broker app's, from {@code -Dreliability.app.jvm-options} (separated by
   * spaces), e.g. {@code -XX:NativeMemoryTracking=summary} to see where native memory goes.
   */
  private static List<String> jvmOptionsFromProperty() {
    String options = System.getProperty("reliability.app.jvm-options", "").strip();
    return options.isEmpty() ? List.of() : List.of(options.split("\\s+"));
  }

  /**
   * Environment variables added to the broker app's, from {@code -Dreliability.app.env} ({@code
   * NAME=value} pairs separated by semicolons), e.g. {@code MALLOC_ARENA_MAX=2} or an {@code
   * LD_PRELOAD} of another allocator.
   */
  private static Map<String, String> extraAppEnvironment() {
    Map<String, String> environment = new LinkedHashMap<>();
    for (String pair : System.getProperty("reliability.app.env", "").split(";")) {
      int equals = pair.indexOf('=');
      if (equals > 0) {
        environment.put(pair.substring(0, equals).strip(), pair.substring(equals + 1).strip());
      }
    }
    return environment;
  }

  /** Starts (or restarts) worker {@code n} with a fresh call log and waits until it serves. */
  Duration startWorker(int n) throws IOException {
    int run = workerRuns.merge(n, 1, Integer::sum);
    Path callLog = callLog(n, run);
    callLogs.add(callLog);
    Path config = dir.resolve("config/worker-" + n + ".yaml");
    writeConfig(
        config,
        """
        data-dir: "%s"
        topics: {replication-factor: 3}
        kafka: {bootstrap-servers: "%s"}
        schema-registry: {url: "%s"}
        http: {port: 0}
        connectors:
          simulated: {latency: %dms, jitter: %dms, call-log: "%s"}
        """
            .formatted(
                dir.resolve("worker-" + n + "-data"),
                kafka.bootstrapServers(),
                registry.url(),
                providerLatency.toMillis(),
                providerLatency.toMillis() / 2,
                callLog));
    long started = System.nanoTime();
    ChildJvm worker =
        ChildJvm.builder("worker-" + n, Main.class.getName())
            .args("worker", "--config", config.toString())
            .jvmOptions(fixedHeap("384m"))
            .logFile(dir.resolve("logs/worker-" + n + ".log"))
            .readyPrefix("aibroker worker ready")
            .start();
    workers.put(n, worker);
    String ready = worker.awaitReady(START_TIMEOUT);
    var url = java.util.regex.Pattern.compile("http (http://\\S+)").matcher(ready);
    if (url.find()) {
      workerUrls.put(n, url.group(1));
    }
    return Duration.ofNanos(System.nanoTime() - started);
  }

  private Path callLog(int n, int run) {
    return dir.resolve("calls/worker-" + n + "-run-" + run + ".log");
  }

  private static void writeConfig(Path file, String yaml) {
    try {
      Files.createDirectories(file.getParent());
      Files.writeString(file, yaml);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static int freePort() {
    return FreePorts.pick();
  }

  /** Stops workers, then the broker app (SIGTERM), then the registry and Kafka. */
  @Override
  public void close() {
    workers.values().forEach(w -> stopQuietly(w));
    if (app != null) {
      stopQuietly(app);
    }
    if (registry != null) {
      registry.close();
    }
    if (kafka != null) {
      kafka.close();
    }
  }

  private static void stopQuietly(ChildJvm child) {
    try {
      if (child.isAlive()) {
        child.stop(Duration.ofSeconds(60));
      }
    } catch (RuntimeException e) {
      LOG.warn("stopping {} failed", child.name(), e);
      child.close();
    }
  }
}
