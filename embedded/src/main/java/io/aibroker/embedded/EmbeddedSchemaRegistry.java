package io.aibroker.embedded;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A Schema Registry that speaks Confluent's REST API (Avro only), so Confluent's own serializers
 * and clients in any language work against it, and that keeps its state in a compacted Kafka topic
 * in Confluent's record layout.
 *
 * <p>On {@link #start()} it creates the topic if missing and reads it to the end before serving, so
 * ids, versions and config are the same after a restart. Every change is written to Kafka
 * (acks=all) before it is visible. It assumes it is the only writer of its topic.
 *
 * <p>Reads are open to every client that reaches it. Changes (registering, config, deletes) are
 * accepted only from clients that address it by a loopback name ({@code Host: localhost}, {@code
 * 127.0.0.1} or {@code [::1]}, any port), or, when a {@linkplain Builder#writeCredential write
 * credential} is set, only from clients presenting that credential by HTTP Basic auth. A request
 * body must come as JSON ({@code application/vnd.schemaregistry.v1+json} and the like). So a web
 * page in a browser on this machine cannot change it, neither by a forged request nor by DNS
 * rebinding.
 *
 * <p>Thread-safe; {@link #start()} and {@link #close()} are idempotent, and a closed registry can
 * be started again (it keeps its port).
 */
public final class EmbeddedSchemaRegistry implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(EmbeddedSchemaRegistry.class);

  /** Default port, the same as Confluent's registry. */
  public static final int DEFAULT_PORT = 8081;

  /** Default topic, the same as Confluent's registry. */
  public static final String DEFAULT_TOPIC = "_schemas";

  private final String bootstrapServers;
  private final Map<String, Object> kafkaClientProperties;
  private final String host;
  private final int configuredPort;
  private final String topic;
  private final Duration timeout;
  private final WriteAccess writeAccess;

  private int port;
  private HttpServer server;
  private ExecutorService executor;
  private KafkaSchemaLog log;
  private Duration lastStartupTime;

  private EmbeddedSchemaRegistry(Builder builder) {
    this.bootstrapServers = Objects.requireNonNull(builder.bootstrapServers, "bootstrapServers");
    this.kafkaClientProperties = Map.copyOf(builder.kafkaClientProperties);
    this.host = Objects.requireNonNull(builder.host, "host");
    this.configuredPort = builder.port;
    this.topic = Objects.requireNonNull(builder.topic, "topic");
    this.timeout = Objects.requireNonNull(builder.timeout, "timeout");
    this.writeAccess =
        builder.writeCredential == null || builder.writeCredential.isEmpty()
            ? WriteAccess.loopbackOnly()
            : WriteAccess.basicAuth(builder.writeCredential);
    if (configuredPort < 0 || configuredPort > 65_535) {
      throw new IllegalArgumentException("port out of range: " + configuredPort);
    }
  }

  /**
   * Starts a builder for a registry storing its state in the Kafka cluster at {@code bootstrap}.
   */
  public static Builder builder(String bootstrapServers) {
    return new Builder(bootstrapServers);
  }

  /**
   * Prepares the topic, loads it and starts serving HTTP. Does nothing if already running.
   *
   * @return this registry
   * @throws IllegalStateException if Kafka cannot be reached or the topic is unfit
   * @throws UncheckedIOException if the port cannot be bound
   */
  public synchronized EmbeddedSchemaRegistry start() {
    if (server != null) {
      return this;
    }
    long started = System.nanoTime();
    KafkaSchemaLog newLog =
        new KafkaSchemaLog(bootstrapServers, kafkaClientProperties, topic, timeout);
    try {
      newLog.ensureTopic();
      RegistryState state = new RegistryState();
      newLog.replay(state);
      SchemaRegistryService service = new SchemaRegistryService(state, newLog);
      HttpServer newServer =
          HttpServer.create(new InetSocketAddress(host, port != 0 ? port : configuredPort), 64);
      ExecutorService newExecutor = Executors.newVirtualThreadPerTaskExecutor();
      newServer.setExecutor(newExecutor);
      newServer.createContext("/", new RegistryHttpHandler(service, writeAccess));
      newServer.start();
      server = newServer;
      executor = newExecutor;
      log = newLog;
      port = newServer.getAddress().getPort();
    } catch (IOException e) {
      newLog.close();
      throw new UncheckedIOException("Cannot serve the schema registry on " + host, e);
    } catch (RuntimeException e) {
      newLog.close();
      throw e;
    }
    lastStartupTime = Duration.ofNanos(System.nanoTime() - started);
    LOG.info(
        "Embedded schema registry serving {} (topic {}) after {} ms; changes accepted from {}",
        url(),
        topic,
        lastStartupTime.toMillis(),
        writeAccess);
    if (!writeAccess.needsCredential() && !isBoundToLoopbackOnly()) {
      LOG.info(
          "Embedded schema registry bound to {}: other machines may read it but not change it"
              + " unless a write credential is set",
          host);
    }
    return this;
  }

  private boolean isBoundToLoopbackOnly() {
    InetAddress bound = server.getAddress().getAddress();
    return bound != null && bound.isLoopbackAddress();
  }

  /**
   * The base URL for clients, e.g. {@code http://127.0.0.1:8081}.
   *
   * @throws IllegalStateException before the first start when the port is chosen at start
   */
  public synchronized String url() {
    int actual = port != 0 ? port : configuredPort;
    if (actual == 0) {
      throw new IllegalStateException("Port not chosen yet: start() first");
    }
    String shownHost;
    if (host.equals("0.0.0.0") || host.equals("::")) {
      shownHost = "localhost"; // a wildcard bind is reachable there, but not connectable as such
    } else {
      shownHost = host.contains(":") ? "[" + host + "]" : host;
    }
    return "http://" + shownHost + ":" + actual;
  }

  /** The bound port (after the first start) or the configured one. */
  public synchronized int port() {
    return port != 0 ? port : configuredPort;
  }

  /** The Kafka topic holding the registry's state. */
  public String topic() {
    return topic;
  }

  /** Wall time of the last successful {@link #start()}; {@code null} before it. */
  public synchronized Duration lastStartupTime() {
    return lastStartupTime;
  }

  /** Whether the registry is serving. */
  public synchronized boolean isRunning() {
    return server != null;
  }

  /** Stops serving and closes the Kafka clients; does nothing if not running. */
  @Override
  public synchronized void close() {
    if (server == null) {
      return;
    }
    server.stop(0);
    executor.close();
    log.close();
    server = null;
    executor = null;
    log = null;
    LOG.info("Embedded schema registry on port {} stopped", port);
  }

  /** Builder of {@link EmbeddedSchemaRegistry}. */
  public static final class Builder {
    private final String bootstrapServers;
    private String host = "127.0.0.1";
    private int port = DEFAULT_PORT;
    private String topic = DEFAULT_TOPIC;
    private Duration timeout = Duration.ofSeconds(30);
    private String writeCredential;
    private final Map<String, Object> kafkaClientProperties = new HashMap<>();

    private Builder(String bootstrapServers) {
      this.bootstrapServers = bootstrapServers;
    }

    /** Address to bind (default {@code 127.0.0.1}). */
    public Builder host(String host) {
      this.host = host;
      return this;
    }

    /** Port to bind (default 8081); 0 picks a free one. */
    public Builder port(int port) {
      this.port = port;
      return this;
    }

    /** Kafka topic for the registry's state (default {@code _schemas}). */
    public Builder topic(String topic) {
      this.topic = topic;
      return this;
    }

    /** Upper bound for Kafka operations: startup, each write. */
    public Builder timeout(Duration timeout) {
      this.timeout = timeout;
      return this;
    }

    /**
     * Settings of the registry's Kafka clients besides the bootstrap servers: {@code
     * security.protocol}, {@code sasl.*}, {@code ssl.*} and the like.
     */
    public Builder kafkaClientProperties(Map<String, ?> properties) {
      kafkaClientProperties.putAll(properties);
      return this;
    }

    /**
     * The {@code user:password} a client must present by HTTP Basic auth to change the registry
     * (register schemas, change compatibility, delete); null or empty (the default) for none.
     *
     * <p>Without one, changes are accepted from clients addressing the registry as {@code
     * localhost}, {@code 127.0.0.1} or {@code [::1]} and refused from every other client: set one
     * when the registry is bound to an address other machines reach and they must register schemas.
     * With one, changes without it are refused even from loopback clients. Reads never need it.
     *
     * @throws IllegalArgumentException on {@link #build()} if not of the form {@code user:password}
     *     (the message does not show it)
     */
    public Builder writeCredential(String userColonPassword) {
      this.writeCredential = userColonPassword;
      return this;
    }

    /** Builds a stopped registry. */
    public EmbeddedSchemaRegistry build() {
      return new EmbeddedSchemaRegistry(this);
    }
  }
}
