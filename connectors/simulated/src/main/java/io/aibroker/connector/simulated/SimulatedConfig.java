package io.aibroker.connector.simulated;

import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * Configuration of the simulated connector. {@code null} durations (and a {@code maxOutputTokens}
 * of 0) take the defaults, so a YAML section only names what it changes:
 *
 * <pre>{@code
 * simulated:
 *   latency: 200ms
 *   jitter: 50ms
 *   failureRate: 0.02
 *   throttleEvery: 30s
 *   throttleFor: 2s
 * }</pre>
 *
 * @param latency base time to answer; default 20ms
 * @param jitter up to this much is added to the latency, uniformly; default 0
 * @param failureRate share of calls failing with a 503, in [0, 1]; default 0
 * @param throttleEvery length of the throttling period; 0 (default) never throttles
 * @param throttleFor how long at the start of each period every call gets a 429; default 0, at most
 *     {@code throttleEvery}
 * @param retryAfter retry hint on 429s; default 1s
 * @param seed varies latencies and failures between otherwise equal setups
 * @param maxOutputTokens cap on reply tokens, whatever the call asks; 0 means the default 256
 * @param failingDeployments deployments that answer every call with a 503 (a simulated outage, for
 *     failover and circuit breaker tests); default none
 * @param faults scripted fault windows (429 storms, 5xx bursts, hangs, cut streams), timed from the
 *     connector's creation on its clock; default none. See {@link SimulatedFault}
 * @param callLog a file to which every call is appended as it starts and as it ends (see {@link
 *     CallLog}), so a test can count provider calls across worker crashes; {@code null} or empty
 *     (default): none
 * @param reasoningRatio share of each chat reply's output tokens reported as reasoning tokens
 *     (rounded down), in [0, 1]; default 0, like a model that does not reason
 * @param batchLatency how long a batch job takes to complete ({@code batch-latency} in YAML), on
 *     the connector's clock; default 2s. Longer than {@code batchWindow}: jobs expire unanswered
 * @param batchWindow the completion window batch jobs promise ({@code batch-window}); default 24h
 */
