package io.aibroker.bench;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The CPU time of the load generator (this JVM) and how busy the whole machine is: with the system
 * under test, the Kafka and the generator on the same cores, a point's CPU per request only adds up
 * to what the machine can do when the generator's share is counted too.
 */
final class CpuClock {

  private static final Path PROC_STAT = Path.of("/proc/stat");

  /**
   * A reading.
   *
   * @param generatorSeconds CPU time this JVM has used
   * @param busyTicks the machine's busy time over all cores, in clock ticks (-1 where there is no
   *     {@code /proc/stat})
   * @param totalTicks the machine's time over all cores, busy or idle, in clock ticks
   */
  record Reading(double generatorSeconds, long busyTicks, long totalTicks) {

    /** The CPU used from {@code this} reading to {@code later}, with the two JVMs' seconds. */
    PointResult.CpuUse until(Reading later, double appSeconds, double kafkaSeconds) {
      long total = later.totalTicks - totalTicks;
      double busy =
          busyTicks < 0 || later.busyTicks < 0 || total <= 0
              ? Double.NaN
              : (later.busyTicks - busyTicks) / (double) total;
      return new PointResult.CpuUse(
          appSeconds, kafkaSeconds, later.generatorSeconds - generatorSeconds, busy);
    }
  }

  private CpuClock() {}

  /** Reads both now. */
  static Reading read() {
    long[] machine = machineTicks();
    return new Reading(generatorSeconds(), machine[0], machine[1]);
  }

  private static double generatorSeconds() {
    if (ManagementFactory.getOperatingSystemMXBean()
        instanceof com.sun.management.OperatingSystemMXBean os) {
      return os.getProcessCpuTime() / 1e9;
    }
    return Double.NaN;
  }

  /**
   * Busy and total ticks of all cores from {@code /proc/stat}'s first line ({@code cpu user nice
   * system idle iowait irq softirq steal ...}): idle and iowait are not busy; {-1, -1} elsewhere.
   */
  private static long[] machineTicks() {
    try (var lines = Files.lines(PROC_STAT)) {
      String first = lines.findFirst().orElse("");
      return ticksOf(first);
    } catch (IOException | RuntimeException e) {
      return new long[] {-1, -1};
    }
  }

  /** Busy and total ticks of a {@code /proc/stat} "cpu" line; {-1, -1} for any other line. */
  static long[] ticksOf(String cpuLine) {
    String[] fields = cpuLine.trim().split("\\s+");
    if (fields.length < 5 || !fields[0].equals("cpu")) {
      return new long[] {-1, -1};
    }
    long total = 0;
    long idle = 0;
    // user nice system idle iowait irq softirq steal; guest time is already in user and nice
    for (int i = 1; i < Math.min(fields.length, 9); i++) {
      long ticks = Long.parseLong(fields[i]);
      total += ticks;
      if (i == 4 || i == 5) {
        idle += ticks;
      }
    }
    return new long[] {total - idle, total};
  }
}
