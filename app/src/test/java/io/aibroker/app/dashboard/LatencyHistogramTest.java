package io.aibroker.app.dashboard;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.TreeMap;
import org.junit.jupiter.api.Test;

class LatencyHistogramTest {

  /** Cumulative counts at bounds 10, 100, 1000 ms. */
  private static LatencyHistogram histogram(
      double le10, double le100, double le1000, double count) {
    TreeMap<Double, Double> buckets = new TreeMap<>();
    buckets.put(10.0, le10);
    buckets.put(100.0, le100);
    buckets.put(1000.0, le1000);
    return new LatencyHistogram(buckets, count, 0);
  }

  @Test
  void percentileInterpolatesInsideTheBucketHoldingTheRank() {
    LatencyHistogram h = histogram(0, 10, 10, 10);

    assertThat(h.percentile(0.5)).isCloseTo(55.0, within(1e-9));
    assertThat(h.percentile(0.99)).isCloseTo(99.1, within(1e-9));
  }

  @Test
  void percentileAboveTheLastBoundIsTheLastBound() {
    LatencyHistogram h = histogram(0, 0, 1, 10);

    assertThat(h.percentile(0.99)).isEqualTo(1000.0);
  }

  @Test
  void percentileOfNothingIsUnknown() {
    assertThat(LatencyHistogram.EMPTY.percentile(0.5)).isNull();
    assertThat(histogram(0, 0, 0, 0).percentile(0.5)).isNull();
    assertThat(new LatencyHistogram(new TreeMap<>(), 3, 30).percentile(0.5)).isNull();
  }

  @Test
  void minusKeepsOnlyWhatWasRecordedInBetween() {
    LatencyHistogram before = histogram(100, 100, 100, 100);
    LatencyHistogram after = histogram(100, 100, 110, 110);

    LatencyHistogram delta = after.minus(before);

    assertThat(delta.count()).isEqualTo(10);
    assertThat(delta.percentile(0.5)).isGreaterThan(100.0);
  }

  @Test
  void minusAfterAResetReturnsTheNewReadingWhole() {
    LatencyHistogram before = histogram(5, 5, 5, 5);
    LatencyHistogram after = histogram(0, 2, 2, 2);

    assertThat(after.minus(before)).isEqualTo(after);
  }

  @Test
  void plusAddsBucketByBucket() {
    LatencyHistogram sum = histogram(1, 2, 3, 3).plus(histogram(0, 1, 1, 2));

    assertThat(sum.buckets()).containsEntry(10.0, 1.0).containsEntry(100.0, 3.0);
    assertThat(sum.count()).isEqualTo(5);
  }

  @Test
  void meanIsTotalOverCount() {
    assertThat(new LatencyHistogram(new TreeMap<>(), 4, 100).mean()).isEqualTo(25.0);
    assertThat(LatencyHistogram.EMPTY.mean()).isNull();
  }
}
