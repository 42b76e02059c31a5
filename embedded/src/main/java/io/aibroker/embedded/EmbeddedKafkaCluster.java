package io.aibroker.embedded;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.ListTopicsOptions;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.Node;
import org.apache.kafka.common.Uuid;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A real multi-node KRaft Kafka cluster for fault tests: one controller and N brokers (default 3),
 * each node an OS process of its own ({@link EmbeddedKafkaNode} in a {@link ChildJvm}), so any node
 * can be killed with SIGKILL and restarted on its data dir.
 *
 * <p>The controller is a separate node: three combined broker+controller nodes were seen to hang on
 * shutdown (each waits for the others' controller quorum as it leaves). Topics default to
 * replication 3 (at most the broker count) with {@code min.insync.replicas} 2, internal topics
 * likewise, and a short broker session so a restarted broker is let back in within seconds. Ports
 * are chosen once and kept across restarts.
 *
 * <p>Not thread-safe: one test drives it.
 */
public final class EmbeddedKafkaCluster implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(EmbeddedKafkaCluster.class);

  /** Node id of the controller; brokers are 1..N. */
  public static final int CONTROLLER_ID = 0;

  private static final String HOST = "127.0.0.1";

  private final Builder settings;
  private final String clusterId = Uuid.randomUuid().toString();
  private final Map<Integer, Integer> ports = new LinkedHashMap<>();
  private final Map<Integer, ChildJvm> running = new LinkedHashMap<>();
  private final Map<Integer, Duration> startupTimes = new LinkedHashMap<>();

  private EmbeddedKafkaCluster(Builder settings) {
    this.settings = settings;
  }

  /** Starts describing a cluster whose nodes keep their data under {@code dataDir}. */
  public static Builder builder(Path dataDir) {
    return new Builder(dataDir);
  }

  /**
   * Starts the controller, then every broker, and waits until all brokers are registered.
   *
   * @return this cluster
   */
  public EmbeddedKafkaCluster start() {
    Set<Integer> taken = new TreeSet<>();
    for (int id = CONTROLLER_ID; id <= settings.brokers; id++) {
      int port = FreePorts.pick(HOST, 0);
      while (!taken.add(port)) {
        port = FreePorts.pick(HOST, port);
      }
      ports.put(id, port);
    }
    launch(CONTROLLER_ID);
    for (int id : brokerIds()) {
      launch(id);
    }
    for (int id : nodeIds()) {
      awaitNode(id);
    }
    awaitBrokers(settings.brokers);
    LOG.info(
        "Kafka cluster {} ready: controller {}, brokers {}",
        clusterId,
        HOST + ":" + ports.get(CONTROLLER_ID),
        bootstrapServers());
    return this;
  }

  /** {@code bootstrap.servers} naming every broker. */
  public String bootstrapServers() {
    return brokerIds().stream()
        .map(id -> HOST + ":" + ports.get(id))
        .collect(Collectors.joining(","));
  }

  /** The broker node ids, 1..N. */
  public List<Integer> brokerIds() {
    List<Integer> ids = new ArrayList<>();
    for (int id = 1; id <= settings.brokers; id++) {
      ids.add(id);
    }
    return ids;
  }

  /** The controller and broker ids. */
  public List<Integer> nodeIds() {
    List<Integer> ids = new ArrayList<>();
    ids.add(CONTROLLER_ID);
    ids.addAll(brokerIds());
    return ids;
  }

  /** The cluster id every node was formatted with. */
  public String clusterId() {
    return clusterId;
  }

  /** Whether the node's process runs. */
  public boolean isRunning(int nodeId) {
    ChildJvm node = running.get(nodeId);
    return node != null && node.isAlive();
  }

  /** OS process id of a running node. */
  public long pid(int nodeId) {
    return node(nodeId).pid();
  }

  /** The log file of a node (all its runs). */
  public Path logFile(int nodeId) {
    return settings.dataDir.resolve("node-" + nodeId + ".log");
  }

  /** How long the node's last start took until it was ready. */
  public Duration lastStartupTime(int nodeId) {
    return startupTimes.get(nodeId);
  }

  /** Crashes a node with SIGKILL. */
  public void kill(int nodeId) {
    ChildJvm node = node(nodeId);
    node.kill();
    running.remove(nodeId);
    LOG.info("Kafka node {} killed (SIGKILL)", nodeId);
  }

  /** Stops a node with SIGTERM and waits for it. */
  public void stop(int nodeId) {
    ChildJvm node = node(nodeId);
    node.stop(settings.startupTimeout);
    running.remove(nodeId);
  }

  /** Starts a stopped or killed node again on its data dir and ports, and waits until it serves. */
  public Duration restart(int nodeId) {
    if (isRunning(nodeId)) {
      throw new IllegalStateException("Kafka node " + nodeId + " is running");
    }
    launch(nodeId);
    awaitNode(nodeId);
    LOG.info("Kafka node {} back in {} ms", nodeId, startupTimes.get(nodeId).toMillis());
    return startupTimes.get(nodeId);
  }

  /**
   * Waits until every partition of every topic has all its replicas in sync, and returns how long
   * that took.
   *
   * @throws IllegalStateException if that does not happen within {@code timeout}
   */
  public Duration awaitFullyReplicated(Duration timeout) {
    long started = System.nanoTime();
    long deadline = started + timeout.toNanos();
    try (Admin admin = admin()) {
      String lagging = "?";
      while (System.nanoTime() < deadline) {
        try {
          Set<String> names =
              admin
                  .listTopics(new ListTopicsOptions().listInternal(true))
                  .names()
                  .get(10, TimeUnit.SECONDS);
          Map<String, TopicDescription> topics =
              admin.describeTopics(names).allTopicNames().get(10, TimeUnit.SECONDS);
          lagging =
              topics.values().stream()
                  .flatMap(
                      t ->
                          t.partitions().stream()
                              .filter(p -> p.isr().size() < p.replicas().size())
                              .map(p -> t.name() + "-" + p.partition()))
                  .limit(5)
                  .collect(Collectors.joining(", "));
          if (lagging.isEmpty()) {
            return Duration.ofNanos(System.nanoTime() - started);
          }
        } catch (ExecutionException | TimeoutException e) {
          lagging = e.toString();
        } catch (InterruptedException e) {
          throw interrupted(e);
        }
        sleep(200);
      }
      throw new IllegalStateException(
          "replicas not in sync within " + timeout + "; e.g. " + lagging);
    }
  }

  /** Stops the brokers, then the controller (SIGTERM, SIGKILL when one hangs). */
  @Override
  public void close() {
    List<Integer> order = new ArrayList<>(brokerIds());
    order.add(CONTROLLER_ID);
    for (int id : order) {
      ChildJvm node = running.remove(id);
      if (node != null) {
        try {
          node.stop(Duration.ofSeconds(30));
        } catch (RuntimeException e) {
          LOG.warn("stopping Kafka node {} failed", id, e);
          node.close();
        }
      }
    }
  }

  private ChildJvm node(int nodeId) {
    ChildJvm node = running.get(nodeId);
    if (node == null) {
      throw new IllegalStateException("Kafka node " + nodeId + " is not running");
    }
    return node;
  }

  private void launch(int nodeId) {
    Path dir = settings.dataDir.resolve("node-" + nodeId);
    Path propertiesFile = dir.resolve("node.properties");
    try {
      Files.createDirectories(dir);
      Properties props = new Properties();
      props.putAll(nodeProperties(nodeId, dir));
      try (OutputStream out = Files.newOutputStream(propertiesFile)) {
        props.store(out, "Kafka node " + nodeId + " of an EmbeddedKafkaCluster");
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot prepare " + dir, e);
    }
    startupTimes.put(nodeId, Duration.ofNanos(-System.nanoTime()));
    ChildJvm node =
        ChildJvm.builder("kafka-" + nodeId, EmbeddedKafkaNode.class.getName())
            .args(propertiesFile.toString(), clusterId)
            .jvmOptions(nodeId == CONTROLLER_ID ? settings.controllerHeap : settings.brokerHeap)
            .jvmOptions(settings.jvmOptions.toArray(String[]::new))
            .classPath(settings.classPath)
            .logFile(logFile(nodeId))
            .readyPrefix(EmbeddedKafkaNode.READY_PREFIX)
            .start();
    running.put(nodeId, node);
  }

  private void awaitNode(int nodeId) {
    node(nodeId).awaitReady(settings.startupTimeout);
    startupTimes.compute(nodeId, (id, negativeStart) -> negativeStart.plusNanos(System.nanoTime()));
  }

  /** Settings of one node: the defaults for fault tests, then the builder's overrides. */
  Map<String, String> nodeProperties(int nodeId, Path dir) {
    String controller = HOST + ":" + ports.get(CONTROLLER_ID);
    Map<String, String> p = new LinkedHashMap<>();
    p.put("node.id", Integer.toString(nodeId));
    p.put("controller.quorum.voters", CONTROLLER_ID + "@" + controller);
    p.put("controller.listener.names", "CONTROLLER");
    p.put("listener.security.protocol.map", "PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT");
    p.put("log.dirs", dir.resolve("kafka-logs").toAbsolutePath().toString());
    if (nodeId == CONTROLLER_ID) {
      p.put("process.roles", "controller");
      p.put("listeners", "CONTROLLER://" + controller);
    } else {
      String address = HOST + ":" + ports.get(nodeId);
      p.put("process.roles", "broker");
      p.put("listeners", "PLAINTEXT://" + address);
      p.put("advertised.listeners", "PLAINTEXT://" + address);
      p.put("inter.broker.listener.name", "PLAINTEXT");
    }
    String replication = Integer.toString(Math.min(3, settings.brokers));
    String minIsr = Integer.toString(Math.min(2, settings.brokers));
    p.put("num.partitions", "6");
    p.put("default.replication.factor", replication);
    p.put("min.insync.replicas", minIsr);
    p.put("auto.create.topics.enable", "false");
    p.put("offsets.topic.replication.factor", replication);
    p.put("transaction.state.log.replication.factor", replication);
    p.put("transaction.state.log.min.isr", minIsr);
    p.put("share.coordinator.state.topic.replication.factor", replication);
    p.put("share.coordinator.state.topic.min.isr", minIsr);
    p.put("group.initial.rebalance.delay.ms", "0");
    // A killed broker's registration blocks its restart until the session expires (kafka-notes:
    // 12.5 s with defaults, 4.6 s with these); the controller enforces it, brokers heartbeat.
    p.put("broker.session.timeout.ms", "2000");
    p.put("broker.heartbeat.interval.ms", "500");
    p.putAll(settings.properties);
    return p;
  }

  private void awaitBrokers(int count) {
    long deadline = System.nanoTime() + settings.startupTimeout.toNanos();
    try (Admin admin = admin()) {
      while (System.nanoTime() < deadline) {
        try {
          var nodes = admin.describeCluster().nodes().get(5, TimeUnit.SECONDS);
          if (nodes.stream().map(Node::id).distinct().count() >= count) {
            return;
          }
        } catch (ExecutionException | TimeoutException e) {
          // not yet
        } catch (InterruptedException e) {
          throw interrupted(e);
        }
        sleep(100);
      }
    }
    throw new IllegalStateException(
        count + " brokers not registered within " + settings.startupTimeout);
  }

  private Admin admin() {
    return Admin.create(
        Map.of(
            AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers(),
            AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 5_000,
            AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 10_000));
  }

  private static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      throw interrupted(e);
    }
  }

  private static IllegalStateException interrupted(InterruptedException e) {
    Thread.currentThread().interrupt();
    return new IllegalStateException("interrupted", e);
  }

  /** Describes an {@link EmbeddedKafkaCluster}. */
  public static final class Builder {
    private final Path dataDir;
    private int brokers = 3;
    private final Map<String, String> properties = new LinkedHashMap<>();
    private final List<String> jvmOptions = new ArrayList<>();
    private String brokerHeap = "-Xmx512m";
    private String controllerHeap = "-Xmx256m";
    private String classPath = System.getProperty("java.class.path");
    private Duration startupTimeout = Duration.ofSeconds(90);

    private Builder(Path dataDir) {
      this.dataDir = Objects.requireNonNull(dataDir, "dataDir");
    }

    /** Number of brokers (default 3). */
    public Builder brokers(int brokers) {
      if (brokers < 1) {
        throw new IllegalArgumentException("brokers must be positive: " + brokers);
      }
      this.brokers = brokers;
      return this;
    }

    /** A Kafka setting for every node, over the defaults. */
    public Builder property(String key, String value) {
      properties.put(key, value);
      return this;
    }

    /** Heap of each broker and of the controller, e.g. {@code -Xmx512m}. */
    public Builder heap(String brokerHeap, String controllerHeap) {
      this.brokerHeap = Objects.requireNonNull(brokerHeap, "brokerHeap");
      this.controllerHeap = Objects.requireNonNull(controllerHeap, "controllerHeap");
      return this;
    }

    /** More JVM options for every node. */
    public Builder jvmOptions(String... options) {
      jvmOptions.addAll(List.of(options));
      return this;
    }

    /** Class path of the node JVMs; default this JVM's (it must hold Kafka and this module). */
    public Builder classPath(String classPath) {
      this.classPath = Objects.requireNonNull(classPath, "classPath");
      return this;
    }

    /** How long one node may take to start. */
    public Builder startupTimeout(Duration startupTimeout) {
      this.startupTimeout = Objects.requireNonNull(startupTimeout, "startupTimeout");
      return this;
    }

    /** Creates the cluster, not started. */
    public EmbeddedKafkaCluster build() {
      return new EmbeddedKafkaCluster(this);
    }
  }
}
