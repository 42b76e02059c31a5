package io.aibroker.embedded;

import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
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
 */
public record EmbeddedKafkaConfig(
    Path dataDir,
    String host,
    int port,
    int controllerPort,
    Map<String, String> brokerProperties,
    String clusterId,
    Duration startupTimeout) {

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

    /** Builds the config. */
    public EmbeddedKafkaConfig build() {
      return new EmbeddedKafkaConfig(
          dataDir, host, port, controllerPort, brokerProperties, clusterId, startupTimeout);
    }
  }
}
