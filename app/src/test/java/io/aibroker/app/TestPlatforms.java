package io.aibroker.app;

import io.aibroker.app.config.AppConfig;
import io.aibroker.app.config.ConfigLoader;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Configurations for tests: everything embedded, on free ports, under a given data dir. */
public final class TestPlatforms {

  private TestPlatforms() {}

  /** Settings that put every listener of an embedded platform on a free port. */
  public static Map<String, String> freePorts(Path dataDir) {
    Map<String, String> settings = new LinkedHashMap<>();
    settings.put("data-dir", dataDir.toString());
    settings.put("kafka.embedded-port", Integer.toString(freePort()));
    settings.put("schema-registry.embedded-port", Integer.toString(freePort()));
    settings.put("http.port", Integer.toString(freePort()));
    settings.put("connectors.simulated.latency", "5ms");
    settings.put("connectors.simulated.jitter", "0ms");
    return settings;
  }

  /** The configuration with these settings over the defaults. */
  public static AppConfig config(Map<String, String> settings) {
    return ConfigLoader.load(null, Map.of(), settings);
  }

  /** The settings as environment variables, for a child process. */
  public static Map<String, String> asEnvironment(Map<String, String> settings) {
    Map<String, String> env = new LinkedHashMap<>();
    settings.forEach(
        (path, value) ->
            env.put(
                ConfigLoader.ENV_PREFIX
                    + path.toUpperCase(java.util.Locale.ROOT).replace('.', '_').replace('-', '_'),
                value));
    return env;
  }

  /**
   * Creates a topic and waits until a fresh client's metadata shows it, so that a consumer assigned
   * to it at once does not fail on a machine too busy to propagate metadata quickly.
   */
  public static void createTopic(Map<String, Object> client, String name) throws Exception {
    try (org.apache.kafka.clients.admin.Admin admin =
        org.apache.kafka.clients.admin.Admin.create(client)) {
      long deadline = System.nanoTime() + java.time.Duration.ofSeconds(120).toNanos();
      while (true) {
        try {
          try {
            admin
                .createTopics(
                    java.util.List.of(
                        new org.apache.kafka.clients.admin.NewTopic(name, 1, (short) 1)))
                .all()
                .get();
          } catch (java.util.concurrent.ExecutionException e) {
            if (!(e.getCause() instanceof org.apache.kafka.common.errors.TopicExistsException)) {
              throw e;
            }
          }
          admin.describeTopics(java.util.List.of(name)).allTopicNames().get();
          return;
        } catch (java.util.concurrent.ExecutionException e) {
          if (System.nanoTime() > deadline) {
            throw e;
          }
          Thread.sleep(250);
        }
      }
    }
  }

  /**
   * A port nothing listens on, below the kernel's ephemeral range: a port taken from that range (a
   * {@code ServerSocket} on port 0) can become the local port of one of the platform's own outgoing
   * connections before its listener binds it (seen: the schema registry, started after Kafka,
   * failed with "Address already in use"). Ports already handed out in this JVM are skipped.
   */
  public static synchronized int freePort() {
    int low = ephemeralLow();
    for (int attempt = 0; attempt < 1000; attempt++) {
      int port = 10_000 + RANDOM.nextInt(Math.max(1, low - 10_000));
      if (HANDED_OUT.add(port) && bindable(port)) {
        return port;
      }
    }
    throw new IllegalStateException("no free port below " + low);
  }

  private static final java.util.Random RANDOM = new java.util.Random();
  private static final java.util.Set<Integer> HANDED_OUT = new java.util.HashSet<>();

  private static boolean bindable(int port) {
    try (ServerSocket socket = new ServerSocket()) {
      socket.bind(new java.net.InetSocketAddress("127.0.0.1", port));
      return true;
    } catch (IOException e) {
      return false;
    }
  }

  /**
   * The low end of the kernel's ephemeral port range (Linux), else 32768 (Linux's default). Read
   * line by line: {@code Files.readString} returned "3" for this procfs file, which reports a size
   * of 0.
   */
  private static int ephemeralLow() {
    try {
      List<String> lines =
          java.nio.file.Files.readAllLines(Path.of("/proc/sys/net/ipv4/ip_local_port_range"));
      int low = Integer.parseInt(lines.getFirst().trim().split("\\s+")[0]);
      return low >= 20_000 ? low : 32_768;
    } catch (IOException | RuntimeException e) {
      return 32_768;
    }
  }
}
