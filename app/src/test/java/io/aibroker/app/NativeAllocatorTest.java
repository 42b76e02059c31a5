package io.aibroker.app;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class NativeAllocatorTest {

  @Test
  void recognisesAPreloadedJemallocInTheProcessMaps() {
    assertThat(
            NativeAllocator.runsOn(
                "7f0c1000-7f0c2000 r-xp 00000000 08:01 1234 "
                    + "/usr/lib/x86_64-linux-gnu/libjemalloc.so.2\n"))
        .isTrue();
    assertThat(
            NativeAllocator.runsOn(
                "7f0c1000-7f0c2000 r-xp 00000000 08:01 99 /usr/lib/x86_64-linux-gnu/libc.so.6\n"))
        .isFalse();
  }
}
