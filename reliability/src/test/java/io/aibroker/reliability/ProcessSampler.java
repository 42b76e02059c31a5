package io.aibroker.reliability;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.DoubleSummaryStatistics;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import java.util.stream.DoubleStream;
import java.util.stream.Stream;

/** Reads the memory of a child process and the size of a directory, for the soak. */
final class ProcessSampler {

  private static final HttpClient HTTP =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  private ProcessSampler() {}

  /** Resident set size in bytes, from {@code /proc/<pid>/status} (VmRSS); empty if gone. */
  static OptionalLong rssBytes(long pid) {
    try {
      for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), "status"))) {
        if (line.startsWith("VmRSS:")) {
          return OptionalLong.of(kilobytes(line) * 1024);
        }
      }
      return OptionalLong.empty();
    } catch (IOException e) {
      return OptionalLong.empty();
    }
  }

  /** Parses "VmRSS: 123456 kB". */
  static long kilobytes(String statusLine) {
    String[] parts = statusLine.trim().split("\\s+");
    return Long.parseLong(parts[1]);
  }

  /**
   * Heap in use right after a full GC, i.e. the live data, in bytes: {@code jcmd GC.run}, then
   * {@code GC.heap_info}. Micrometer's "live data size" gauge is the old generation after the last
   * collection of any kind, which under G1 rises with promoted garbage until a concurrent cycle, so
   * it cannot tell a leak from a young process.
   */
  static OptionalLong liveHeapBytes(long pid) {
    if (jcmd(pid, "GC.run").isEmpty()) {
      return OptionalLong.empty();
    }
    return jcmd(pid, "GC.heap_info")
        .flatMap(ProcessSampler::heapUsedKilobytes)
        .map(kb -> OptionalLong.of(kb * 1024))
        .orElse(OptionalLong.empty());
  }

  /**
   * Native memory the JVM itself has committed (heap, metaspace, code, threads, GC, its own
   * mallocs) in bytes, from Native Memory Tracking; empty unless the process runs with {@code
   * -XX:NativeMemoryTracking=summary}. RSS beyond it is memory the JVM does not know of: RocksDB
   * and other JNI libraries, and malloc's retained free space.
   */
  static OptionalLong jvmTrackedNativeBytes(long pid) {
    return jcmd(pid, "VM.native_memory", "summary")
        .flatMap(ProcessSampler::nmtCommittedKilobytes)
        .map(kb -> OptionalLong.of(kb * 1024))
        .orElse(OptionalLong.empty());
  }

  private static final Pattern HEAP_USED = Pattern.compile("heap\\s+total[^\\n]*?used\\s+(\\d+)K");
  private static final Pattern NMT_TOTAL_COMMITTED =
      Pattern.compile("Total: reserved=\\d+KB, committed=(\\d+)KB");

  /** The heap in use, in KiB, from {@code jcmd GC.heap_info} output (JDK 21 and 25 formats). */
  static Optional<Long> heapUsedKilobytes(String heapInfo) {
    return firstNumber(HEAP_USED, heapInfo);
  }

  /** The JVM's committed total, in KiB, from {@code jcmd VM.native_memory summary} output. */
  static Optional<Long> nmtCommittedKilobytes(String summary) {
    return firstNumber(NMT_TOTAL_COMMITTED, summary);
  }

  private static Optional<Long> firstNumber(Pattern pattern, String text) {
    var matcher = pattern.matcher(text);
    return matcher.find() ? Optional.of(Long.parseLong(matcher.group(1))) : Optional.empty();
  }

  /** Runs a diagnostic command in process {@code pid} with this JDK's jcmd; its output. */
  private static Optional<String> jcmd(long pid, String... command) {
    List<String> args = new ArrayList<>();
    args.add(Path.of(System.getProperty("java.home"), "bin", "jcmd").toString());
    args.add(Long.toString(pid));
    args.addAll(List.of(command));
    try {
      Process process = new ProcessBuilder(args).redirectErrorStream(true).start();
      byte[] out = process.getInputStream().readAllBytes();
      boolean done = process.waitFor(60, TimeUnit.SECONDS);
      return done && process.exitValue() == 0
          ? Optional.of(new String(out, StandardCharsets.UTF_8))
          : Optional.empty();
    } catch (IOException e) {
      return Optional.empty();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return Optional.empty();
    }
  }

  /** Total size in bytes of the regular files under {@code dir}; 0 if it does not exist. */
  static long directoryBytes(Path dir) {
    if (!Files.isDirectory(dir)) {
      return 0;
    }
    try (Stream<Path> files = Files.walk(dir)) {
      return files
          .filter(Files::isRegularFile)
          .mapToLong(
              f -> {
                try {
                  return Files.size(f);
                } catch (IOException e) {
                  return 0; // RocksDB deleted it while we walked
                }
              })
          .sum();
    } catch (IOException | UncheckedIOException e) {
      return 0;
    }
  }

  /**
   * The exposition text of a {@code /metrics} endpoint, empty if unreachable: one scrape serves
   * every {@link #sum} and {@link #max} of a sample.
   */
  static String scrape(String metricsUrl) {
    try {
      return HTTP.send(
              HttpRequest.newBuilder(URI.create(metricsUrl))
                  .timeout(Duration.ofSeconds(10))
                  .build(),
              HttpResponse.BodyHandlers.ofString())
          .body();
    } catch (IOException e) {
      return "";
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return "";
    }
  }

  static OptionalLong max(String exposition, String metric) {
    return values(exposition, metric, List.of())
        .filter(v -> !Double.isNaN(v))
        .mapToLong(v -> (long) v)
        .max();
  }

  static OptionalLong sum(String exposition, String metric, List<String> labels) {
    DoubleSummaryStatistics values = values(exposition, metric, labels).summaryStatistics();
    return values.getCount() == 0 ? OptionalLong.empty() : OptionalLong.of((long) values.getSum());
  }

  /** The values of a metric's samples whose labels contain every one of {@code labels}. */
  private static DoubleStream values(String exposition, String metric, List<String> labels) {
    return exposition
        .lines()
        .filter(line -> line.startsWith(metric + "{") || line.startsWith(metric + " "))
        .filter(line -> labels.stream().allMatch(line::contains))
        .map(String::strip)
        .mapToDouble(line -> Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1)));
  }
}
