package io.aibroker.broker;

import io.aibroker.topics.Topics;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import org.apache.kafka.streams.errors.LogAndContinueProcessingExceptionHandler;

/**
 * Everything the broker topology and its Kafka Streams runtime need.
 *
 * @param topics topic names
 * @param applicationId Kafka Streams application id (consumer group, state and changelog names)
 * @param processingGuarantee {@code exactly_once_v2} (default) or {@code at_least_once}
 * @param commitInterval Streams commit interval: with exactly-once, results become visible only at
 *     commit, so this bounds the added latency
 * @param producerLinger linger of the Streams producer (Streams' own default is 100 ms)
 * @param cacheMaxBytes record cache of the stores: repeated writes of a key between commits reach
 *     RocksDB and the changelog once; 0 writes every update through
 * @param streamThreads stream threads per instance
 * @param rocksDbMemoryBytes native memory of all this instance's RocksDB stores together (block
 *     cache, index and filter blocks, and memtables, which may take a quarter of it); see {@link
 *     BoundedMemoryRocksDbConfig}
 * @param models logical models and their routes
 * @param prices the configured price versions (the seed of the prices topic), which versions on the
 *     topic overlay
 * @param limits request size limits
 * @param tenantDefaults policy of tenants without one of their own, and windows
 * @param tenancy where requests come from, unknown tenants, and bounds of what a tenant may hold
 */
