package io.aibroker.app;

import io.aibroker.app.config.AppConfig;
import io.aibroker.app.config.ConfigLoader;
import io.aibroker.embedded.FreePorts;
import java.nio.file.Path;
import java.util.LinkedHashMap;
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
    return quickShareAssignments(settings);
  }

  /**
   * Adds settings with which the workers' share consumers get their partitions within a second of
   * joining: a member learns its assignment from a heartbeat, every 5 s by default, and a test's
   * first request waited for it.
   */
  public static Map<String, String> quickShareAssignments(Map<String, String> settings) {
    settings.put("kafka.embedded-broker.group.share.min.heartbeat.interval.ms", "1000");
    settings.put("kafka.embedded-broker.group.share.heartbeat.interval.ms", "1000");
    return settings;
  }

  /**
   * Adds settings with which a platform restarted after a SIGKILL serves again within seconds: the
   * killed process's group members hold their partitions until their sessions expire, 45 s by
   * default for the share group of the workers and the batch-jobs group; 10 s here, as the broker's
   * Streams application has by default. Share-group members also get their partitions within a
   * heartbeat ({@link #quickShareAssignments}).
   */
  public static Map<String, String> shortGroupSessions(Map<String, String> settings) {
    quickShareAssignments(settings);
    settings.put("kafka.embedded-broker.group.share.min.session.timeout.ms", "10000");
    settings.put("kafka.embedded-broker.group.share.session.timeout.ms", "10000");
    settings.put("workers.batch-jobs-session-timeout-ms", "10000");
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

  /** A port nothing listens on now ({@link FreePorts}: below the kernel's ephemeral range). */
  public static int freePort() {
    return FreePorts.pick();
  }
}
