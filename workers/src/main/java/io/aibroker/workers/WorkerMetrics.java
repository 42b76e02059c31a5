package io.aibroker.workers;

import io.aibroker.connector.ConnectorMetrics;
import io.aibroker.connector.ErrorClass;
import io.aibroker.connector.ProviderCall;
import io.aibroker.connector.ProviderException;
import io.aibroker.connector.Task;
import io.aibroker.connector.TokenUsage;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Every worker metric name, tag key and tag value, and the code recording them. Dashboards and
 * alerts refer to these names; change them here only.
 *
 * <p>Provider calls are recorded here, once per call, when the worker knows how the call ended (see
 * {@link ProviderCaller}); connectors record nothing. One measurement goes to the meters of the
 * OpenTelemetry GenAI client conventions (semantic-conventions-genai, "Generative AI client
 * metrics": {@link #OPERATION_DURATION}, {@link #TIME_TO_FIRST_CHUNK}) and to those named in {@link
 * ConnectorMetrics} ({@link ConnectorMetrics#CALL}, {@link ConnectorMetrics#TOKENS}), which the
 * Grafana dashboard reads. The rest are aibroker's own.
 */
public final class WorkerMetrics {

  /**
   * Timer: duration of each provider call (every attempt), by {@link #TAG_ERROR_TYPE}; the same
   * samples as {@link ConnectorMetrics#CALL}, with the GenAI tags and a percentile histogram.
   */
  public static final String OPERATION_DURATION = "gen_ai.client.operation.duration";

  /**
   * Timer: time from the start of a streaming call to its first text delta. OpenTelemetry's name
   * for the client side of "time to first token": {@code gen_ai.server.time_to_first_token} is the
   * server-side metric, so clients report the first chunk they receive.
   */
  public static final String TIME_TO_FIRST_CHUNK = "gen_ai.client.operation.time_to_first_chunk";

  /** Gauge: provider calls in flight, by provider and deployment. */
  public static final String CALLS_IN_FLIGHT = "aibroker.worker.calls.in_flight";

  /** Counter: calls made again after a retryable failure, by provider, deployment and error. */
  public static final String RETRIES = "aibroker.worker.retries";

  /** Counter: calls the provider throttled (HTTP 429 and the like), by provider and deployment. */
  public static final String THROTTLES = "aibroker.worker.throttles";

  /**
   * Gauge: each deployment's circuit: {@link #CIRCUIT_CLOSED}, {@link #CIRCUIT_HALF_OPEN} or {@link
   * #CIRCUIT_OPEN}, so that higher is worse.
   */
  public static final String CIRCUIT_STATE = "aibroker.worker.circuit.state";

  /**
   * Counter: circuit state changes of each deployment, by {@link #TAG_FROM} and {@link #TAG_TO}
   * state ({@code closed}, {@code open}, {@code half_open}, ...).
   */
  public static final String CIRCUIT_TRANSITIONS = "aibroker.worker.circuit.transitions";

  /** Counter: outcomes written, by provider and {@link #TAG_RESULT}. */
  public static final String OUTCOMES = "aibroker.worker.outcomes";

  /** Counter: records copied to the DLQ, by {@link #TAG_CAUSE}. */
  public static final String DEAD_LETTERS = "aibroker.worker.dead_letters";

  /** Counter: acquisition locks renewed for records still in flight. */
  public static final String LOCK_RENEWALS = "aibroker.worker.lock.renewals";

  /** Counter: deliveries of records already in flight here, which start no second call. */
  public static final String REDELIVERIES_IN_FLIGHT = "aibroker.worker.redeliveries.in_flight";

  /**
   * Counter: deliveries of dispatches whose outcome was already written (by this or another
   * worker), accepted without a provider call.
   */
  public static final String REDELIVERIES_ANSWERED = "aibroker.worker.redeliveries.answered";

  /** Gauge: dispatches with a written outcome this worker remembers ({@link OutcomeFollower}). */
  public static final String OUTCOMES_REMEMBERED = "aibroker.worker.outcomes.remembered";

  /** Gauge: dispatch records this worker holds (acquired, not yet acknowledged). */
  public static final String RECORDS_HELD = "aibroker.worker.records.held";

  /**
   * Counter: provider batch jobs by provider and {@link #TAG_EVENT}: {@code submitted}, or how they
   * ended ({@code completed}, {@code failed}, {@code expired}, {@code cancelled}).
   */
  public static final String BATCH_JOBS = "aibroker.worker.batch.jobs";

  /** Distribution: lines per submitted provider batch job, by provider. */
  public static final String BATCH_JOB_LINES = "aibroker.worker.batch.job.lines";

  /** Gauge: seconds since the oldest open batch job this worker drives was pooled. */
  public static final String BATCH_OLDEST_OPEN_JOB_AGE =
      "aibroker.worker.batch.oldest_open_job.age";

  /** Gauge: open batch jobs this worker drives. */
  public static final String BATCH_OPEN_JOBS = "aibroker.worker.batch.open_jobs";

  /** Gauge: batch dispatches waiting in this worker's pools for a job. */
  public static final String BATCH_POOLED = "aibroker.worker.batch.pooled";

  /** Tag key: what happened to a batch job. */
  public static final String TAG_EVENT = "event";

  /** Batch job event: the provider accepted it. */
  public static final String EVENT_SUBMITTED = "submitted";

  /** Tag key (GenAI): the provider, {@code simulated}, {@code bedrock}, ... */
  public static final String TAG_GEN_AI_PROVIDER = "gen_ai.provider.name";

  /** Tag key (GenAI): the provider's model id. */
  public static final String TAG_GEN_AI_MODEL = "gen_ai.request.model";

  /** Tag key (GenAI): {@link #OPERATION_CHAT} or {@link #OPERATION_EMBEDDINGS}. */
  public static final String TAG_GEN_AI_OPERATION = "gen_ai.operation.name";

  /**
   * Tag key: the failure's {@link ProviderException#errorType()}, {@link #ERROR_NONE} or {@link
   * ConnectorMetrics#ERROR_CANCELLED} (always present so every series of a meter has the same tag
   * keys).
   */
  public static final String TAG_ERROR_TYPE = "error.type";

  /** Tag key: the provider. */
  public static final String TAG_PROVIDER = "provider";

  /** Tag key: the deployment. */
  public static final String TAG_DEPLOYMENT = "deployment";

  /** Tag key: {@link #RESULT_SUCCESS}, {@link #RESULT_RETRYABLE} or {@link #RESULT_TERMINAL}. */
  public static final String TAG_RESULT = "result";

  /** Tag key: the state a circuit left. */
  public static final String TAG_FROM = "from";

  /** Tag key: the state a circuit entered. */
  public static final String TAG_TO = "to";

  /** Tag key: why a record went to the DLQ ({@link DeadLetters#CAUSE_UNREADABLE}, ...). */
  public static final String TAG_CAUSE = "cause";

  /** GenAI operation of chat calls. */
  public static final String OPERATION_CHAT = "chat";

  /** GenAI operation of embedding calls. */
  public static final String OPERATION_EMBEDDINGS = "embeddings";

  /** Error type of calls that did not fail. */
  public static final String ERROR_NONE = "none";

  /** Result: the provider answered. */
  public static final String RESULT_SUCCESS = "success";

  /** Result: a retryable failure was reported. */
  public static final String RESULT_RETRYABLE = "retryable";

  /** Result: a terminal failure was reported. */
  public static final String RESULT_TERMINAL = "terminal";

  /** Circuit gauge value: calls flow. */
  public static final int CIRCUIT_CLOSED = 0;

  /** Circuit gauge value: probe calls only. */
  public static final int CIRCUIT_HALF_OPEN = 1;

  /** Circuit gauge value: no calls. */
  public static final int CIRCUIT_OPEN = 2;

  private final MeterRegistry registry;
  private final Map<Deployment, AtomicInteger> inFlight = new ConcurrentHashMap<>();
  private final Counter renewals;
  private final Counter redeliveriesInFlight;
  private final Counter redeliveriesAnswered;
  private final AtomicInteger recordsHeld = new AtomicInteger();

  /** Metrics recorded to {@code registry}. */
  WorkerMetrics(MeterRegistry registry) {
    this.registry = Objects.requireNonNull(registry, "registry");
    this.renewals =
        Counter.builder(LOCK_RENEWALS)
            .description("Acquisition locks renewed for records whose call outlived half the lock")
            .register(registry);
    this.redeliveriesInFlight =
        Counter.builder(REDELIVERIES_IN_FLIGHT)
            .description("Deliveries of records already in flight here; no second call starts")
            .register(registry);
    this.redeliveriesAnswered =
        Counter.builder(REDELIVERIES_ANSWERED)
            .description("Deliveries of dispatches whose outcome was already written; not called")
            .register(registry);
    Gauge.builder(RECORDS_HELD, recordsHeld, AtomicInteger::get)
        .description("Dispatch records this worker holds, acquired and not yet acknowledged")
        .register(registry);
  }

  /** The registry metrics go to. */
  MeterRegistry registry() {
    return registry;
  }

  /** Records a provider call that answered: its duration and the tokens it used. */
  void callAnswered(String provider, ProviderCall call, Duration elapsed, TokenUsage usage) {
    timeCall(provider, call, elapsed, ConnectorMetrics.OUTCOME_SUCCESS, ERROR_NONE);
    if (usage != null) {
      tokens(provider, ConnectorMetrics.DIRECTION_INPUT).increment(usage.inputTokens());
      tokens(provider, ConnectorMetrics.DIRECTION_OUTPUT).increment(usage.outputTokens());
    }
  }

  /** Records a provider call that failed, with its classified failure. */
  void callFailed(String provider, ProviderCall call, Duration elapsed, ProviderException failure) {
    timeCall(
        provider,
        call,
        elapsed,
        failure.errorClass() == ErrorClass.RETRYABLE
            ? ConnectorMetrics.OUTCOME_RETRYABLE
            : ConnectorMetrics.OUTCOME_TERMINAL,
        failure.errorType());
  }

  /** Records a provider call the worker cancelled (the dispatch was given up). */
  void callCancelled(String provider, ProviderCall call, Duration elapsed) {
    timeCall(
        provider,
        call,
        elapsed,
        ConnectorMetrics.OUTCOME_CANCELLED,
        ConnectorMetrics.ERROR_CANCELLED);
  }

  /** Records the time a streaming call took to its first delta. */
  void firstChunk(String provider, ProviderCall call, Duration elapsed) {
    Timer.builder(TIME_TO_FIRST_CHUNK)
        .description("Time from the start of a streaming provider call to its first text delta")
        .tags(genAiTags(provider, call))
        .register(registry)
        .record(elapsed);
  }

  /** One call's duration, into the GenAI timer and the connector-named one. */
  private void timeCall(
      String provider, ProviderCall call, Duration elapsed, String outcome, String errorType) {
    Timer.builder(OPERATION_DURATION)
        .description("GenAI operation duration: one provider call, retries counted separately")
        .tags(genAiTags(provider, call).and(TAG_ERROR_TYPE, errorType))
        // a histogram, as the GenAI conventions define it: percentiles across workers and over
        // any window (the dashboard of a worker-only process draws them from it)
        .publishPercentileHistogram()
        .register(registry)
        .record(elapsed);
    Timer.builder(ConnectorMetrics.CALL)
        .description("Provider calls, by outcome")
        .tags(
            connectorTags(provider, call)
                .and(ConnectorMetrics.TAG_OUTCOME, outcome, ConnectorMetrics.TAG_ERROR, errorType))
        .register(registry)
        .record(elapsed);
  }

  private Counter tokens(String provider, String direction) {
    return Counter.builder(ConnectorMetrics.TOKENS)
        .description("Tokens billed by providers")
        .baseUnit("tokens")
        .tags(ConnectorMetrics.TAG_PROVIDER, provider, ConnectorMetrics.TAG_DIRECTION, direction)
        .register(registry);
  }

  /** The in-flight call counter of {@code deployment}, registered as a gauge on first use. */
  AtomicInteger inFlight(Deployment deployment) {
    return inFlight.computeIfAbsent(
        deployment,
        d -> {
          AtomicInteger counter = new AtomicInteger();
          Gauge.builder(CALLS_IN_FLIGHT, counter, AtomicInteger::get)
              .description("Provider calls in flight")
              .tags(deploymentTags(d))
              .register(registry);
          return counter;
        });
  }

  /** Calls in flight to {@code deployment} right now. */
  int callsInFlight(Deployment deployment) {
    AtomicInteger counter = inFlight.get(deployment);
    return counter == null ? 0 : counter.get();
  }

  /** Counts a call made again after {@code errorType}. */
  void retry(Deployment deployment, String errorType) {
    Counter.builder(RETRIES)
        .description("Provider calls made again after a retryable failure")
        .tags(deploymentTags(deployment).and(TAG_ERROR_TYPE, errorType))
        .register(registry)
        .increment();
  }

  /** Counts a throttled call. */
  void throttle(Deployment deployment) {
    Counter.builder(THROTTLES)
        .description("Provider calls the provider throttled")
        .tags(deploymentTags(deployment))
        .register(registry)
        .increment();
  }

  /** Registers the circuit state gauge of {@code deployment}. */
  void circuit(Deployment deployment, CircuitBreaker breaker) {
    Gauge.builder(CIRCUIT_STATE, breaker, b -> circuitValue(b.getState()))
        .description("Circuit state: 0 closed, 1 half-open, 2 open")
        .tags(deploymentTags(deployment))
        .register(registry);
  }

  /** Counts a circuit state change of {@code deployment}. */
  void circuitTransition(
      Deployment deployment, CircuitBreaker.State from, CircuitBreaker.State to) {
    Counter.builder(CIRCUIT_TRANSITIONS)
        .description("Circuit state changes per deployment")
        .tags(
            deploymentTags(deployment)
                .and(TAG_FROM, from.name().toLowerCase(Locale.ROOT))
                .and(TAG_TO, to.name().toLowerCase(Locale.ROOT)))
        .register(registry)
        .increment();
  }

  /** Counts an outcome written. */
  void outcome(String provider, String result) {
    Counter.builder(OUTCOMES)
        .description("Provider outcomes written")
        .tags(TAG_PROVIDER, provider, TAG_RESULT, result)
        .register(registry)
        .increment();
  }

  /** Counts a record copied to the DLQ. */
  void deadLetter(String cause) {
    Counter.builder(DEAD_LETTERS)
        .description("Dispatch records copied to the DLQ")
        .tags(TAG_CAUSE, cause)
        .register(registry)
        .increment();
  }

  /** Counts a batch job the provider accepted, and its lines. */
  void batchJobSubmitted(String provider, int lines) {
    batchJobEvent(provider, EVENT_SUBMITTED);
    io.micrometer.core.instrument.DistributionSummary.builder(BATCH_JOB_LINES)
        .description("Lines per submitted provider batch job")
        .tags(TAG_PROVIDER, provider)
        .register(registry)
        .record(lines);
  }

  /** Counts a batch job that ended, by how ({@code completed}, {@code failed}, ...). */
  void batchJobEnded(String provider, String end) {
    batchJobEvent(provider, end);
  }

  private void batchJobEvent(String provider, String event) {
    Counter.builder(BATCH_JOBS)
        .description("Provider batch jobs submitted and ended")
        .tags(TAG_PROVIDER, provider, TAG_EVENT, event)
        .register(registry)
        .increment();
  }

  /** Publishes the batch gauges of {@code jobs}. */
  void batchJobs(BatchJobs jobs) {
    Gauge.builder(BATCH_OLDEST_OPEN_JOB_AGE, jobs, BatchJobs::oldestOpenJobAgeSeconds)
        .description("Seconds since the oldest open batch job this worker drives was pooled")
        .baseUnit("seconds")
        .register(registry);
    Gauge.builder(BATCH_OPEN_JOBS, jobs, BatchJobs::openJobs)
        .description("Open provider batch jobs this worker drives")
        .register(registry);
    Gauge.builder(BATCH_POOLED, jobs, BatchJobs::pooled)
        .description("Batch dispatches waiting in this worker's pools for a job")
        .register(registry);
  }

  /** Counts renewed locks. */
  void renewed(int records) {
    renewals.increment(records);
  }

  /** Counts a delivery of a record that was already in flight here. */
  void redeliveryInFlight() {
    redeliveriesInFlight.increment();
  }

  void redeliveryAnswered() {
    redeliveriesAnswered.increment();
  }

  /** Publishes how many dispatches with a written outcome {@code reported} holds. */
  void outcomesRemembered(ReportedOutcomes reported) {
    Gauge.builder(OUTCOMES_REMEMBERED, reported, ReportedOutcomes::size)
        .description("Dispatches with a written outcome this worker remembers")
        .register(registry);
  }

  /** The gauge of records held, which the consumers keep up to date. */
  AtomicInteger recordsHeld() {
    return recordsHeld;
  }

  static int circuitValue(CircuitBreaker.State state) {
    return switch (state) {
      case CLOSED, DISABLED, METRICS_ONLY -> CIRCUIT_CLOSED;
      case HALF_OPEN -> CIRCUIT_HALF_OPEN;
      case OPEN, FORCED_OPEN -> CIRCUIT_OPEN;
    };
  }

  private static Tags genAiTags(String provider, ProviderCall call) {
    return Tags.of(
        TAG_GEN_AI_PROVIDER,
        provider,
        TAG_GEN_AI_MODEL,
        call.providerModel(),
        TAG_GEN_AI_OPERATION,
        call.task() == Task.EMBED ? OPERATION_EMBEDDINGS : OPERATION_CHAT);
  }

  private static Tags connectorTags(String provider, ProviderCall call) {
    return Tags.of(
        ConnectorMetrics.TAG_PROVIDER,
        provider,
        ConnectorMetrics.TAG_DEPLOYMENT,
        call.deployment() != null ? call.deployment() : call.providerModel(),
        ConnectorMetrics.TAG_MODEL,
        call.providerModel(),
        ConnectorMetrics.TAG_TASK,
        call.task().name().toLowerCase(Locale.ROOT));
  }

  private static Tags deploymentTags(Deployment deployment) {
    return Tags.of(TAG_PROVIDER, deployment.provider(), TAG_DEPLOYMENT, deployment.name());
  }
}
