package io.aibroker.app.cli;

import io.aibroker.app.Platform;
import io.aibroker.app.config.AppConfig;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code aibroker broker}: the broker only, for scaling it out next to the workers. Runs the Kafka
 * Streams topology (instances share the work: Streams tasks follow partitions) and the HTTP
 * endpoint ({@code /health}, {@code /metrics}, the OpenAI-compatible {@code /v1}) against an
 * existing Kafka cluster and Schema Registry; never embedded ones, as with {@code worker}.
 */
@Command(
    name = "broker",
    mixinStandardHelpOptions = true,
    description = {
      "Runs the broker only: the Kafka Streams topology that validates, deduplicates, caches,"
          + " enforces quotas and routes requests, and the HTTP endpoint (/health, /metrics, /v1).",
      "Needs an existing Kafka cluster and Schema Registry: --bootstrap-servers and"
          + " --schema-registry-url, or kafka.bootstrap-servers and schema-registry.url in"
          + " --config."
    })
public final class BrokerCommand implements Callable<Integer> {

  @Spec CommandSpec spec;

  @Mixin ConfigOptions options;

  @Option(
      names = "--http-port",
      paramLabel = "PORT",
      description = "HTTP port for /health, /metrics and /v1 (default 8080; 0 picks a free one).")
  Integer httpPort;

  @Override
  public Integer call() throws Exception {
    Platform platform = start();
    ServerProcess.awaitReady(platform);
    System.out.printf(
        "aibroker broker ready: %s (/health, /metrics, /v1)%n", ServerProcess.endpoints(platform));
    System.out.flush();
    ServerProcess.awaitShutdown(platform, "aibroker-broker-shutdown");
    return 0;
  }

  /** The configuration this command runs with: the broker on, workers off. */
  AppConfig config() {
    Map<String, String> overrides = new LinkedHashMap<>();
    overrides.put("broker.enabled", "true");
    overrides.put("workers.enabled", "false");
    if (httpPort != null) {
      overrides.put("http.port", httpPort.toString());
    }
    AppConfig config = options.load(overrides);
    ServerProcess.requireExternal(spec, config);
    return config;
  }

  /** Starts the broker's platform (returns before it is ready). */
  Platform start() throws Exception {
    return Platform.start(config(), Clock.systemUTC());
  }
}
