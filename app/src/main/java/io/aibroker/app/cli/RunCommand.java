package io.aibroker.app.cli;

import io.aibroker.app.NativeAllocator;
import io.aibroker.app.Platform;
import io.aibroker.app.config.AppConfig;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import org.apache.logging.log4j.LogManager;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code aibroker run}: everything in one process, on embedded Kafka unless told otherwise. */
@Command(
    name = "run",
    mixinStandardHelpOptions = true,
    description = {
      "Runs aibroker: broker, workers and the HTTP endpoint.",
      "Without --bootstrap-servers it starts an embedded Kafka (KRaft) and Schema Registry,"
          + " keeping data under --data-dir."
    })
public final class RunCommand implements Callable<Integer> {

  @Mixin ConfigOptions options;

  @Option(names = "--http-port", paramLabel = "PORT", description = "HTTP port (default 8080).")
  Integer httpPort;

  @Option(names = "--no-broker", description = "Do not run the broker topology in this process.")
  boolean noBroker;

  @Option(names = "--no-workers", description = "Do not run workers in this process.")
  boolean noWorkers;

  @Override
  public Integer call() throws Exception {
    Map<String, String> overrides = new LinkedHashMap<>();
    if (httpPort != null) {
      overrides.put("http.port", httpPort.toString());
    }
    if (noBroker) {
      overrides.put("broker.enabled", "false");
    }
    if (noWorkers) {
      overrides.put("workers.enabled", "false");
    }
    AppConfig config = options.load(overrides);
    long start = System.nanoTime();
    Platform platform = Platform.start(config, Clock.systemUTC());
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  platform.close();
                  stopped.countDown();
                  LogManager.shutdown();
                },
                "aibroker-shutdown"));
    waitUntilReady(platform);
    System.out.printf(
        "aibroker ready in %.1f s: %s (/health, /metrics, /v1), data %s, %s%n",
        (System.nanoTime() - start) / 1e9,
        ServerProcess.endpoints(platform),
        platform.dataDir(),
        NativeAllocator.current());
    System.out.flush();
    stopped.await();
    return 0;
  }

  private static void waitUntilReady(Platform platform) throws InterruptedException {
    long deadline = System.nanoTime() + 120_000_000_000L;
    while (!platform.ready()) {
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException("aibroker did not become ready within 120 s");
      }
      Thread.sleep(50);
    }
  }
}
