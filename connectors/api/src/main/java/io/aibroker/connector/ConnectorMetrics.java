package io.aibroker.connector;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.Locale;

/**
 * Every connector metric name, tag key and tag value, and the code recording them. Dashboards and
 * alerts refer to these names; change them here only.
 */
public final class ConnectorMetrics {

  /** Timer: one sample per provider call, successful or not. */
  public static final String CALL = "aibroker.connector.call";

  /** Counter: tokens billed, by direction. */
  public static final String TOKENS = "aibroker.connector.tokens";

  /** Timer: time from the start of a streaming call to its first delta. */
  public static final String FIRST_DELTA = "aibroker.connector.first.delta";

  /** Tag key: {@link Connector#provider()}. */
  public static final String TAG_PROVIDER = "provider";

  /** Tag key: {@link ProviderCall#deployment()}, or the model if there is no deployment. */
  public static final String TAG_DEPLOYMENT = "deployment";

  /** Tag key: {@link ProviderCall#providerModel()}. */
  public static final String TAG_MODEL = "model";

  /** Tag key: {@link ProviderCall#task()} in lower case. */
  public static final String TAG_TASK = "task";

  /** Tag key: {@link #OUTCOME_SUCCESS}, {@link #OUTCOME_RETRYABLE}, ... */
  public static final String TAG_OUTCOME = "outcome";

  /** Tag key: {@link ProviderException#errorType()}, or {@link #ERROR_NONE}. */
  public static final String TAG_ERROR = "error";

  /** Tag key: {@link #DIRECTION_INPUT} or {@link #DIRECTION_OUTPUT}. */
  public static final String TAG_DIRECTION = "direction";

  /** Outcome: the provider answered. */
  public static final String OUTCOME_SUCCESS = "success";

  /** Outcome: failed with a {@link ErrorClass#RETRYABLE} error. */
  public static final String OUTCOME_RETRYABLE = "retryable";

  /** Outcome: failed with a {@link ErrorClass#TERMINAL} error. */
  public static final String OUTCOME_TERMINAL = "terminal";

  /** Outcome: the caller cancelled the call. */
  public static final String OUTCOME_CANCELLED = "cancelled";

  /** Error tag of calls that did not fail. */
  public static final String ERROR_NONE = "none";

  /** Error tag of cancelled calls. */
  public static final String ERROR_CANCELLED = "cancelled";

  /** Direction: prompt tokens. */
  public static final String DIRECTION_INPUT = "input";

  /** Direction: completion tokens. */
  public static final String DIRECTION_OUTPUT = "output";

  private final MeterRegistry registry;
  private final String provider;
  private final Counter inputTokens;
  private final Counter outputTokens;

  ConnectorMetrics(MeterRegistry registry, String provider) {
    this.registry = registry;
    this.provider = provider;
    this.inputTokens = tokenCounter(DIRECTION_INPUT);
    this.outputTokens = tokenCounter(DIRECTION_OUTPUT);
  }

  /** Monotonic nanoseconds from the registry's clock, so tests can use a mock clock. */
  long monotonicTime() {
    return registry.config().clock().monotonicTime();
  }

  void recordSuccess(ProviderCall call, Duration elapsed, TokenUsage usage) {
    callTimer(call, OUTCOME_SUCCESS, ERROR_NONE).record(elapsed);
    inputTokens.increment(usage.inputTokens());
    outputTokens.increment(usage.outputTokens());
  }

  void recordFailure(ProviderCall call, Duration elapsed, ProviderException failure) {
    String outcome =
        failure.errorClass() == ErrorClass.RETRYABLE ? OUTCOME_RETRYABLE : OUTCOME_TERMINAL;
    callTimer(call, outcome, failure.errorType()).record(elapsed);
  }

  void recordCancelled(ProviderCall call, Duration elapsed) {
    callTimer(call, OUTCOME_CANCELLED, ERROR_CANCELLED).record(elapsed);
  }

  void recordFirstDelta(ProviderCall call, Duration elapsed) {
    Timer.builder(FIRST_DELTA)
        .description("Time from the start of a streaming provider call to its first text delta")
        .tags(callTags(call))
        .register(registry)
        .record(elapsed);
  }

  private Timer callTimer(ProviderCall call, String outcome, String error) {
    return Timer.builder(CALL)
        .description("Provider calls, by outcome")
        .tags(callTags(call).and(TAG_OUTCOME, outcome, TAG_ERROR, error))
        .register(registry);
  }

  private Tags callTags(ProviderCall call) {
    return Tags.of(
        TAG_PROVIDER,
        provider,
        TAG_DEPLOYMENT,
        call.deployment() != null ? call.deployment() : call.providerModel(),
        TAG_MODEL,
        call.providerModel(),
        TAG_TASK,
        call.task().name().toLowerCase(Locale.ROOT));
  }

  private Counter tokenCounter(String direction) {
    return Counter.builder(TOKENS)
        .description("Tokens billed by providers")
        .baseUnit("tokens")
        .tags(TAG_PROVIDER, provider, TAG_DIRECTION, direction)
        .register(registry);
  }
}
