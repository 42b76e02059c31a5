package io.aibroker.reliability;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Samples of named series over time and their growth per hour after a warm-up, by least-squares
 * slope, so one GC cycle or one RocksDB compaction does not decide the verdict.
 */
final class SoakReport {

  /** One series value at a time (seconds since the start). */
  record Point(double seconds, double value) {}

  private final Map<String, List<Point>> series = new LinkedHashMap<>();

  void add(String name, double seconds, double value) {
    series.computeIfAbsent(name, n -> new ArrayList<>()).add(new Point(seconds, value));
  }

  Map<String, List<Point>> series() {
    return series;
  }

  /** Least-squares slope of the points at or after {@code fromSeconds}, per hour. */
  static double growthPerHour(List<Point> points, double fromSeconds) {
    List<Point> used = points.stream().filter(p -> p.seconds() >= fromSeconds).toList();
    if (used.size() < 2) {
      return Double.NaN;
    }
    double meanX = used.stream().mapToDouble(Point::seconds).average().orElseThrow();
    double meanY = used.stream().mapToDouble(Point::value).average().orElseThrow();
    double num = 0;
    double den = 0;
    for (Point p : used) {
      num += (p.seconds() - meanX) * (p.value() - meanY);
      den += (p.seconds() - meanX) * (p.seconds() - meanX);
    }
    return den == 0 ? 0 : num / den * 3600;
  }

  String markdown(Duration duration, Duration warmup, int rate, long requests, long results) {
    StringBuilder md = new StringBuilder("# Soak\n\n");
    md.append(
        "%d s at %d requests/s (%d sent, %d results by the end, at most 2 min after the last"
                .formatted(duration.toSeconds(), rate, requests, results)
            + " send), sampled every few seconds; growth is the"
            + " least-squares slope after a %d s warm-up.%n%n".formatted(warmup.toSeconds()));
    md.append(
        "| series | after warm-up | at the end | growth per hour | growth per hour, last half |\n"
            + "|---|---|---|---|---|\n");
    double lastHalf = (warmup.toSeconds() + duration.toSeconds()) / 2.0;
    series.forEach(
        (name, points) -> {
          Point firstUsed =
              points.stream()
                  .filter(p -> p.seconds() >= warmup.toSeconds())
                  .findFirst()
                  .orElse(points.getFirst());
          md.append(
              "| %s | %s | %s | %s | %s |%n"
                  .formatted(
                      name,
                      mib(firstUsed.value()),
                      mib(points.getLast().value()),
                      mib(growthPerHour(points, warmup.toSeconds())),
                      mib(growthPerHour(points, lastHalf))));
        });
    return md.toString();
  }

  /** Every sample, one row per sampling time, one column per series (MiB). */
  String csv() {
    java.util.SortedMap<Double, Map<String, Double>> rows = new java.util.TreeMap<>();
    series.forEach(
        (name, points) ->
            points.forEach(
                p ->
                    rows.computeIfAbsent(p.seconds(), t -> new LinkedHashMap<>())
                        .put(name, p.value())));
    StringBuilder csv = new StringBuilder("seconds");
    series.keySet().forEach(name -> csv.append(',').append(name));
    csv.append('\n');
    rows.forEach(
        (seconds, values) -> {
          csv.append("%.0f".formatted(seconds));
          for (String name : series.keySet()) {
            Double v = values.get(name);
            csv.append(',').append(v == null ? "" : "%.1f".formatted(v / (1024 * 1024)));
          }
          csv.append('\n');
        });
    return csv.toString();
  }

  private static String mib(double bytes) {
    return Double.isNaN(bytes) ? "n/a" : "%.1f MiB".formatted(bytes / (1024 * 1024));
  }
}
