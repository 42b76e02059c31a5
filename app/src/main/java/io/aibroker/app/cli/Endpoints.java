package io.aibroker.app.cli;

import io.aibroker.app.config.AppConfig;
import io.aibroker.registry.Urls;
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

  /**
   * Schema Registry URL: the configured one, else the embedded registry's address, with its write
   * credential as user info when it has one (the CLI's serializers register schemas). It may so
   * carry credentials: print it only through {@link Urls#withoutUserInfo}.
   */
  public static String registryUrl(AppConfig config) {
    var registry = config.schemaRegistry();
    if (!registry.embedded()) {
      return registry.url();
    }
    String userInfo =
        registry.hasEmbeddedWriteCredential()
            ? Urls.userInfo(registry.embeddedWriteCredential()) + "@"
            : "";
    return "http://"
        + userInfo
        + connectableHost(registry.embeddedHost())
        + ":"
        + registry.embeddedPort();
  }

  /**
   * The host to reach an embedded server bound to {@code bindHost}. A wildcard bind is reached
   * through loopback, and must be addressed so: the embedded registry takes changes only from
   * clients that address it as localhost, 127.0.0.1 or [::1].
   */
  private static String connectableHost(String bindHost) {
    if (bindHost.equals("0.0.0.0") || bindHost.equals("::") || bindHost.equals("[::]")) {
      return "localhost";
    }
    return bindHost.contains(":") && !bindHost.startsWith("[") ? "[" + bindHost + "]" : bindHost;
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
