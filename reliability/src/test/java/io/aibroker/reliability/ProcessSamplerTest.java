package io.aibroker.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class ProcessSamplerTest {

  @Test
  void readsTheHeapInUseFromGcHeapInfoOfJdk21And25() {
    assertThat(
            ProcessSampler.heapUsedKilobytes(
                "123:\n garbage-first heap   total 524288K, used 61234K [0x00000000e0000000,"))
        .contains(61234L);
    assertThat(
            ProcessSampler.heapUsedKilobytes(
                "123:\ngarbage-first heap   total reserved 393216K, committed 393216K, used 197183K"
                    + " [0x00000000e8000000, 0x0000000100000000)\n region size 1024K"))
        .contains(197183L);
  }

  @Test
  void readsTheCommittedTotalFromANativeMemorySummary() {
    assertThat(
            ProcessSampler.nmtCommittedKilobytes(
                "15944:\n\nNative Memory Tracking:\n\n"
                    + "Total: reserved=2017359KB, committed=694983KB\n"
                    + "       malloc: 36943KB #223866\n"))
        .contains(694983L);
  }

  @Test
  void findsNothingInOutputOfAnotherShape() {
    assertThat(ProcessSampler.nmtCommittedKilobytes("Native memory tracking is not enabled"))
        .isEmpty();
  }

  @Test
  void takesTheLargestSampleOfAMetricEveryStoreRepeats() {
    String exposition =
        "# TYPE kafka_stream_state_block_cache_usage gauge\n"
            + "kafka_stream_state_block_cache_usage{store=\"a\"} 1.2E7\n"
            + "kafka_stream_state_block_cache_usage{store=\"b\"} 1.5E7\n"
            + "kafka_stream_state_block_cache_capacity{store=\"a\"} 6.7E7\n";
    assertThat(ProcessSampler.max(exposition, "kafka_stream_state_block_cache_usage"))
        .hasValue(15_000_000L);
  }

  @Test
  void sumsTheSamplesOfAMetricWithTheGivenLabels() {
    String exposition =
        "# TYPE jvm_memory_used_bytes gauge\n"
            + "jvm_memory_used_bytes{area=\"heap\",id=\"G1 Eden Space\"} 1.0E7\n"
            + "jvm_memory_used_bytes{area=\"heap\",id=\"G1 Old Gen\"} 2.5E7\n"
            + "jvm_memory_used_bytes{area=\"nonheap\",id=\"Metaspace\"} 4.0E7\n";
    assertThat(ProcessSampler.sum(exposition, "jvm_memory_used_bytes", List.of("area=\"heap\"")))
        .hasValue(35_000_000L);
    assertThat(ProcessSampler.sum(exposition, "jvm_threads_live", List.of())).isEmpty();
  }
}
