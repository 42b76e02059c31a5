package io.aibroker.app.cli;

import io.aibroker.app.Platform;
import io.aibroker.app.config.AppConfig;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code aibroker worker}: workers only, for scaling them out next to the broker. Joins the
 * workers' share group on an existing Kafka cluster and Schema Registry (never embedded ones: a
 * worker alone on its own embedded Kafka would see no dispatches), calls the given providers, and
 * serves {@code /health} and {@code /metrics}.
 */
@Command(
    name = "worker",
    mixinStandardHelpOptions = true,
    description = {
      "Runs workers only: consumes the dispatch topics of the given providers as a share group"
          + " and calls the providers.",
      "Needs an existing Kafka cluster and Schema Registry: --bootstrap-servers and"
          + " --schema-registry-url, or kafka.bootstrap-servers and schema-registry.url in"
          + " --config."
    })
public final class WorkerCommand implements Callable<Integer> {

  @Spec CommandSpec spec;

  @Mixin ConfigOptions options;

  @Option(
      names = "--provider",
      paramLabel = "PROVIDER",
      description =
          "A provider to call, e.g. bedrock (repeatable; default: workers.providers of the"
              + " configuration). Each needs its connector settings under connectors.")
  List<String> providers;

  @Option(
      names = "--http-port",
      paramLabel = "PORT",
      description = "HTTP port for /health and /metrics (default 8080; 0 picks a free one).")
  Integer httpPort;

  @Override
  public Integer call() throws Exception {
    AppConfig config = options.load(overrides());
    ServerProcess.requireExternal(spec, config);
    Platform platform = Platform.start(config, Clock.systemUTC());
    System.out.printf(
        "aibroker worker ready: providers %s, %s (/health, /metrics)%n",
        config.workers().providers(), ServerProcess.endpoints(platform));
    System.out.flush();
    // on shutdown the platform drains calls in flight, then releases what is left
    ServerProcess.awaitShutdown(platform, "aibroker-worker-shutdown");
    return 0;
  }

  private Map<String, String> overrides() {
    Map<String, String> overrides = new LinkedHashMap<>();
    overrides.put("broker.enabled", "false");
    overrides.put("workers.enabled", "true");
    if (providers != null && !providers.isEmpty()) {
      overrides.put("workers.providers", String.join(",", providers));
    }
    if (httpPort != null) {
      overrides.put("http.port", httpPort.toString());
    }
    return overrides;
  }
}
