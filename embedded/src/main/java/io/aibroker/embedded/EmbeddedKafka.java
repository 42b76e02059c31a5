package io.aibroker.embedded;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Files;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import kafka.server.KafkaConfig;
import kafka.server.KafkaRaftServer;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.DescribeClusterResult;
import org.apache.kafka.clients.admin.ListTopicsOptions;
import org.apache.kafka.common.utils.Time;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A real single-node Kafka (KRaft, combined broker and controller) running in this JVM.
 *
 * <p>The data dir is formatted on first start only; later starts reuse it, so topics, records and
 * the cluster id survive restarts. Client ports chosen with port 0 are picked once per instance and
 * kept across {@link #close()}/{@link #start()} cycles, so clients can keep their bootstrap
 * address.
 *
 * <p>Thread-safe; {@link #start()} and {@link #close()} are idempotent.
 */
public final class EmbeddedKafka implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(EmbeddedKafka.class);
  private static final int NODE_ID = 1;
  private static final String CONTROLLER_LISTENER = "CONTROLLER";
  private static final String CLIENT_LISTENER = "PLAINTEXT";

  private final EmbeddedKafkaConfig config;
  private int port;
  private int controllerPort;
  private KafkaRaftServer server;
  private String clusterId;
  private Duration lastStartupTime;

  /** Creates a stopped node; nothing touches the disk or network until {@link #start()}. */
  public EmbeddedKafka(EmbeddedKafkaConfig config) {
    this.config = Objects.requireNonNull(config, "config");
  }

  /** The settings this node was created with. */
  public EmbeddedKafkaConfig config() {
    return config;
  }

  /**
   * Formats the data dir if needed, starts the node and blocks until it answers metadata requests.
   * Does nothing if already running.
   *
   * @return this node
   * @throws IllegalStateException if the node does not become ready within the startup timeout
   */
  public synchronized EmbeddedKafka start() {
    if (server != null) {
      return this;
    }
    long started = System.nanoTime();
    resolvePorts();
    KafkaConfig kafkaConfig = new KafkaConfig(brokerProperties(), false);
    try {
      Files.createDirectories(config.dataDir());
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot create " + config.dataDir(), e);
    }
    String id =
        KafkaStorage.ensureFormatted(
            kafkaConfig,
            config.clusterId(),
            config.scramCredentials().stream()
                .map(EmbeddedKafkaConfig.ScramCredential::formatterArgument)
                .toList());
    KafkaRaftServer candidate = new KafkaRaftServer(kafkaConfig, Time.SYSTEM);
    try {
      candidate.startup();
      awaitReady(started);
    } catch (RuntimeException e) {
      shutdown(candidate);
      throw e;
    }
    server = candidate;
    clusterId = id;
    lastStartupTime = Duration.ofNanos(System.nanoTime() - started);
    LOG.info(
        "Embedded Kafka {} ready at {} in {} ms (data in {})",
        clusterId,
        bootstrapServers(),
        lastStartupTime.toMillis(),
        config.dataDir());
    return this;
  }

  /**
   * The {@code bootstrap.servers} value for clients, e.g. {@code 127.0.0.1:9092}.
   *
   * @throws IllegalStateException before the first {@link #start()} when the port is chosen at
   *     start
   */
  public synchronized String bootstrapServers() {
    int actual = port();
    if (actual == 0) {
      throw new IllegalStateException("Port not chosen yet: start() first");
    }
    return advertisedHost() + ":" + actual;
  }

  /** The client port: the configured one, or the one chosen at the first start (0 before it). */
  public synchronized int port() {
    return port != 0 ? port : config.port();
  }

  /** The cluster id stored in the data dir; {@code null} before the first start. */
  public synchronized String clusterId() {
    return clusterId;
  }

  /** Wall time of the last successful {@link #start()}; {@code null} before it. */
  public synchronized Duration lastStartupTime() {
    return lastStartupTime;
  }

  /** Whether the node is started and not closed. */
  public synchronized boolean isRunning() {
    return server != null;
  }

  /** Shuts the node down cleanly and waits for it; does nothing if not running. */
  @Override
  public synchronized void close() {
    if (server == null) {
      return;
    }
    KafkaRaftServer stopping = server;
    server = null;
    shutdown(stopping);
    LOG.info("Embedded Kafka {} stopped", clusterId);
  }

  private static void shutdown(KafkaRaftServer server) {
    try {
      server.shutdown();
      server.awaitShutdown();
    } catch (RuntimeException e) {
      LOG.warn("Kafka shutdown failed", e);
    }
  }

  private void resolvePorts() {
    // KRaft needs the controller address in the config before startup, so free ports are chosen
    // here rather than letting the OS bind port 0. Once chosen they are kept for restarts.
    if (controllerPort == 0) {
      controllerPort = config.controllerPort();
    }
    if (port == 0) {
      port = config.port() != 0 ? config.port() : FreePorts.pick(config.host(), controllerPort);
    }
    if (controllerPort == 0) {
      controllerPort = FreePorts.pick(config.host(), port);
    }
  }

  /**
   * Broker settings: the defaults below, then the configured overrides. Logs live in {@code
   * <dataDir>/kafka-logs}.
   */
  synchronized Map<String, String> brokerProperties() {
    int port = port();
    int controllerPort = this.controllerPort != 0 ? this.controllerPort : config.controllerPort();
    String logDir = config.dataDir().resolve("kafka-logs").toAbsolutePath().toString();
    Map<String, String> p = new LinkedHashMap<>();
    p.put("process.roles", "broker,controller");
    p.put("node.id", Integer.toString(NODE_ID));
    p.put("controller.quorum.voters", NODE_ID + "@" + config.host() + ":" + controllerPort);
    p.put(
        "listeners",
        CLIENT_LISTENER
            + "://"
            + config.host()
            + ":"
            + port
            + ","
            + CONTROLLER_LISTENER
            + "://"
            + config.host()
            + ":"
            + controllerPort);
    p.put("advertised.listeners", CLIENT_LISTENER + "://" + advertisedHost() + ":" + port);
    p.put("listener.security.protocol.map", "PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT");
    p.put("controller.listener.names", CONTROLLER_LISTENER);
    p.put("inter.broker.listener.name", CLIENT_LISTENER);
    p.put("log.dirs", logDir);
    p.put("num.partitions", "6");
    p.put("default.replication.factor", "1");
    p.put("auto.create.topics.enable", "false");
    // One node: every internal topic must fit on it, or groups, transactions (exactly-once
    // Streams) and share groups would wait forever for replicas.
    p.put("offsets.topic.replication.factor", "1");
    p.put("offsets.topic.min.isr", "1");
    p.put("transaction.state.log.replication.factor", "1");
    p.put("transaction.state.log.min.isr", "1");
    p.put("share.coordinator.state.topic.replication.factor", "1");
    p.put("share.coordinator.state.topic.min.isr", "1");
    p.put("min.insync.replicas", "1");
    p.put("group.initial.rebalance.delay.ms", "0");
    // After a crash the old registration blocks the restarted broker until the session expires
    // (measured: 12.5 s with defaults, 4.6 s with 2 s). 2 s proved too tight on a starved 2-core
    // machine: the controller thread fell behind and fenced its own broker, so 5 s.
    p.put("broker.session.timeout.ms", "5000");
    p.put("broker.heartbeat.interval.ms", "500");
    p.putAll(config.brokerProperties());
    return p;
  }

  private String advertisedHost() {
    String host = config.host();
    if (!host.equals("0.0.0.0") && !host.equals("::") && !host.equals("[::]")) {
      return host;
    }
    // A wildcard bind cannot be advertised; clients need a name that reaches this machine.
    try {
      return InetAddress.getLocalHost().getCanonicalHostName();
    } catch (UnknownHostException e) {
      return "localhost";
    }
  }

  /** Ready = the broker is registered and unfenced, and a metadata request round-trips. */
  private void awaitReady(long startedNanos) {
    long deadline = startedNanos + config.startupTimeout().toNanos();
    Map<String, Object> adminProps = new LinkedHashMap<>(config.clientProperties());
    adminProps.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers());
    adminProps.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 5_000);
    adminProps.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 10_000);
    Exception last = null;
    try (Admin admin = Admin.create(adminProps)) {
      while (System.nanoTime() < deadline) {
        try {
          DescribeClusterResult cluster = admin.describeCluster();
          boolean registered =
              cluster.nodes().get(5, TimeUnit.SECONDS).stream().anyMatch(n -> n.id() == NODE_ID);
          if (registered && cluster.controller().get(5, TimeUnit.SECONDS) != null) {
            admin
                .listTopics(new ListTopicsOptions().listInternal(true))
                .names()
                .get(5, TimeUnit.SECONDS);
            return;
          }
        } catch (ExecutionException | TimeoutException e) {
          last = e;
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw new IllegalStateException("Interrupted while waiting for Kafka", e);
        }
        sleep(50);
      }
    }
    throw new IllegalStateException(
        "Kafka at " + bootstrapServers() + " not ready within " + config.startupTimeout(), last);
  }

  private static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("Interrupted while waiting for Kafka", e);
    }
  }
}
