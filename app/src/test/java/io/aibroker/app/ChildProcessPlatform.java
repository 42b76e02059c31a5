package io.aibroker.app;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/** {@code aibroker run} in a separate JVM, so that a test can kill it like a crash would. */
final class ChildProcessPlatform implements AutoCloseable {

  private final Process process;
  private final CompletableFuture<String> readyLine = new CompletableFuture<>();
  private final List<String> output = java.util.Collections.synchronizedList(new ArrayList<>());

  private ChildProcessPlatform(Process process) {
    this.process = process;
    Thread.ofPlatform().daemon().start(this::pumpOutput);
  }

  /** Starts {@code aibroker run} with the given settings and waits until it says it is ready. */
  static ChildProcessPlatform start(Map<String, String> settings, Path log) throws Exception {
    return start(settings, null, Map.of());
  }

  /**
   * Starts {@code aibroker run --config configFile} (no file when null) with the given settings and
   * further environment variables (credentials a provider's SDK reads), and waits until it is
   * ready.
   */
  static ChildProcessPlatform start(
      Map<String, String> settings, Path configFile, Map<String, String> environment)
      throws Exception {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    if (Runtime.version().feature() >= 23) {
      command.add("--sun-misc-unsafe-memory-access=allow");
      command.add("--enable-native-access=ALL-UNNAMED");
    }
    command.add("-Xmx768m");
    command.add("-cp");
    command.add(System.getProperty("java.class.path"));
    command.add(Main.class.getName());
    command.add("run");
    if (configFile != null) {
      command.add("--config");
      command.add(configFile.toString());
    }
    ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
    builder.environment().putAll(TestPlatforms.asEnvironment(settings));
    builder.environment().putAll(environment);
    ChildProcessPlatform child = new ChildProcessPlatform(builder.start());
    try {
      child.readyLine.get(90, TimeUnit.SECONDS);
    } catch (Exception e) {
      child.kill();
      throw new AssertionError("aibroker did not start; its output:\n" + child.output(), e);
    }
    return child;
  }

  private void pumpOutput() {
    try (var reader =
        new BufferedReader(
            new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
      String line;
      while ((line = reader.readLine()) != null) {
        output.add(line);
        if (line.startsWith("aibroker ready")) {
          readyLine.complete(line);
        }
      }
    } catch (IOException e) {
      // the process died
    }
    readyLine.completeExceptionally(new IllegalStateException("process ended"));
  }

  String readyLine() {
    return readyLine.join();
  }

  String output() {
    synchronized (output) {
      return String.join("\n", output);
    }
  }

  /** SIGKILL: no shutdown hook runs, nothing is flushed. */
  void kill() throws InterruptedException {
    process.destroyForcibly();
    process.waitFor(30, TimeUnit.SECONDS);
  }

  /** SIGTERM: a clean stop; returns the exit code. */
  int stop() throws InterruptedException {
    process.destroy();
    if (!process.waitFor(60, TimeUnit.SECONDS)) {
      process.destroyForcibly();
      throw new AssertionError("aibroker did not stop within 60 s of SIGTERM");
    }
    return process.exitValue();
  }

  @Override
  public void close() throws InterruptedException {
    if (process.isAlive()) {
      kill();
    }
  }
}
