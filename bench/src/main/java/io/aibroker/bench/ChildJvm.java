package io.aibroker.bench;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * A JVM the benchmark starts for a part of the system under test, so that its heap, threads and
 * memory are its own and measurable (and the load generator's are not counted). Its output goes to
 * a log file; it is ready when it prints a line starting with the expected prefix.
 */
final class ChildJvm implements AutoCloseable {

  private final String name;
  private final Process process;
  private final CompletableFuture<String> ready = new CompletableFuture<>();
  private final String readyPrefix;
  private final PrintWriter log;

  private ChildJvm(String name, Process process, String readyPrefix, Path logFile)
      throws IOException {
    this.name = name;
    this.process = process;
    this.readyPrefix = readyPrefix;
    this.log = new PrintWriter(Files.newBufferedWriter(logFile, StandardCharsets.UTF_8), true);
    Thread.ofPlatform().daemon().name("bench-child-output-" + name).start(this::pump);
  }

  /**
   * Starts {@code mainClass args} on this JVM's class path with the given heap, JVM flags and
   * environment, and waits until it prints a line starting with {@code readyPrefix}.
   */
  static ChildJvm start(
      String name,
      String mainClass,
      List<String> args,
      List<String> jvmFlags,
      Map<String, String> environment,
      String readyPrefix,
      Path logFile,
      Duration startTimeout)
      throws IOException, InterruptedException {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    if (Runtime.version().feature() >= 23) {
      // what Kafka needs on JDK 23+ (see bin/lib/jdk.sh)
      command.add("--sun-misc-unsafe-memory-access=allow");
      command.add("--enable-native-access=ALL-UNNAMED");
    }
    command.addAll(jvmFlags);
    command.add("-cp");
    command.add(System.getProperty("java.class.path"));
    command.add(mainClass);
    command.addAll(args);
    ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
    builder.environment().putAll(environment);
    Files.createDirectories(logFile.toAbsolutePath().getParent());
    ChildJvm child = new ChildJvm(name, builder.start(), readyPrefix, logFile);
    try {
      child.ready.get(startTimeout.toMillis(), TimeUnit.MILLISECONDS);
    } catch (java.util.concurrent.ExecutionException | TimeoutException e) {
      child.close();
      throw new IllegalStateException(
          name + " did not start within " + startTimeout.toSeconds() + " s; see " + logFile, e);
    }
    return child;
  }

  private void pump() {
    try (var reader =
        new BufferedReader(
            new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
      String line;
      while ((line = reader.readLine()) != null) {
        log.println(line);
        if (!ready.isDone() && line.startsWith(readyPrefix)) {
          ready.complete(line);
        }
      }
    } catch (IOException e) {
      // the process ended
    } finally {
      ready.completeExceptionally(new IllegalStateException(name + " ended"));
      log.flush();
    }
  }

  /** The operating-system process id. */
  long pid() {
    return process.pid();
  }

  /** Whether the process is still running. */
  boolean isAlive() {
    return process.isAlive();
  }

  /** Resident set size in bytes (Linux), or -1 where /proc is not available. */
  long residentBytes() {
    try {
      for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid()), "status"))) {
        if (line.startsWith("VmRSS:")) {
          String kb = line.substring(6).trim().split("\\s+")[0];
          return Long.parseLong(kb) * 1024;
        }
      }
    } catch (IOException | RuntimeException e) {
      // not Linux, or the process is gone
    }
    return -1;
  }

  /**
   * CPU time the process has used so far (user + system), in seconds, or NaN where /proc is not
   * available. Under a noisy neighbour this is a steadier measure of cost than throughput.
   */
  double cpuSeconds() {
    try {
      String stat = Files.readString(Path.of("/proc", Long.toString(pid()), "stat"));
      // fields after the command (which may contain spaces) start after the last ')'
      String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
      long ticks = Long.parseLong(fields[11]) + Long.parseLong(fields[12]); // utime, stime
      return ticks / (double) CLOCK_TICKS;
    } catch (IOException | RuntimeException e) {
      return Double.NaN;
    }
  }

  /** USER_HZ: the unit of /proc/<pid>/stat times; 100 on every Linux that matters. */
  private static final int CLOCK_TICKS = 100;

  /**
   * Runs a full GC in the child (jcmd), so that the heap it reports next is what it keeps live.
   * Returns false when jcmd is not available (a JRE).
   */
  boolean collectGarbage() {
    Path jcmd = Path.of(System.getProperty("java.home"), "bin", "jcmd");
    if (!Files.isExecutable(jcmd)) {
      return false;
    }
    try {
      Process gc =
          new ProcessBuilder(jcmd.toString(), Long.toString(pid()), "GC.run")
              .redirectErrorStream(true)
              .redirectOutput(ProcessBuilder.Redirect.DISCARD)
              .start();
      return gc.waitFor(60, TimeUnit.SECONDS) && gc.exitValue() == 0;
    } catch (IOException e) {
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  /** SIGTERM and wait for a clean stop; SIGKILL if it takes longer than a minute. */
  @Override
  public void close() throws InterruptedException {
    if (process.isAlive()) {
      process.destroy();
      if (!process.waitFor(60, TimeUnit.SECONDS)) {
        process.destroyForcibly();
        process.waitFor(30, TimeUnit.SECONDS);
      }
    }
    log.flush();
  }
}
