package io.aibroker.app.cli;

import io.aibroker.app.config.AppConfig;
import java.util.HashMap;
import java.util.Map;

/**
 * Where a CLI verb finds Kafka and the Schema Registry: the configured cluster and registry, or the
 * addresses an embedded {@code aibroker run} listens on.
 */
public final class Endpoints {

  private Endpoints() {}

  /** Kafka bootstrap servers: the configured cluster, else the embedded broker's address. */
  public static String bootstrap(AppConfig config) {
    return config.kafka().embedded()
        ? config.kafka().embeddedHost() + ":" + config.kafka().embeddedPort()
        : config.kafka().bootstrapServers();
  }

  /** Schema Registry URL: the configured one, else the embedded registry's address. */
  public static String registryUrl(AppConfig config) {
    var registry = config.schemaRegistry();
    return registry.embedded()
        ? "http://" + registry.embeddedHost() + ":" + registry.embeddedPort()
        : registry.url();
  }

  /**
   * Properties for a Kafka client: the configured client settings (security and the like) plus the
   * bootstrap servers.
   */
  public static Map<String, Object> kafkaClient(AppConfig config) {
    Map<String, Object> props = new HashMap<>();
    if (config.kafka().client() != null) {
      props.putAll(config.kafka().client());
    }
    props.put("bootstrap.servers", bootstrap(config));
    return props;
  }
}
