package io.aibroker.workers;

import io.aibroker.topics.Topics;
import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * Settings of one worker process. Build one with {@link #builder}; every knob not set there takes
 * the default documented on its accessor.
 *
 * @param topics topic names
 * @param groupId share group the workers of one deployment join
 * @param workerId this worker's id, reported on outcomes and health records
 * @param providers providers this worker calls: it consumes their dispatch topics
 * @param maxPollRecords most dispatch records one consumer takes per poll (default 500)
 * @param callTimeout the longest a single provider call may take (default 120 s)
 * @param consumers share consumers this worker runs per provider, each on its own poll thread
 *     (default 8); a consumer takes new records only once every record of its last poll is
 *     acknowledged, so records in flight per provider are at most {@code consumers *
 *     maxPollRecords}, and a provider whose calls stall holds only its own consumers
 * @param maxInFlightPerDeployment provider calls in flight per route deployment (default 256)
 * @param deliveryLimit the delivery on which a record gets a {@code DELIVERY_LIMIT} outcome and a
 *     DLQ copy instead of another call (default 5, the broker's {@code
 *     group.share.delivery.count.limit}; must not exceed it, or the broker archives the record
 *     before the worker can report it)
 * @param drainTimeout how long {@link Worker#close()} lets calls in flight finish before it
 *     releases their records (default 10 s)
 * @param renewInterval how often the acquisition locks of records still in flight are renewed; the
 *     worker uses half the lock duration the broker reports if that is shorter (default 15 s, half
 *     the default 30 s lock)
 * @param healthInterval how often every known deployment's health is published, besides on each
 *     circuit state change (default 10 s)
 * @param retry retry policy settings
 * @param breaker circuit breaker settings
 * @param includeContent log each call's prompt and output at DEBUG on the logger {@value
 *     #CONTENT_LOGGER}, for troubleshooting (default false: content is never logged)
 * @param followOutcomes read the outcomes every worker writes, so that a record delivered again
 *     after another worker wrote its outcome is accepted without a second provider call (default
 *     true; costs each worker a read of the outcomes topic, see {@link OutcomeFollower})
 * @param batchPollInterval how often each open provider batch job is asked how it is doing (default
 *     30 s; providers finish jobs in minutes to hours)
 * @param batchJobsSessionTimeout the session timeout of the batch-jobs consumer group: how long the
 *     open jobs of a worker that died stay with it before another takes them over (default 45 s,
 *     Kafka's)
 */
public record WorkerConfig(
    Topics topics,
    String groupId,
    String workerId,
    List<String> providers,
    int maxPollRecords,
    Duration callTimeout,
    int consumers,
    int maxInFlightPerDeployment,
    int deliveryLimit,
    Duration drainTimeout,
    Duration renewInterval,
    Duration healthInterval,
    RetrySettings retry,
    BreakerSettings breaker,
    boolean includeContent,
    boolean followOutcomes,
    Duration batchPollInterval,
    Duration batchJobsSessionTimeout) {

  /** The logger of prompts and outputs when {@link #includeContent()} is on. */
  public static final String CONTENT_LOGGER = "io.aibroker.content.worker";

  /** Default {@link #maxPollRecords()}. */
  public static final int DEFAULT_MAX_POLL_RECORDS = 500;

  /** Default {@link #callTimeout()}. */
  public static final Duration DEFAULT_CALL_TIMEOUT = Duration.ofMinutes(2);

  /**
   * Default {@link #consumers()}: one per core. Each new record wakes the waiting fetches of every
   * consumer of the share group, and each consumer acknowledges what it got, so consumers beyond
   * the cores fetch and acknowledge fewer records at a time for the same work: on 2 cores, 2
   * consumers instead of 8 took CPU per request from 1.17 to 0.97 ms (app + Kafka, exactly-once at
   * 1,000 requests/s; docs/PERFORMANCE.md).
   */
  public static final int DEFAULT_CONSUMERS = Runtime.getRuntime().availableProcessors();

  /** Default {@link #maxInFlightPerDeployment()}. */
  public static final int DEFAULT_MAX_IN_FLIGHT_PER_DEPLOYMENT = 256;

  /** Default {@link #deliveryLimit()}. */
  public static final int DEFAULT_DELIVERY_LIMIT = 5;

  /** Default {@link #drainTimeout()}. */
  public static final Duration DEFAULT_DRAIN_TIMEOUT = Duration.ofSeconds(10);

  /** Default {@link #renewInterval()}. */
  public static final Duration DEFAULT_RENEW_INTERVAL = Duration.ofSeconds(15);

  /** Default {@link #healthInterval()}. */
  public static final Duration DEFAULT_HEALTH_INTERVAL = Duration.ofSeconds(10);

  /** Default {@link #batchPollInterval()}. */
  public static final Duration DEFAULT_BATCH_POLL_INTERVAL = Duration.ofSeconds(30);

  /** Default {@link #batchJobsSessionTimeout()}: Kafka's {@code session.timeout.ms}. */
  public static final Duration DEFAULT_BATCH_JOBS_SESSION_TIMEOUT = Duration.ofSeconds(45);

  /** Validates the settings. */
  public WorkerConfig {
    Objects.requireNonNull(topics, "topics");
    requireText(groupId, "groupId");
    requireText(workerId, "workerId");
    if (providers == null || providers.isEmpty()) {
      throw new IllegalArgumentException("a worker needs at least one provider");
    }
    providers = List.copyOf(providers);
    if (providers.stream().distinct().count() != providers.size()) {
      throw new IllegalArgumentException("providers must not repeat: " + providers);
    }
    atLeast(maxPollRecords, 1, "maxPollRecords");
    positive(callTimeout, "callTimeout");
    atLeast(consumers, 1, "consumers");
    atLeast(maxInFlightPerDeployment, 1, "maxInFlightPerDeployment");
    // A first delivery must always get a call; the limit counts deliveries, so 2 is the least.
    atLeast(deliveryLimit, 2, "deliveryLimit");
    positive(drainTimeout, "drainTimeout");
    positive(renewInterval, "renewInterval");
    positive(healthInterval, "healthInterval");
    Objects.requireNonNull(retry, "retry");
    Objects.requireNonNull(breaker, "breaker");
    positive(batchPollInterval, "batchPollInterval");
    positive(batchJobsSessionTimeout, "batchJobsSessionTimeout");
  }

  /** Settings with the given identity and every other knob at its default. */
  public WorkerConfig(
      Topics topics,
      String groupId,
      String workerId,
      List<String> providers,
      int maxPollRecords,
      Duration callTimeout) {
    this(
        topics,
        groupId,
        workerId,
        providers,
        maxPollRecords,
        callTimeout,
        DEFAULT_CONSUMERS,
        DEFAULT_MAX_IN_FLIGHT_PER_DEPLOYMENT,
        DEFAULT_DELIVERY_LIMIT,
        DEFAULT_DRAIN_TIMEOUT,
        DEFAULT_RENEW_INTERVAL,
        DEFAULT_HEALTH_INTERVAL,
        RetrySettings.defaults(),
        BreakerSettings.defaults(),
        false,
        true,
        DEFAULT_BATCH_POLL_INTERVAL,
        DEFAULT_BATCH_JOBS_SESSION_TIMEOUT);
  }

  /** A builder for a worker of {@code providers}, with every knob at its default. */
  public static Builder builder(
      Topics topics, String groupId, String workerId, List<String> providers) {
    return new Builder(topics, groupId, workerId, providers);
  }

  /** A builder starting from these settings. */
  public Builder toBuilder() {
    return new Builder(topics, groupId, workerId, providers)
        .maxPollRecords(maxPollRecords)
        .callTimeout(callTimeout)
        .consumers(consumers)
        .maxInFlightPerDeployment(maxInFlightPerDeployment)
        .deliveryLimit(deliveryLimit)
        .drainTimeout(drainTimeout)
        .renewInterval(renewInterval)
        .healthInterval(healthInterval)
        .retry(retry)
        .breaker(breaker)
        .includeContent(includeContent)
        .followOutcomes(followOutcomes)
        .batchPollInterval(batchPollInterval)
        .batchJobsSessionTimeout(batchJobsSessionTimeout);
  }

  /** The dispatch topics of INTERACTIVE work this worker consumes. */
  public List<String> dispatchTopics() {
    return providers.stream().map(topics::dispatch).toList();
  }

  /** The dispatch topics of BATCH work this worker consumes, with consumers of their own. */
  public List<String> batchDispatchTopics() {
    return providers.stream().map(topics::dispatchBatch).toList();
  }

  /** Consumers for BATCH work: a quarter of {@link #consumers()}, at least one. */
  public int batchConsumers() {
    return Math.max(1, consumers / 4);
  }

  /**
   * How the worker retries a failed call.
   *
   * @param maxAttempts provider calls per dispatch at most, the first included (default 4)
   * @param backoffBase first backoff bound of exponential backoff with full jitter (default 200 ms)
   * @param backoffCap largest backoff bound (default 10 s); a Retry-After longer than this is not
   *     waited for in the worker: the outcome reports it and the broker fails over instead
   */
  public record RetrySettings(int maxAttempts, Duration backoffBase, Duration backoffCap) {

    /** Validates the settings. */
    public RetrySettings {
      atLeast(maxAttempts, 1, "retry.maxAttempts");
      positive(backoffBase, "retry.backoffBase");
      positive(backoffCap, "retry.backoffCap");
      if (backoffCap.compareTo(backoffBase) < 0) {
        throw new IllegalArgumentException(
            "retry.backoffCap (" + backoffCap + ") must be >= retry.backoffBase (" + backoffBase);
      }
    }

    /** 4 attempts, backoff from 200 ms up to 10 s. */
    public static RetrySettings defaults() {
      return new RetrySettings(4, Duration.ofMillis(200), Duration.ofSeconds(10));
    }
  }

  /**
   * The circuit breaker of each deployment: a count-based window of the latest calls; only
   * retryable failures (throttling, 5xx, timeouts) count as failures.
   *
   * @param failureRateThreshold percentage of failed calls in the window that opens the circuit
   *     (default 50)
   * @param slidingWindowSize calls in the window (default 20)
   * @param minimumNumberOfCalls calls needed before the rate is judged (default 10)
   * @param waitInOpenState how long the circuit stays open before letting probe calls through
   *     (default 30 s)
   * @param permittedCallsInHalfOpenState probe calls in the half-open state (default 5)
   */
  public record BreakerSettings(
      float failureRateThreshold,
      int slidingWindowSize,
      int minimumNumberOfCalls,
      Duration waitInOpenState,
      int permittedCallsInHalfOpenState) {

    /** Validates the settings. */
    public BreakerSettings {
      if (!(failureRateThreshold > 0 && failureRateThreshold <= 100)) {
        throw new IllegalArgumentException(
            "breaker.failureRateThreshold must be in (0, 100], was " + failureRateThreshold);
      }
      atLeast(slidingWindowSize, 1, "breaker.slidingWindowSize");
      atLeast(minimumNumberOfCalls, 1, "breaker.minimumNumberOfCalls");
      positive(waitInOpenState, "breaker.waitInOpenState");
      atLeast(permittedCallsInHalfOpenState, 1, "breaker.permittedCallsInHalfOpenState");
    }

    /** 50% of the last 20 calls (once there were 10), open for 30 s, 5 probes. */
    public static BreakerSettings defaults() {
      return new BreakerSettings(50, 20, 10, Duration.ofSeconds(30), 5);
    }
  }

  /** Builds a {@link WorkerConfig}; unset knobs keep their defaults. */
  public static final class Builder {
    private final Topics topics;
    private final String groupId;
    private final String workerId;
    private final List<String> providers;
    private int maxPollRecords = DEFAULT_MAX_POLL_RECORDS;
    private Duration callTimeout = DEFAULT_CALL_TIMEOUT;
    private int consumers = DEFAULT_CONSUMERS;
    private int maxInFlightPerDeployment = DEFAULT_MAX_IN_FLIGHT_PER_DEPLOYMENT;
    private int deliveryLimit = DEFAULT_DELIVERY_LIMIT;
    private Duration drainTimeout = DEFAULT_DRAIN_TIMEOUT;
    private Duration renewInterval = DEFAULT_RENEW_INTERVAL;
    private Duration healthInterval = DEFAULT_HEALTH_INTERVAL;
    private RetrySettings retry = RetrySettings.defaults();
    private BreakerSettings breaker = BreakerSettings.defaults();
    private boolean includeContent;
    private boolean followOutcomes = true;
    private Duration batchPollInterval = DEFAULT_BATCH_POLL_INTERVAL;
    private Duration batchJobsSessionTimeout = DEFAULT_BATCH_JOBS_SESSION_TIMEOUT;

    private Builder(Topics topics, String groupId, String workerId, List<String> providers) {
      this.topics = topics;
      this.groupId = groupId;
      this.workerId = workerId;
      this.providers = providers;
    }

    /** See {@link WorkerConfig#maxPollRecords()}. */
    public Builder maxPollRecords(int maxPollRecords) {
      this.maxPollRecords = maxPollRecords;
      return this;
    }

    /** See {@link WorkerConfig#callTimeout()}. */
    public Builder callTimeout(Duration callTimeout) {
      this.callTimeout = callTimeout;
      return this;
    }

    /** See {@link WorkerConfig#consumers()}. */
    public Builder consumers(int consumers) {
      this.consumers = consumers;
      return this;
    }

    /** See {@link WorkerConfig#maxInFlightPerDeployment()}. */
    public Builder maxInFlightPerDeployment(int maxInFlightPerDeployment) {
      this.maxInFlightPerDeployment = maxInFlightPerDeployment;
      return this;
    }

    /** See {@link WorkerConfig#deliveryLimit()}. */
    public Builder deliveryLimit(int deliveryLimit) {
      this.deliveryLimit = deliveryLimit;
      return this;
    }

    /** See {@link WorkerConfig#drainTimeout()}. */
    public Builder drainTimeout(Duration drainTimeout) {
      this.drainTimeout = drainTimeout;
      return this;
    }

    /** See {@link WorkerConfig#renewInterval()}. */
    public Builder renewInterval(Duration renewInterval) {
      this.renewInterval = renewInterval;
      return this;
    }

    /** See {@link WorkerConfig#healthInterval()}. */
    public Builder healthInterval(Duration healthInterval) {
      this.healthInterval = healthInterval;
      return this;
    }

    /** See {@link WorkerConfig#retry()}. */
    public Builder retry(RetrySettings retry) {
      this.retry = retry;
      return this;
    }

    /** See {@link WorkerConfig#breaker()}. */
    public Builder breaker(BreakerSettings breaker) {
      this.breaker = breaker;
      return this;
    }

    /** See {@link WorkerConfig#includeContent()}. */
    public Builder includeContent(boolean includeContent) {
      this.includeContent = includeContent;
      return this;
    }

    /** See {@link WorkerConfig#followOutcomes()}. */
    public Builder followOutcomes(boolean followOutcomes) {
      this.followOutcomes = followOutcomes;
      return this;
    }

    /** See {@link WorkerConfig#batchPollInterval()}. */
    public Builder batchPollInterval(Duration batchPollInterval) {
      this.batchPollInterval = batchPollInterval;
      return this;
    }

    /** See {@link WorkerConfig#batchJobsSessionTimeout()}. */
    public Builder batchJobsSessionTimeout(Duration batchJobsSessionTimeout) {
      this.batchJobsSessionTimeout = batchJobsSessionTimeout;
      return this;
    }

    /** The validated settings. */
    public WorkerConfig build() {
      return new WorkerConfig(
          topics,
          groupId,
          workerId,
          providers,
          maxPollRecords,
          callTimeout,
          consumers,
          maxInFlightPerDeployment,
          deliveryLimit,
          drainTimeout,
          renewInterval,
          healthInterval,
          retry,
          breaker,
          includeContent,
          followOutcomes,
          batchPollInterval,
          batchJobsSessionTimeout);
    }
  }

  private static void requireText(String value, String name) {
    if (value == null || value.isBlank()) {
      throw new IllegalArgumentException(name + " must not be blank");
    }
  }

  private static void atLeast(int value, int least, String name) {
    if (value < least) {
      throw new IllegalArgumentException(name + " must be >= " + least + ", was " + value);
    }
  }

  private static void positive(Duration value, String name) {
    if (value == null || value.isNegative() || value.isZero()) {
      throw new IllegalArgumentException(name + " must be positive, was " + value);
    }
  }
}
