package io.aibroker.embedded;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Settings of an {@link EmbeddedKafka} node.
 *
 * @param dataDir directory holding the broker's logs and metadata (under {@code kafka-logs});
 *     survives restarts
 * @param host address to bind and advertise (default {@code 127.0.0.1})
 * @param port client (PLAINTEXT) port; {@code 0} picks a free port once per {@link EmbeddedKafka}
 *     instance (default 9092)
 * @param controllerPort KRaft controller port; {@code 0} (default) picks a free port
 * @param brokerProperties extra broker properties; they override the defaults of {@link
 *     EmbeddedKafka}
 * @param clusterId cluster id used when the data dir is formatted for the first time; {@code null}
 *     generates one. An existing data dir keeps its own id; a different non-null id is an error
 * @param startupTimeout how long {@link EmbeddedKafka#start()} waits for the broker to serve
 * @param clientProperties settings of the node's own Kafka clients (its readiness check): the
 *     security settings of the client listener when it is not PLAINTEXT, e.g. {@code
 *     security.protocol=SASL_PLAINTEXT} and {@code sasl.*}; empty by default
 * @param scramCredentials SCRAM users written into the metadata when the data dir is formatted
 *     (like {@code kafka-storage format --add-scram}), as {@link ScramCredential}s; lets a
 *     SASL/SCRAM listener authenticate its first clients. Empty by default
 *     <p>{@link #toString()} shows neither passwords nor client property values.
 */
public record EmbeddedKafkaConfig(
    Path dataDir,
    String host,
    int port,
    int controllerPort,
    Map<String, String> brokerProperties,
    String clusterId,
    Duration startupTimeout,
    Map<String, String> clientProperties,
    List<ScramCredential> scramCredentials) {

  /**
   * A SCRAM user created at format time.
   *
   * @param mechanism {@code SCRAM-SHA-256} or {@code SCRAM-SHA-512}
   * @param user the user name (the principal is {@code User:<user>})
   * @param password the password; never shown by {@link #toString()}
   */
  public record ScramCredential(String mechanism, String user, String password) {

    /** Validates: a known mechanism, and user and password given. */
    public ScramCredential {
      if (!"SCRAM-SHA-256".equals(mechanism) && !"SCRAM-SHA-512".equals(mechanism)) {
        throw new IllegalArgumentException("unknown SCRAM mechanism " + mechanism);
      }
      if (user == null || user.isEmpty() || password == null || password.isEmpty()) {
        throw new IllegalArgumentException("a SCRAM credential needs a user and a password");
      }
    }

    /** The argument of the storage formatter ({@code --add-scram}). */
    String formatterArgument() {
      return mechanism + "=[name=" + user + ",password=" + password + "]";
    }

    @Override
    public String toString() {
      return mechanism + ":" + user + ":(password hidden)";
    }
  }

  /** Default client port, the same as a stock Kafka broker. */
  public static final int DEFAULT_PORT = 9092;

  /** Default bind address: loopback only, so an embedded broker is never exposed by accident. */
  public static final String DEFAULT_HOST = "127.0.0.1";

  /** Validates and copies the arguments. */
  public EmbeddedKafkaConfig {
    Objects.requireNonNull(dataDir, "dataDir");
    Objects.requireNonNull(host, "host");
    Objects.requireNonNull(startupTimeout, "startupTimeout");
    checkPort(port, "port");
    checkPort(controllerPort, "controllerPort");
    if (port != 0 && port == controllerPort) {
      throw new IllegalArgumentException("port and controllerPort must differ: " + port);
    }
    brokerProperties = Map.copyOf(brokerProperties);
    clientProperties = Map.copyOf(clientProperties);
    scramCredentials = List.copyOf(scramCredentials);
  }

  /** Settings without secrets: names of client properties and SCRAM users only. */
  @Override
  public String toString() {
    return "EmbeddedKafkaConfig[dataDir="
        + dataDir
        + ", host="
        + host
        + ", port="
        + port
        + ", controllerPort="
        + controllerPort
        + ", brokerProperties="
        + brokerProperties.keySet()
        + ", clusterId="
        + clusterId
        + ", startupTimeout="
        + startupTimeout
        + ", clientProperties="
        + clientProperties.keySet()
        + ", scramCredentials="
        + scramCredentials
        + "]";
  }

  private static void checkPort(int port, String name) {
    if (port < 0 || port > 65_535) {
      throw new IllegalArgumentException(name + " out of range: " + port);
    }
  }

  /** Starts a builder with defaults for a broker whose data lives in {@code dataDir}. */
  public static Builder builder(Path dataDir) {
    return new Builder(dataDir);
  }

  /** Builder of {@link EmbeddedKafkaConfig}. */
  public static final class Builder {
    private final Path dataDir;
    private String host = DEFAULT_HOST;
    private int port = DEFAULT_PORT;
    private int controllerPort = 0;
    private final Map<String, String> brokerProperties = new LinkedHashMap<>();
    private String clusterId;
    private Duration startupTimeout = Duration.ofSeconds(60);
    private final Map<String, String> clientProperties = new LinkedHashMap<>();
    private final List<ScramCredential> scramCredentials = new ArrayList<>();

    private Builder(Path dataDir) {
      this.dataDir = Objects.requireNonNull(dataDir, "dataDir");
    }

    /** Address to bind and advertise. */
    public Builder host(String host) {
      this.host = host;
      return this;
    }

    /** Client port; 0 picks a free one. */
    public Builder port(int port) {
      this.port = port;
      return this;
    }

    /** Controller port; 0 picks a free one. */
    public Builder controllerPort(int controllerPort) {
      this.controllerPort = controllerPort;
      return this;
    }

    /** Sets one broker property, overriding the default for that key. */
    public Builder brokerProperty(String key, String value) {
      brokerProperties.put(key, value);
      return this;
    }

    /** Sets several broker properties, overriding the defaults for their keys. */
    public Builder brokerProperties(Map<String, String> properties) {
      brokerProperties.putAll(properties);
      return this;
    }

    /** Cluster id to format a new data dir with. */
    public Builder clusterId(String clusterId) {
      this.clusterId = clusterId;
      return this;
    }

    /** Upper bound for {@link EmbeddedKafka#start()}. */
    public Builder startupTimeout(Duration startupTimeout) {
      this.startupTimeout = startupTimeout;
      return this;
    }

    /** Sets one setting of the node's own clients (e.g. {@code security.protocol}). */
    public Builder clientProperty(String key, String value) {
      clientProperties.put(key, value);
      return this;
    }

    /** Adds a SCRAM user created when the data dir is formatted. */
    public Builder scramCredential(String mechanism, String user, String password) {
      scramCredentials.add(new ScramCredential(mechanism, user, password));
      return this;
    }

    /** Builds the config. */
    public EmbeddedKafkaConfig build() {
      return new EmbeddedKafkaConfig(
          dataDir,
          host,
          port,
          controllerPort,
          brokerProperties,
          clusterId,
          startupTimeout,
          clientProperties,
          scramCredentials);
    }
  }
}