public record BrokerConfig(
    Topics topics,
    String applicationId,
    String processingGuarantee,
    Duration commitInterval,
    Duration producerLinger,
    long cacheMaxBytes,
    int streamThreads,
    long rocksDbMemoryBytes,
    ModelCatalog models,
    PriceCatalog prices,
    RequestLimits limits,
    TenantDefaults tenantDefaults,
    Tenancy tenancy) {

  /**
   * Largest record the broker writes (its producer's {@code max.request.size}, and {@code
   * max.message.bytes} of its changelogs and of the topics that carry whole requests onward): a
   * request that fit on the ingress topic, plus what the broker adds to it, must fit everywhere it
   * goes next, or the task that owns it would fail on it for ever.
   */
  public static final int CARRIER_MAX_MESSAGE_BYTES = 8 * 1024 * 1024;

  /**
   * Streams setting naming the partition count of the requests topic (and of requests-by-tenant,
   * which is co-partitioned with it), so that requests keyed by tenant but partitioned by another
   * hash than Java's are re-keyed to their tenant's task. Set by whoever starts the topology.
   */
  public static final String REQUEST_PARTITIONS_CONFIG = "aibroker.requests.partitions";

  /** Streams setting carrying {@link #rocksDbMemoryBytes} to {@link BoundedMemoryRocksDbConfig}. */
  public static final String ROCKSDB_MEMORY_CONFIG = "aibroker.rocksdb.memory.bytes";

  /** Default RocksDB memory budget of an instance: 64 MiB. */
  public static final long DEFAULT_ROCKSDB_MEMORY_BYTES = 64L << 20;

  /** Validates the configuration. */
  public BrokerConfig {
    Objects.requireNonNull(topics, "topics");
    Objects.requireNonNull(applicationId, "applicationId");
    Objects.requireNonNull(models, "models");
    Objects.requireNonNull(prices, "prices");
    Objects.requireNonNull(limits, "limits");
    Objects.requireNonNull(tenantDefaults, "tenantDefaults");
    Objects.requireNonNull(tenancy, "tenancy");
    if (!processingGuarantee.equals("exactly_once_v2")
        && !processingGuarantee.equals("at_least_once")) {
      throw new IllegalArgumentException(
          "processing guarantee must be exactly_once_v2 or at_least_once, was "
              + processingGuarantee);
    }
    if (commitInterval.isNegative() || producerLinger.isNegative() || cacheMaxBytes < 0) {
      throw new IllegalArgumentException("latency settings must not be negative");
    }
    if (streamThreads < 1) {
      throw new IllegalArgumentException("streamThreads must be >= 1");
    }
    if (rocksDbMemoryBytes < 1L << 20) {
      throw new IllegalArgumentException(
          "rocksDbMemoryBytes must be at least 1 MiB, was " + rocksDbMemoryBytes);
    }
  }

  /** A configuration with {@link Tenancy#defaults()}. */
  public BrokerConfig(
      Topics topics,
      String applicationId,
      String processingGuarantee,
      Duration commitInterval,
      Duration producerLinger,
      long cacheMaxBytes,
      int streamThreads,
      long rocksDbMemoryBytes,
      ModelCatalog models,
      PriceCatalog prices,
      RequestLimits limits,
      TenantDefaults tenantDefaults) {
    this(
        topics,
        applicationId,
        processingGuarantee,
        commitInterval,
        producerLinger,
        cacheMaxBytes,
        streamThreads,
        rocksDbMemoryBytes,
        models,
        prices,
        limits,
        tenantDefaults,
        Tenancy.defaults());
  }

  /** This configuration with other tenancy settings. */
  public BrokerConfig withTenancy(Tenancy other) {
    return new BrokerConfig(
        topics,
        applicationId,
        processingGuarantee,
        commitInterval,
        producerLinger,
        cacheMaxBytes,
        streamThreads,
        rocksDbMemoryBytes,
        models,
        prices,
        limits,
        tenantDefaults,
        other);
  }

  /** True with {@code exactly_once_v2}: outputs are visible once their transaction commits. */
  public boolean exactlyOnce() {
    return processingGuarantee.equals("exactly_once_v2");
  }

  /** Name of the default profile: exactly-once, latency bounded by the commit interval. */
  public static final String PROFILE_EXACTLY_ONCE = "exactly-once";

  /**
   * Name of the low-latency profile: {@code at_least_once}, a 100 ms commit interval and linger 0.
   * Results no longer wait for a transaction to commit, so each Streams hop adds milliseconds
   * instead of up to a commit interval; a crash may then publish a result or usage event twice
   * (readers dedupe by requestId / eventId).
   */
  public static final String PROFILE_LOW_LATENCY = "low-latency";

  /**
   * Commit interval of the low-latency profile. With at-least-once, results do not wait for the
   * commit, so it does not bound latency; it bounds the work redone after a crash (Streams'
   * at-least-once default is 30 s). Each commit stops the stream thread for a producer flush and a
   * synchronous offset commit, so much shorter intervals cost throughput (measured: 20 ms could not
   * keep 500 requests/s where exactly-once kept 2,000).
   */
  public static final Duration LOW_LATENCY_COMMIT_INTERVAL = Duration.ofMillis(100);

  /**
   * This configuration under the named profile: {@link #PROFILE_EXACTLY_ONCE} leaves it as it is,
   * {@link #PROFILE_LOW_LATENCY} replaces the processing guarantee, commit interval and linger.
   */
  public BrokerConfig withProfile(String profile) {
    if (profile == null || profile.equals(PROFILE_EXACTLY_ONCE)) {
      return this;
    }
    if (!profile.equals(PROFILE_LOW_LATENCY)) {
      throw new IllegalArgumentException(
          "broker profile must be "
              + PROFILE_EXACTLY_ONCE
              + " or "
              + PROFILE_LOW_LATENCY
              + ", was "
              + profile);
    }
    return new BrokerConfig(
        topics,
        applicationId,
        "at_least_once",
        LOW_LATENCY_COMMIT_INTERVAL,
        Duration.ZERO,
        cacheMaxBytes,
        streamThreads,
        rocksDbMemoryBytes,
        models,
        prices,
        limits,
        tenantDefaults,
        tenancy);
  }

  /**
   * How long the stream thread blocks waiting for input ({@code poll.ms}): a tenth of the commit
   * interval, 1-100 ms. The thread commits between polls, so with nothing more to read an output
   * waits out the poll before its transaction commits: with Streams' default of 100 ms, longer than
   * the 50 ms interval, one request alone took about 245 ms through two exactly-once hops, and 125
   * ms with 5 ms. Under load the poll returns at once, so this costs only idle wake-ups.
   */
  long pollMillis() {
    return Math.clamp(commitInterval.toMillis() / 10, 1, 100);
  }

  /**
   * First retry backoff of the Streams producer with exactly-once ({@code
   * producer.retry.backoff.ms}, unless the client settings give {@code retry.backoff.ms}). A commit
   * that follows the previous one closely finds the transaction coordinator still writing that
   * one's markers; it answers CONCURRENT_TRANSACTIONS, and the producer retries adding the consumed
   * offsets to the transaction after its backoff, Kafka's default 100 ms, while the stream thread
   * waits. Kafka shortened this wait to 20 ms for adding partitions (KAFKA-5477), not for offsets.
   * Profiled: the stream thread waited about 100 ms in {@code sendOffsetsToTransaction} at most
   * commits, which was the cache hit's p99 (251 ms at 1,000/s, 68 ms with 10 ms). Later retries
   * still back off exponentially, up to {@code retry.backoff.max.ms} (1 s).
   */
  static final long TRANSACTION_RETRY_BACKOFF_MS = 10;

  /**
   * {@code max.task.idle.ms}: a task processes what it has without waiting for its other input
   * partitions to catch up in time. A task reads requests and outcomes (and tenants' own request
   * topics); each record is handled when it arrives, no rule joins them by timestamp, so Streams'
   * ordering by stream time buys nothing here, and its default (0) made every check for processable
   * records build a log message of the task's partitions and fetch lags whether logged or not: 4 %
   * of the stream thread's time and 6 % of the broker's allocations at 3,000 requests/s (issue 16).
   */
  static final long MAX_TASK_IDLE_MS = -1;

  /** Kafka Streams settings derived from this config; {@code client} adds connection settings. */
  public Map<String, Object> streamsProperties(Map<String, Object> client) {
    var props = new HashMap<String, Object>(client);
    props.put("application.id", applicationId);
    props.put("processing.guarantee", processingGuarantee);
    props.put("commit.interval.ms", commitInterval.toMillis());
    props.put("statestore.cache.max.bytes", cacheMaxBytes);
    props.put("num.stream.threads", streamThreads);
    props.put("producer.linger.ms", producerLinger.toMillis());
    props.put("poll.ms", pollMillis());
    props.put("max.task.idle.ms", MAX_TASK_IDLE_MS);
    if (exactlyOnce() && !client.containsKey("retry.backoff.ms")) {
      props.putIfAbsent("producer.retry.backoff.ms", TRANSACTION_RETRY_BACKOFF_MS);
    }
    props.put("producer.max.request.size", CARRIER_MAX_MESSAGE_BYTES);
    props.put("topic.max.message.bytes", Integer.toString(CARRIER_MAX_MESSAGE_BYTES));
    // A crashed instance's partitions move after 10 s instead of the default 45 s.
    props.put("consumer.session.timeout.ms", 10_000);
    props.put("consumer.heartbeat.interval.ms", 2_000);
    // Tenants' own request topics are read by pattern; the main consumer sees a new one at its
    // next metadata refresh, so a tenant granted while the broker runs is served within seconds.
    props.put("main.consumer.metadata.max.age.ms", (int) tenancy.ingressDiscovery().toMillis());
    // Bad bytes on any input go to the DLQ with their cause; the application keeps running.
    props.put(
        "deserialization.exception.handler",
        GlobalSafeDeserializationExceptionHandler.class.getName());
    props.put(
        "processing.exception.handler", LogAndContinueProcessingExceptionHandler.class.getName());
    props.put("processing.exception.handler.global.enabled", true);
    // Kafka Streams 4.3 also builds a StreamsConfig from the main consumer's settings (for its
    // partition assignor), which warns that the setting above is off unless the consumer has it.
    props.put("main.consumer.processing.exception.handler.global.enabled", true);
    props.put("errors.dead.letter.queue.topic.name", topics.dlq());
    props.put("rocksdb.config.setter", BoundedMemoryRocksDbConfig.class.getName());
    props.put(ROCKSDB_MEMORY_CONFIG, rocksDbMemoryBytes);
    return props;
  }
}
