package io.aibroker.bench;

import io.aibroker.registry.Urls;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.Map;

/** What the figures were measured on. */
final class MachineFacts {

  private MachineFacts() {}

  static Map<String, String> collect(BenchSettings settings) {
    Map<String, String> facts = new LinkedHashMap<>();
    facts.put("date (UTC)", Instant.now().truncatedTo(ChronoUnit.SECONDS).toString());
    facts.put("cores", Integer.toString(Runtime.getRuntime().availableProcessors()));
    facts.put("CPU", cpuModel());
    facts.put("memory", memTotal());
    facts.put("OS", System.getProperty("os.name") + " " + System.getProperty("os.version"));
    facts.put(
        "JVM",
        System.getProperty("java.vm.name")
            + " "
            + System.getProperty("java.runtime.version")
            + " ("
            + System.getProperty("java.vm.vendor")
            + ")");
    facts.put(
        "heap",
        "-Xmx"
            + settings.childHeap()
            + " for each child JVM (Kafka; broker + workers; worker); load generator "
            + (Runtime.getRuntime().maxMemory() >> 20)
            + " MiB");
    facts.put("load average at start", loadAverage());
    facts.put(
        "system under test",
        settings.bootstrapServers() == null
            ? "embedded single-node KRaft Kafka + Schema Registry in one child JVM; broker and"
                + " workers (`aibroker run`) in another; "
                + settings.partitions()
                + " partitions per topic, replication 1"
            : "Kafka at "
                + Urls.withoutUserInfo(settings.bootstrapServers())
                + ", broker and workers in a child JVM");
    facts.put(
        "load",
        "open loop at a fixed rate from this JVM; latency from each send's scheduled time; warm-up "
            + settings.warmup().toSeconds()
            + " s, then "
            + settings.duration().toSeconds()
            + " s measured per point");
    return facts;
  }

  private static String cpuModel() {
    try {
      for (String line : Files.readAllLines(Path.of("/proc/cpuinfo"))) {
        if (line.startsWith("model name")) {
          return line.substring(line.indexOf(':') + 1).trim();
        }
      }
    } catch (IOException | RuntimeException e) {
      // not Linux
    }
    return System.getProperty("os.arch");
  }

  private static String memTotal() {
    try {
      for (String line : Files.readAllLines(Path.of("/proc/meminfo"))) {
        if (line.startsWith("MemTotal:")) {
          long kb = Long.parseLong(line.replaceAll("[^0-9]", ""));
          return (kb >> 20) + " GiB";
        }
      }
    } catch (IOException | RuntimeException e) {
      // not Linux
    }
    return "unknown";
  }

  private static String loadAverage() {
    try {
      String[] parts = Files.readString(Path.of("/proc/loadavg")).trim().split("\\s+");
      return parts[0] + " " + parts[1] + " " + parts[2] + " (1, 5, 15 min)";
    } catch (IOException | RuntimeException e) {
      return "unknown";
    }
  }
}
