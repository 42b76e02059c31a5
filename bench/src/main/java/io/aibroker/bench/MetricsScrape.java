package io.aibroker.bench;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * One reading of a process's Prometheus {@code /metrics} page, to read its heap and its own gauges
 * from outside.
 */
final class MetricsScrape {

  private static final HttpClient HTTP =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  private record Sample(String name, String labels, double value) {}

  private final List<Sample> samples;

  private MetricsScrape(List<Sample> samples) {
    this.samples = samples;
  }

  /** Reads {@code baseUrl + "/metrics"}. */
  static MetricsScrape of(String baseUrl) throws IOException, InterruptedException {
    HttpResponse<String> response =
        HTTP.send(
            HttpRequest.newBuilder(URI.create(baseUrl + "/metrics"))
                .timeout(Duration.ofSeconds(10))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    if (response.statusCode() != 200) {
      throw new IOException(baseUrl + "/metrics answered " + response.statusCode());
    }
    return parse(response.body());
  }

  /** Parses the Prometheus text format (comments skipped). */
  static MetricsScrape parse(String text) {
    List<Sample> samples = new ArrayList<>();
    for (String line : text.split("\n")) {
      if (line.isBlank() || line.startsWith("#")) {
        continue;
      }
      int brace = line.indexOf('{');
      int space = line.lastIndexOf(' ');
      if (space < 0) {
        continue;
      }
      String name;
      String labels;
      if (brace >= 0 && brace < space) {
        name = line.substring(0, brace);
        labels = line.substring(brace + 1, line.lastIndexOf('}'));
      } else {
        name = line.substring(0, space).trim();
        labels = "";
      }
      try {
        samples.add(new Sample(name, labels, Double.parseDouble(line.substring(space + 1))));
      } catch (NumberFormatException ignored) {
        // not a plain sample
      }
    }
    return new MetricsScrape(samples);
  }

  /** The sum of every sample of {@code name} whose labels contain {@code labelPart}. */
  double sum(String name, String labelPart) {
    double sum = 0;
    for (Sample sample : samples) {
      if (sample.name().equals(name) && sample.labels().contains(labelPart)) {
        sum += sample.value();
      }
    }
    return sum;
  }

  /** Heap in use, in bytes (all heap pools). */
  long heapUsed() {
    return (long) sum("jvm_memory_used_bytes", "area=\"heap\"");
  }

  /** The largest the heap may grow, in bytes. */
  long heapMax() {
    return (long) sum("jvm_memory_max_bytes", "area=\"heap\"");
  }

  /** Number of distinct series of {@code name}, e.g. to see metric cardinality grow. */
  long series(String name) {
    return samples.stream().filter(s -> s.name().equals(name)).count();
  }
}