public record SimulatedConfig(
    Duration latency,
    Duration jitter,
    double failureRate,
    Duration throttleEvery,
    Duration throttleFor,
    Duration retryAfter,
    long seed,
    int maxOutputTokens,
    List<String> failingDeployments,
    List<SimulatedFault> faults,
    String callLog,
    double reasoningRatio,
    Duration batchLatency,
    Duration batchWindow) {

  /** Base latency when none is configured. */
  public static final Duration DEFAULT_LATENCY = Duration.ofMillis(20);

  /** Retry hint on 429s when none is configured. */
  public static final Duration DEFAULT_RETRY_AFTER = Duration.ofSeconds(1);

  /** Batch job latency when none is configured. */
  public static final Duration DEFAULT_BATCH_LATENCY = Duration.ofSeconds(2);

  /** Batch completion window when none is configured. */
  public static final Duration DEFAULT_BATCH_WINDOW = Duration.ofHours(24);

  /** Reply token cap when none is configured. */
  public static final int DEFAULT_MAX_OUTPUT_TOKENS = 256;

  /** Fills in defaults and validates. */
  public SimulatedConfig {
    latency = nonNegative("latency", Objects.requireNonNullElse(latency, DEFAULT_LATENCY));
    jitter = nonNegative("jitter", Objects.requireNonNullElse(jitter, Duration.ZERO));
    if (!(failureRate >= 0 && failureRate <= 1)) {
      throw new IllegalArgumentException("failureRate must be between 0 and 1, was " + failureRate);
    }
    throttleEvery =
        nonNegative("throttleEvery", Objects.requireNonNullElse(throttleEvery, Duration.ZERO));
    throttleFor =
        nonNegative("throttleFor", Objects.requireNonNullElse(throttleFor, Duration.ZERO));
    if (!throttleEvery.isZero() && throttleEvery.toMillis() < 1) {
      throw new IllegalArgumentException(
          "throttleEvery must be 0 or at least 1ms, was " + throttleEvery);
    }
    if (throttleFor.compareTo(throttleEvery) > 0) {
      throw new IllegalArgumentException(
          "throttleFor ("
              + throttleFor
              + ") must not exceed throttleEvery ("
              + throttleEvery
              + ")"
              + (throttleEvery.isZero() ? "; set throttleEvery to enable throttling" : ""));
    }
    retryAfter =
        nonNegative("retryAfter", Objects.requireNonNullElse(retryAfter, DEFAULT_RETRY_AFTER));
    if (maxOutputTokens < 0) {
      throw new IllegalArgumentException(
          "maxOutputTokens must be positive, was " + maxOutputTokens);
    }
    maxOutputTokens = maxOutputTokens == 0 ? DEFAULT_MAX_OUTPUT_TOKENS : maxOutputTokens;
    failingDeployments = List.copyOf(Objects.requireNonNullElse(failingDeployments, List.of()));
    faults = List.copyOf(Objects.requireNonNullElse(faults, List.of()));
    callLog = callLog == null || callLog.isBlank() ? null : callLog;
    if (!(reasoningRatio >= 0 && reasoningRatio <= 1)) {
      throw new IllegalArgumentException(
          "reasoningRatio must be between 0 and 1, was " + reasoningRatio);
    }
    batchLatency =
        nonNegative(
            "batchLatency", Objects.requireNonNullElse(batchLatency, DEFAULT_BATCH_LATENCY));
    batchWindow = Objects.requireNonNullElse(batchWindow, DEFAULT_BATCH_WINDOW);
    if (batchWindow.isNegative() || batchWindow.isZero()) {
      throw new IllegalArgumentException("batchWindow must be positive, was " + batchWindow);
    }
  }

  /** 20ms latency, no jitter, no failures, no throttling. */
  public static SimulatedConfig defaults() {
    return builder().build();
  }

  /** A builder starting from the {@link #defaults()}. */
  public static Builder builder() {
    return new Builder();
  }

  /** A builder starting from this configuration, to make a changed copy. */
  public Builder toBuilder() {
    return new Builder()
        .latency(latency)
        .jitter(jitter)
        .failureRate(failureRate)
        .throttleEvery(throttleEvery)
        .throttleFor(throttleFor)
        .retryAfter(retryAfter)
        .seed(seed)
        .maxOutputTokens(maxOutputTokens)
        .failingDeployments(failingDeployments)
        .faults(faults)
        .callLog(callLog)
        .reasoningRatio(reasoningRatio)
        .batchLatency(batchLatency)
        .batchWindow(batchWindow);
  }

  /**
   * Builds a {@link SimulatedConfig}; what is not set takes the default. {@link #build()}
   * validates.
   */
  public static final class Builder {
    private Duration latency;
    private Duration jitter;
    private double failureRate;
    private Duration throttleEvery;
    private Duration throttleFor;
    private Duration retryAfter;
    private long seed;
    private int maxOutputTokens;
    private List<String> failingDeployments = List.of();
    private List<SimulatedFault> faults = List.of();
    private String callLog;
    private double reasoningRatio;
    private Duration batchLatency;
    private Duration batchWindow;

    private Builder() {}

    /** Base time to answer. */
    public Builder latency(Duration latency) {
      this.latency = latency;
      return this;
    }

    /** Up to this much is added to the latency, uniformly. */
    public Builder jitter(Duration jitter) {
      this.jitter = jitter;
      return this;
    }

    /** Share of calls failing with a 503, in [0, 1]. */
    public Builder failureRate(double failureRate) {
      this.failureRate = failureRate;
      return this;
    }

    /** Length of the throttling period; 0 never throttles. */
    public Builder throttleEvery(Duration throttleEvery) {
      this.throttleEvery = throttleEvery;
      return this;
    }

    /** How long at the start of each period every call gets a 429. */
    public Builder throttleFor(Duration throttleFor) {
      this.throttleFor = throttleFor;
      return this;
    }

    /** Retry hint on 429s. */
    public Builder retryAfter(Duration retryAfter) {
      this.retryAfter = retryAfter;
      return this;
    }

    /** Varies latencies and failures between otherwise equal setups. */
    public Builder seed(long seed) {
      this.seed = seed;
      return this;
    }

    /** Cap on reply tokens; 0 means the default 256. */
    public Builder maxOutputTokens(int maxOutputTokens) {
      this.maxOutputTokens = maxOutputTokens;
      return this;
    }

    /** Deployments that answer every call with a 503. */
    public Builder failingDeployments(List<String> failingDeployments) {
      this.failingDeployments = failingDeployments;
      return this;
    }

    /** Scripted fault windows (replacing any set before). */
    public Builder faults(List<SimulatedFault> faults) {
      this.faults = faults;
      return this;
    }

    /** A file every call is appended to; {@code null}: none. */
    public Builder callLog(String callLog) {
      this.callLog = callLog;
      return this;
    }

    /** Share of output tokens reported as reasoning, in [0, 1]. */
    public Builder reasoningRatio(double reasoningRatio) {
      this.reasoningRatio = reasoningRatio;
      return this;
    }

    /** How long a batch job takes to complete. */
    public Builder batchLatency(Duration batchLatency) {
      this.batchLatency = batchLatency;
      return this;
    }

    /** The completion window batch jobs promise. */
    public Builder batchWindow(Duration batchWindow) {
      this.batchWindow = batchWindow;
      return this;
    }

    /**
     * The configuration.
     *
     * @throws IllegalArgumentException if a value is out of range
     */
    public SimulatedConfig build() {
      return new SimulatedConfig(
          latency,
          jitter,
          failureRate,
          throttleEvery,
          throttleFor,
          retryAfter,
          seed,
          maxOutputTokens,
          failingDeployments,
          faults,
          callLog,
          reasoningRatio,
          batchLatency,
          batchWindow);
    }
  }

  /** Whether throttle windows are configured. */
  boolean throttles() {
    return !throttleFor.isZero();
  }

  private static Duration nonNegative(String name, Duration value) {
    if (value.isNegative()) {
      throw new IllegalArgumentException(name + " must not be negative, was " + value);
    }
    return value;
  }
}
