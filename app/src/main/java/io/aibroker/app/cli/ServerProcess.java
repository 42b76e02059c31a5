package io.aibroker.app.cli;

import io.aibroker.app.Platform;
import io.aibroker.app.config.AppConfig;
import io.aibroker.registry.Urls;
import java.util.concurrent.CountDownLatch;
import org.apache.logging.log4j.LogManager;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;

/** What the long-running commands ({@code run}, {@code broker}, {@code worker}) share. */
final class ServerProcess {

  private ServerProcess() {}

  /**
   * Refuses a configuration that would start an embedded Kafka or Schema Registry: a component
   * alone on its own embedded cluster would talk to nobody.
   */
  static void requireExternal(CommandSpec spec, AppConfig config) {
    String command = "aibroker " + spec.name();
    if (config.kafka().embedded()) {
      throw new CommandLine.ParameterException(
          spec.commandLine(),
          command
              + " needs an existing Kafka cluster: give --bootstrap-servers"
              + " (or kafka.bootstrap-servers in --config)");
    }
    if (config.schemaRegistry().embedded()) {
      throw new CommandLine.ParameterException(
          spec.commandLine(),
          command
              + " needs an existing Schema Registry: give --schema-registry-url"
              + " (or schema-registry.url in --config)");
    }
  }

  /** Blocks until the JVM shuts down (SIGTERM, Ctrl-C), then stops the platform before the logs. */
  static void awaitShutdown(Platform platform, String threadName) throws InterruptedException {
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  platform.close();
                  stopped.countDown();
                  LogManager.shutdown();
                },
                threadName));
    stopped.await();
  }

  /** The endpoints part of a ready line: {@code kafka ..., schema registry ..., http ...}. */
  static String endpoints(Platform platform) {
    return endpoints(platform.bootstrapServers(), platform.schemaRegistryUrl(), platform.httpUrl());
  }

  /**
   * {@code kafka <servers>, schema registry <url>, http <url>}, every address without user info: a
   * registry URL may carry its credentials, and a ready line goes to terminals and logs.
   */
  static String endpoints(String bootstrapServers, String registryUrl, String httpUrl) {
    return "kafka "
        + Urls.withoutUserInfo(bootstrapServers)
        + ", schema registry "
        + Urls.withoutUserInfo(registryUrl)
        + ", http "
        + Urls.withoutUserInfo(httpUrl);
  }

  /** Waits until every started component is ready. */
  static void awaitReady(Platform platform) throws InterruptedException {
    long deadline = System.nanoTime() + 120_000_000_000L;
    while (!platform.ready()) {
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException("aibroker did not become ready within 120 s");
      }
      Thread.sleep(50);
    }
  }
}
