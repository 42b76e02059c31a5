package io.aibroker.embedded;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * A Java main class running in a JVM of its own, on this JVM's class path unless told otherwise, so
 * that a test can crash it with SIGKILL ({@link #kill()}) or stop it with SIGTERM ({@link
 * #stop(Duration)}). Its stdout and stderr go, merged, to a log file (appended to, so the runs of a
 * restarted process follow each other); a line starting with the ready prefix marks it ready. On
 * Linux it also reports the process's memory and CPU time ({@link #residentBytes()}, {@link
 * #cpuSeconds()}), as the benchmark measures its children.
 */
public final class ChildJvm implements AutoCloseable {

  /** USER_HZ: the unit of /proc/<pid>/stat times; 100 on every Linux that matters. */
  private static final int CLOCK_TICKS = 100;

  private final String name;
  private final Process process;
  private final Path logFile;
  private final CompletableFuture<String> ready = new CompletableFuture<>();

  private ChildJvm(String name, Process process, Path logFile, String readyPrefix) {
    this.name = name;
    this.process = process;
    this.logFile = logFile;
    Thread.ofPlatform().daemon().name("child-output-" + name).start(() -> pump(readyPrefix));
  }

  /** Starts describing a child JVM that runs {@code mainClass}. */
  public static Builder builder(String name, String mainClass) {
    return new Builder(name, mainClass);
  }

  /** A name for logs and messages. */
  public String name() {
    return name;
  }

  /** The OS process id. */
  public long pid() {
    return process.pid();
  }

  /** Where its output goes. */
  public Path logFile() {
    return logFile;
  }

  /** Whether the process is still running. */
  public boolean isAlive() {
    return process.isAlive();
  }

  /**
   * Waits until the process printed its ready line and returns that line.
   *
   * @throws IllegalStateException if it ended or did not get ready within {@code timeout}; the
   *     process is killed then
   */
  public String awaitReady(Duration timeout) {
    try {
      return ready.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      kill();
      throw new IllegalStateException("interrupted while " + name + " started", e);
    } catch (ExecutionException | TimeoutException e) {
      kill();
      throw new IllegalStateException(
          name + " did not get ready within " + timeout + "; its output is in " + logFile, e);
    }
  }

  /** SIGKILL, as a crash: no shutdown hook runs. Waits until the process is gone. */
  public void kill() {
    process.destroyForcibly();
    waitFor(Duration.ofSeconds(30));
  }

  /**
   * SIGTERM, a clean stop; SIGKILL if it has not ended within {@code timeout}.
   *
   * @return the exit code
   */
  public int stop(Duration timeout) {
    process.destroy();
    if (!waitFor(timeout)) {
      kill();
    }
    return process.exitValue();
  }

  private boolean waitFor(Duration timeout) {
    try {
      return process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  /** Resident set size in bytes (Linux), or -1 where /proc is not available. */
  public long residentBytes() {
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
  public double cpuSeconds() {
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

  /**
   * Runs a full GC in the process (jcmd), so that the heap it reports next is what it keeps live.
   * Returns false when jcmd is not available (a JRE) or failed.
   */
  public boolean collectGarbage() {
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

  /** Kills the process if it still runs. */
  @Override
  public void close() {
    if (process.isAlive()) {
      kill();
    }
  }

  private void pump(String readyPrefix) {
    try (var reader =
            new BufferedReader(
                new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
        Writer log =
            Files.newBufferedWriter(
                logFile,
                StandardCharsets.UTF_8,
                StandardOpenOption.CREATE,
                StandardOpenOption.APPEND)) {
      String line;
      while ((line = reader.readLine()) != null) {
        log.write(line);
        log.write('\n');
        if (!ready.isDone() && line.startsWith(readyPrefix)) {
          ready.complete(line);
        }
        // Flushed per line: the file is what is left to read when the process is killed.
        log.flush();
      }
    } catch (IOException e) {
      // the process ended, or the log cannot be written: either way the pump is done
    }
    ready.completeExceptionally(new IllegalStateException(name + " ended"));
  }

  /** Describes a {@link ChildJvm} before it starts. */
  public static final class Builder {
    private final String name;
    private final String mainClass;
    private final List<String> args = new ArrayList<>();
    private final List<String> jvmOptions = new ArrayList<>();
    private final Map<String, String> environment = new LinkedHashMap<>();
    private String classPath = System.getProperty("java.class.path");
    private Path logFile;
    private String readyPrefix = "";

    private Builder(String name, String mainClass) {
      this.name = Objects.requireNonNull(name, "name");
      this.mainClass = Objects.requireNonNull(mainClass, "mainClass");
    }

    /** Program arguments. */
    public Builder args(String... args) {
      this.args.addAll(List.of(args));
      return this;
    }

    /** JVM options such as {@code -Xmx256m}, before the main class. */
    public Builder jvmOptions(String... options) {
      jvmOptions.addAll(List.of(options));
      return this;
    }

    /** Environment variables added to this JVM's own. */
    public Builder environment(Map<String, String> environment) {
      this.environment.putAll(environment);
      return this;
    }

    /** The class path; default this JVM's. */
    public Builder classPath(String classPath) {
      this.classPath = Objects.requireNonNull(classPath, "classPath");
      return this;
    }

    /** Where stdout and stderr go; required. */
    public Builder logFile(Path logFile) {
      this.logFile = logFile;
      return this;
    }

    /** The start of the line that says the process is ready. */
    public Builder readyPrefix(String readyPrefix) {
      this.readyPrefix = Objects.requireNonNull(readyPrefix, "readyPrefix");
      return this;
    }

    /** Launches the process; use {@link ChildJvm#awaitReady} to wait for it. */
    public ChildJvm start() {
      Objects.requireNonNull(logFile, "logFile");
      List<String> command = new ArrayList<>();
      command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
      if (Runtime.version().feature() >= 23) {
        // Kafka and its compression libraries need these on JDK 23+.
        command.add("--sun-misc-unsafe-memory-access=allow");
        command.add("--enable-native-access=ALL-UNNAMED");
      }
      command.addAll(jvmOptions);
      command.add("-cp");
      command.add(classPath);
      command.add(mainClass);
      command.addAll(args);
      ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
      builder.environment().putAll(environment);
      try {
        Files.createDirectories(logFile.toAbsolutePath().getParent());
        return new ChildJvm(name, builder.start(), logFile, readyPrefix);
      } catch (IOException e) {
        throw new UncheckedIOException("cannot start " + name, e);
      }
    }
  }
}
