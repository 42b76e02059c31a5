package io.aibroker.reliability;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;

class SoakReportTest {

  @Test
  void growthPerHourIsTheSlopeAfterTheWarmup() {
    List<SoakReport.Point> points =
        List.of(
            new SoakReport.Point(0, 1_000), // warm-up: ignored
            new SoakReport.Point(60, 100),
            new SoakReport.Point(120, 110),
            new SoakReport.Point(180, 120));
    assertThat(SoakReport.growthPerHour(points, 60)).isCloseTo(600, within(1e-9));
  }

  @Test
  void aFlatSeriesWithNoiseHasNoGrowth() {
    // GC-like ups and downs around a constant level, in no trend
    double[] values = {100, 140, 100, 140, 140, 100, 140, 100};
    List<SoakReport.Point> points =
        java.util.stream.IntStream.range(0, values.length)
            .mapToObj(i -> new SoakReport.Point(i * 10, values[i]))
            .toList();
    assertThat(SoakReport.growthPerHour(points, 0)).isCloseTo(0, within(1e-9));
    assertThat(SoakReport.growthPerHour(points.subList(0, 1), 0)).isNaN();
  }

  @Test
  void rssIsReadFromProcStatusInKilobytes() {
    assertThat(ProcessSampler.kilobytes("VmRSS:\t  123456 kB")).isEqualTo(123_456);
    assertThat(ProcessSampler.rssBytes(ProcessHandle.current().pid())).isPresent();
    assertThat(ProcessSampler.rssBytes(Long.MAX_VALUE)).isEmpty();
  }

  @Test
  void prometheusSamplesAreSummedOverMatchingLabels() {
    String text =
        """
        # HELP jvm_memory_used_bytes The amount of used memory
        jvm_memory_used_bytes{area="heap",id="G1 Eden Space"} 1000.0
        jvm_memory_used_bytes{area="heap",id="G1 Old Gen"} 2.5E3
        jvm_memory_used_bytes{area="nonheap",id="Metaspace"} 7000.0
        jvm_gc_live_data_size_bytes 4096.0
        """;
    assertThat(ProcessSampler.sum(text, "jvm_memory_used_bytes", List.of("area=\"heap\"")))
        .isEqualTo(OptionalLong.of(3500));
    assertThat(ProcessSampler.sum(text, "jvm_gc_live_data_size_bytes", List.of()))
        .isEqualTo(OptionalLong.of(4096));
    assertThat(ProcessSampler.sum(text, "missing", List.of())).isEmpty();
  }
}
