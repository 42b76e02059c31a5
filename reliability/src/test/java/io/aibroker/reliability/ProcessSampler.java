package io.aibroker.reliability;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.OptionalLong;
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
   * The sum of a Prometheus metric's samples whose labels contain every one of {@code labels} (e.g.
   * {@code area="heap"}), from a {@code /metrics} endpoint; empty if unreachable or absent.
   */
  static OptionalLong prometheusSum(String metricsUrl, String metric, List<String> labels) {
    try {
      String text =
          HTTP.send(
                  HttpRequest.newBuilder(URI.create(metricsUrl))
                      .timeout(Duration.ofSeconds(10))
                      .build(),
                  HttpResponse.BodyHandlers.ofString())
              .body();
      return sum(text, metric, labels);
    } catch (IOException e) {
      return OptionalLong.empty();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return OptionalLong.empty();
    }
  }

  static OptionalLong sum(String exposition, String metric, List<String> labels) {
    double total = 0;
    boolean found = false;
    for (String line : exposition.split("\n")) {
      if (line.startsWith(metric + "{") || line.startsWith(metric + " ")) {
        if (labels.stream().allMatch(line::contains)) {
          String[] parts = line.trim().split("\\s+");
          total += Double.parseDouble(parts[parts.length - 1]);
          found = true;
        }
      }
    }
    return found ? OptionalLong.of((long) total) : OptionalLong.empty();
  }
}
