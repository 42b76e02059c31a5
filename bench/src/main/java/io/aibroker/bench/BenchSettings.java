package io.aibroker.bench;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;

/**
 * Everything a benchmark run is told.
 *
 * @param scenarios which scenarios to run (see {@link #ALL})
 * @param workDir child JVMs' data, logs and flight recordings
 * @param platformMain main class of the aibroker command the children run
 * @param childHeap -Xmx of each child JVM, e.g. {@code 1g}
 * @param partitions partitions of every topic
 * @param bootstrapServers an existing Kafka cluster, or null to start one
 * @param schemaRegistryUrl its Schema Registry (with {@code bootstrapServers})
 * @param jfr record the children (Kafka included) with Java Flight Recorder
 * @param warmup warm-up of each load point
 * @param duration measured time of each load point
 * @param drain longest wait for the answers of a point after its last send
 * @param rawRates fixed rates of the raw Kafka latency points
 * @param rawThroughputRecords records of the raw throughput run
 * @param pipelineRates rates the pipeline throughput search steps through, ascending
 * @param p99LimitMs the p99 a pipeline rate must stay under to count
 * @param latencyRates rates of the added-latency points
 * @param cachePrompts distinct prompts of the cache-hit run
 * @param cacheRate rate of the cache-hit run
 * @param workerCalls dispatches sent to the worker at once
 * @param workerLatency simulated provider latency in the worker run
 * @param workerConsumers share consumers of the worker
 * @param workerMaxPollRecords records per poll of each consumer
 * @param workerPermits calls in flight allowed per deployment
 * @param growthTenants tenant counts of the growth runs
 * @param growthCacheEntries cache entries of the last growth run (0 skips it)
 * @param growthRate fixed rate at which the growth runs measure p99
 * @param seedRate rate at which tenants are introduced before a growth run
 * @param httpWarmupRequests sequential HTTP requests (and direct calls) discarded before measuring
 * @param httpSequential sequential HTTP requests (and direct calls) measured, one client
 * @param httpRate rate of the open-loop HTTP point (its warm-up and duration: the settings above)
 * @param httpProviderLatency simulated provider latency of the HTTP scenario (app child and direct
 *     baseline alike; jitter 0)
 * @param jmhIterations measurement iterations of each microbenchmark (warm-up: as many)
 * @param jmhTime time of one iteration
 * @param jmhForks forked JVMs per microbenchmark (0: in this JVM, only good for a smoke run)
 * @param floorThroughputRate rate of the empty pipeline's exactly-once throughput point (the
 *     throughput goal's rate)
 * @param aloneEvery the time between the requests of a one-request-alone run: longer than any
 *     answer takes, so that none overlaps the next
 */
record BenchSettings(
    Set<String> scenarios,
    Path workDir,
    String platformMain,
    String childHeap,
    int partitions,
    String bootstrapServers,
    String schemaRegistryUrl,
    boolean jfr,
    Duration warmup,
    Duration duration,
    Duration drain,
    List<Double> rawRates,
    long rawThroughputRecords,
    List<Double> pipelineRates,
    double p99LimitMs,
    List<Double> latencyRates,
    int cachePrompts,
    double cacheRate,
    int workerCalls,
    Duration workerLatency,
    int workerConsumers,
    int workerMaxPollRecords,
    int workerPermits,
    List<Integer> growthTenants,
    long growthCacheEntries,
    double growthRate,
    double seedRate,
    int httpWarmupRequests,
    int httpSequential,
    double httpRate,
    Duration httpProviderLatency,
    int jmhIterations,
    Duration jmhTime,
    int jmhForks,
    double floorThroughputRate,
    Duration aloneEvery) {

  static final String RAW = "raw";
  static final String PIPELINE = "pipeline";
  static final String LATENCY = "latency";
  static final String CACHE = "cache";

  /**
   * The empty pipeline (the floor of the hops); also run with {@link #LATENCY} and {@link #CACHE}.
   */
  static final String FLOOR = "floor";

  static final String WORKER = "worker";
  static final String HTTP = "http";
  static final String GROWTH = "growth";
  static final String JMH = "jmh";

  /** Every scenario, in the order they run. */
  static final List<String> ALL =
      List.of(RAW, PIPELINE, LATENCY, CACHE, FLOOR, HTTP, WORKER, GROWTH, JMH);

  boolean runs(String scenario) {
    return scenarios.contains(scenario);
  }
}
