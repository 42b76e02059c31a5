package io.aibroker.app.dashboard;

import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.distribution.CountAtBucket;
import io.micrometer.core.instrument.distribution.HistogramSnapshot;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;

/**
 * A cumulative latency histogram read from Micrometer timers: for each bucket's upper bound (ms),
 * how many values were at or below it, plus the total count and time. Values above the last bound
 * are only in {@link #count()}. Micrometer's buckets are cumulative since the timer was created, so
 * the difference of two readings ({@link #minus}) describes what happened between them, the way
 * Prometheus' {@code rate()} of {@code _bucket} series does.
 *
 * @param buckets upper bound in ms to cumulative count, in ascending order of bound
 * @param count values recorded
 * @param totalMs sum of the values, in ms
 */
record LatencyHistogram(TreeMap<Double, Double> buckets, double count, double totalMs) {

  /** No values. */
  static final LatencyHistogram EMPTY = new LatencyHistogram(new TreeMap<>(), 0, 0);

  /** The histogram of one timer. */
  static LatencyHistogram of(Timer timer) {
    HistogramSnapshot snapshot = timer.takeSnapshot();
    TreeMap<Double, Double> buckets = new TreeMap<>();
    for (CountAtBucket bucket : snapshot.histogramCounts()) {
      buckets.put(bucket.bucket(TimeUnit.MILLISECONDS), bucket.count());
    }
    return new LatencyHistogram(
        buckets, snapshot.count(), snapshot.total(TimeUnit.NANOSECONDS) / 1_000_000.0);
  }

  /** Both histograms together (timers of one name differ only in tags, so bounds match). */
  LatencyHistogram plus(LatencyHistogram other) {
    TreeMap<Double, Double> sum = new TreeMap<>(buckets);
    other.buckets.forEach((bound, n) -> sum.merge(bound, n, Double::sum));
    return new LatencyHistogram(sum, count + other.count, totalMs + other.totalMs);
  }

  /**
   * What was recorded after {@code earlier}. A timer that went away (a count lower than before)
   * restarts from zero, so the whole of this reading is returned.
   */
  LatencyHistogram minus(LatencyHistogram earlier) {
    if (count < earlier.count) {
      return this;
    }
    TreeMap<Double, Double> delta = new TreeMap<>();
    for (Map.Entry<Double, Double> bucket : buckets.entrySet()) {
      double before = earlier.buckets.getOrDefault(bucket.getKey(), 0.0);
      if (bucket.getValue() < before) {
        return this; // buckets that went down were reset: what they hold now is all there is
      }
      delta.put(bucket.getKey(), bucket.getValue() - before);
    }
    return new LatencyHistogram(
        delta, count - earlier.count, Math.max(0, totalMs - earlier.totalMs));
  }

  /** True when the timers publish buckets, so percentiles can be estimated. */
  boolean hasBuckets() {
    return !buckets.isEmpty();
  }

  /** Mean in ms, or null when nothing was recorded. */
  Double mean() {
    return count <= 0 ? null : totalMs / count;
  }

  /**
   * The {@code q}-quantile in ms, estimated like Prometheus' {@code histogram_quantile}: linear
   * interpolation inside the bucket holding the rank; the last bound when the rank lies above it.
   * Null when nothing was recorded or there are no buckets.
   */
  Double percentile(double q) {
    if (count <= 0 || buckets.isEmpty()) {
      return null;
    }
    double rank = q * count;
    double lowerBound = 0;
    double lowerCount = 0;
    for (Map.Entry<Double, Double> bucket : buckets.entrySet()) {
      double upperBound = bucket.getKey();
      double upperCount = bucket.getValue();
      if (upperCount >= rank && upperCount > lowerCount) {
        return lowerBound
            + (upperBound - lowerBound) * (rank - lowerCount) / (upperCount - lowerCount);
      }
      lowerBound = upperBound;
      lowerCount = upperCount;
    }
    return buckets.lastKey();
  }
}
