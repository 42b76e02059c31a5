package io.aibroker.app;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The C allocator under aibroker's native memory, RocksDB's above all. The Kafka Streams
 * memory-management guide recommends jemalloc under RocksDB, preloaded ({@code LD_PRELOAD}), as
 * glibc malloc can keep freed memory in per-thread arenas; {@code bin/aibroker} and the container
 * image do that. The soak (docs/RELIABILITY.md) saw no difference between the two at 50 requests/s
 * over 30 minutes.
 */
public final class NativeAllocator {

  /** Where Debian, Ubuntu and RHEL-like systems install jemalloc ({@code libjemalloc2}). */
  static final List<Path> JEMALLOC_LOCATIONS =
      List.of(
          Path.of("/usr/lib/x86_64-linux-gnu/libjemalloc.so.2"),
          Path.of("/usr/lib/aarch64-linux-gnu/libjemalloc.so.2"),
          Path.of("/usr/lib64/libjemalloc.so.2"),
          Path.of("/usr/lib/libjemalloc.so.2"),
          Path.of("/usr/local/lib/libjemalloc.so.2"));

  private NativeAllocator() {}

  /** The jemalloc library installed on this machine, if any. */
  public static Optional<Path> installedJemalloc() {
    return JEMALLOC_LOCATIONS.stream().filter(Files::isReadable).findFirst();
  }

  /**
   * Environment that makes a child process allocate with jemalloc ({@code LD_PRELOAD}); empty if
   * jemalloc is not installed, so the child stays on the system allocator.
   */
  public static Map<String, String> jemallocEnvironment() {
    return installedJemalloc().map(lib -> Map.of("LD_PRELOAD", lib.toString())).orElse(Map.of());
  }

  /** "jemalloc" if this process has it loaded, else "system malloc". */
  public static String current() {
    return runsOn(readMaps()) ? "jemalloc" : "system malloc";
  }

  static boolean runsOn(String procSelfMaps) {
    return procSelfMaps.contains("libjemalloc");
  }

  private static String readMaps() {
    try {
      return Files.readString(Path.of("/proc/self/maps"));
    } catch (IOException | UnsupportedOperationException e) {
      return ""; // not Linux: report the system allocator
    }
  }
}
