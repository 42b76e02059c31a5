package io.aibroker.bench;

/**
 * The figures of one load point.
 *
 * @param label what was measured
 * @param targetRate the rate asked for, per second
 * @param sentRate the rate the measured sends went out at
 * @param completedRate answers seen per second during the measured window
 * @param p50Ms median latency from the time a send was due to its answer, ms
 * @param p99Ms 99th percentile, ms
 * @param p999Ms 99.9th percentile, ms
 * @param maxMs the slowest, ms
 * @param measured sends measured (warm-up excluded)
 * @param failures answers that were not a success (over the whole run)
 * @param missing measured sends without an answer when the run gave up waiting
 * @param cached answers served from cache (over the whole run)
 * @param generatorLagMs the most the generator itself was behind its schedule, ms
 * @param appCpuMs CPU time of the broker/worker JVM per answered send, ms (NaN if not measured)
 * @param kafkaCpuMs CPU time of the Kafka JVM per answered send, ms (NaN if not measured)
 * @param generatorCpuMs CPU time of this JVM, the load generator, per send, ms (NaN if not
 *     measured)
 * @param machineBusy share of the machine's CPU time (all cores) that was busy, 0-1 (NaN if not
 *     measured)
 */
record PointResult(
    String label,
    double targetRate,
    double sentRate,
    double completedRate,
    double p50Ms,
    double p99Ms,
    double p999Ms,
    double maxMs,
    long measured,
    long failures,
    long missing,
    long cached,
    double generatorLagMs,
    double appCpuMs,
    double kafkaCpuMs,
    double generatorCpuMs,
    double machineBusy) {

  /**
   * This result with the CPU the JVMs spent over the whole run (warm-up included), shared out over
   * the {@code sends} of the whole run, and how busy the machine was meanwhile.
   */
  PointResult withCpu(CpuUse used, long sends) {
    double per = Math.max(1, sends);
    return new PointResult(
        label,
        targetRate,
        sentRate,
        completedRate,
        p50Ms,
        p99Ms,
        p999Ms,
        maxMs,
        measured,
        failures,
        missing,
        cached,
        generatorLagMs,
        1000 * used.appSeconds() / per,
        1000 * used.kafkaSeconds() / per,
        1000 * used.generatorSeconds() / per,
        used.machineBusy());
  }

  /**
   * CPU used during a run.
   *
   * @param appSeconds by the broker/worker JVM (NaN if not measured)
   * @param kafkaSeconds by the Kafka JVM (NaN if not measured)
   * @param generatorSeconds by the load generator's JVM
   * @param machineBusy share of all cores' time that was busy, 0-1 (NaN if not measured)
   */
  record CpuUse(
      double appSeconds, double kafkaSeconds, double generatorSeconds, double machineBusy) {}

  /** Every send answered, none failed, and the p99 under {@code limitMs}. */
  boolean healthyUnder(double limitMs) {
    return missing == 0 && failures == 0 && p99Ms < limitMs;
  }
}
