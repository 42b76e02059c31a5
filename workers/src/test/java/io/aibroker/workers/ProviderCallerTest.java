package io.aibroker.workers;

import static io.aibroker.workers.ScriptedConnector.answers;
import static io.aibroker.workers.ScriptedConnector.fails;
import static io.aibroker.workers.ScriptedConnector.streams;
import static io.aibroker.workers.ScriptedConnector.streamsThenFails;
import static io.aibroker.workers.ScriptedConnector.waits;
import static org.assertj.core.api.Assertions.assertThat;

import io.aibroker.connector.ChatMessage;
import io.aibroker.connector.Connector;
import io.aibroker.connector.ConnectorMetrics;
import io.aibroker.connector.ErrorClass;
import io.aibroker.connector.ErrorKind;
import io.aibroker.connector.GenerationParams;
import io.aibroker.connector.InstrumentedConnector;
import io.aibroker.connector.InvalidRequestException;
import io.aibroker.connector.ProviderCall;
import io.aibroker.connector.ProviderException;
import io.aibroker.connector.ProviderResponse;
import io.aibroker.connector.ProviderServerException;
import io.aibroker.connector.ProviderTimeoutException;
import io.aibroker.connector.RateLimitedException;
import io.aibroker.connector.Task;
import io.aibroker.connector.TextDelta;
import io.aibroker.connector.TokenUsage;
import io.aibroker.records.ProviderErrorKind;
import io.aibroker.testing.MutableClock;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

class ProviderCallerTest {

  static final Instant START = Instant.parse("2026-11-01T10:00:00Z");
  static final Deployment DEPLOYMENT = new Deployment("scripted", "eu-1");
  static final Duration LATENCY = Duration.ofMillis(100);

  final MutableClock clock = new MutableClock(START);
  final SimpleMeterRegistry registry = new SimpleMeterRegistry();
  final WorkerMetrics metrics = new WorkerMetrics(registry);
  final List<Duration> waits = new CopyOnWriteArrayList<>();
  final List<CircuitBreaker.State> transitions = new CopyOnWriteArrayList<>();
  final Map<Deployment, DeploymentPermits> permits = new ConcurrentHashMap<>();
  DeploymentBreakers breakers;

  /** Backoffs take no real time: they move the test clock. */
  final RetryTimer instantTimer =
      delay -> {
        waits.add(delay);
        clock.advance(delay);
        return CompletableFuture.completedFuture(null);
      };

  ProviderCaller caller(int maxAttempts, WorkerConfig.BreakerSettings breaker, int maxInFlight) {
    return caller(maxAttempts, breaker, maxInFlight, Duration.ofSeconds(30));
  }

  ProviderCaller caller(
      int maxAttempts,
      WorkerConfig.BreakerSettings breaker,
      int maxInFlight,
      Duration callTimeout) {
    breakers =
        new DeploymentBreakers(
            breaker, clock, metrics, (deployment, b) -> transitions.add(b.getState()));
    return new ProviderCaller(
        new RetryPolicy(
            new WorkerConfig.RetrySettings(
                maxAttempts, Duration.ofMillis(200), Duration.ofSeconds(10)),
            new FixedFractionRandom(0.5)),
        breakers,
        d -> permits.computeIfAbsent(d, x -> new DeploymentPermits(maxInFlight)),
        instantTimer,
        clock,
        callTimeout,
        metrics);
  }

  ProviderCaller caller(int maxAttempts) {
    return caller(maxAttempts, WorkerConfig.BreakerSettings.defaults(), 256);
  }

  static ProviderCall chat(Instant deadline) {
    return chat(deadline, false);
  }

  static ProviderCall chat(Instant deadline, boolean stream) {
    return new ProviderCall(
        "req-1",
        "tenant-1",
        Task.CHAT,
        "model-1",
        "eu-1",
        List.of(new ChatMessage("user", "hi")),
        List.of(),
        GenerationParams.defaults(),
        stream,
        deadline);
  }

  static CallResult resultOf(ProviderCaller.Calls calls) {
    return calls.result().join();
  }

  @Test
  void aSuccessfulFirstCallReportsOneCallAndItsDuration() {
    var connector = new ScriptedConnector(clock, LATENCY, answers("hello"));
    CallResult result = resultOf(caller(4).start(connector, chat(null), DEPLOYMENT, null));

    assertThat(result).isInstanceOf(CallResult.Answered.class);
    assertThat(((CallResult.Answered) result).response().text()).isEqualTo("hello");
    assertThat(result.calls()).isEqualTo(1);
    assertThat(result.providerMs()).isEqualTo(100);
  }

  @Test
  void serverErrorsAreRetriedWithBackoffThenSucceed() {
    var connector =
        new ScriptedConnector(
            clock,
            LATENCY,
            fails(new ProviderServerException("scripted", "503")),
            fails(new ProviderServerException("scripted", "503")),
            answers("third time lucky"));
    CallResult result = resultOf(caller(4).start(connector, chat(null), DEPLOYMENT, null));

    assertThat(result).isInstanceOf(CallResult.Answered.class);
    assertThat(result.calls()).isEqualTo(3);
    assertThat(result.providerMs()).as("time in the calls only, not in backoff").isEqualTo(300);
    assertThat(waits).containsExactly(Duration.ofMillis(100), Duration.ofMillis(200));
    assertThat(registry.get(WorkerMetrics.RETRIES).counter().count()).isEqualTo(2);
  }

  @Test
  void retryableErrorsStopAtMaxAttemptsAndReportTheLastError() {
    var connector =
        new ScriptedConnector(
            clock, LATENCY, fails(new ProviderServerException("scripted", "503")));
    CallResult result = resultOf(caller(4).start(connector, chat(null), DEPLOYMENT, null));

    assertThat(result).isInstanceOf(CallResult.Failed.class);
    assertThat(((CallResult.Failed) result).error().errorClass()).isEqualTo(ErrorClass.RETRYABLE);
    assertThat(connector.calls()).isEqualTo(4);
    assertThat(result.calls()).isEqualTo(4);
    assertThat(result.providerMs()).isEqualTo(400);
  }

  @Test
  void terminalErrorsAreNotRetried() {
    var connector =
        new ScriptedConnector(clock, LATENCY, fails(new InvalidRequestException("scripted", "no")));
    CallResult result = resultOf(caller(4).start(connector, chat(null), DEPLOYMENT, null));

    assertThat(result).isInstanceOf(CallResult.Failed.class);
    assertThat(((CallResult.Failed) result).error().errorClass()).isEqualTo(ErrorClass.TERMINAL);
    assertThat(connector.calls()).isEqualTo(1);
  }

  @Test
  void throttledCallsWaitAsRetryAfterAsks() {
    var throttled =
        new RateLimitedException("scripted", "429", "429", 429, Duration.ofMillis(1500), null);
    var connector = new ScriptedConnector(clock, LATENCY, fails(throttled), answers("ok"));
    CallResult result = resultOf(caller(4).start(connector, chat(null), DEPLOYMENT, null));

    assertThat(result).isInstanceOf(CallResult.Answered.class);
    List<Instant> times = connector.callTimes();
    assertThat(Duration.between(times.get(0), times.get(1)))
        .as("the latency of the throttled call plus Retry-After, at least")
        .isGreaterThanOrEqualTo(LATENCY.plusMillis(1500));
    assertThat(registry.get(WorkerMetrics.THROTTLES).counter().count()).isEqualTo(1);
  }

  @Test
  void aRequestWhoseDeadlinePassedIsNotCalled() {
    var connector = new ScriptedConnector(clock, LATENCY, answers("too late"));
    CallResult result =
        resultOf(caller(4).start(connector, chat(START.minusSeconds(1)), DEPLOYMENT, null));

    assertThat(result)
        .isEqualTo(
            new CallResult.NotCalled(
                Outcomes.DEADLINE_EXCEEDED,
                ErrorClass.TERMINAL,
                ProviderErrorKind.DEADLINE,
                "the request's deadline passed before a provider call could start",
                0,
                0));
    assertThat(connector.calls()).isZero();
  }

  @Test
  void noRetryStartsAfterTheDeadline() {
    var throttled =
        new RateLimitedException("scripted", "429", "429", 429, Duration.ofSeconds(2), null);
    var connector = new ScriptedConnector(clock, LATENCY, fails(throttled), answers("late"));
    Instant deadline = START.plusSeconds(1);
    CallResult result = resultOf(caller(4).start(connector, chat(deadline), DEPLOYMENT, null));

    assertThat(result).isInstanceOf(CallResult.Failed.class);
    assertThat(((CallResult.Failed) result).error()).isSameAs(throttled);
    assertThat(connector.calls()).isEqualTo(1);
    assertThat(connector.callTimes()).allSatisfy(t -> assertThat(t).isBefore(deadline));
  }

  @Test
  void theBreakerOpensOnRetryableFailuresAndThenNoCallIsMade() {
    var breaker = new WorkerConfig.BreakerSettings(50, 4, 4, Duration.ofMinutes(1), 1);
    ProviderCaller caller = caller(1, breaker, 256);
    var connector =
        new ScriptedConnector(
            clock, LATENCY, fails(new ProviderServerException("scripted", "503")));
    for (int i = 0; i < 4; i++) {
      assertThat(resultOf(caller.start(connector, chat(null), DEPLOYMENT, null)))
          .isInstanceOf(CallResult.Failed.class);
    }
    assertThat(transitions).containsExactly(CircuitBreaker.State.OPEN);

    CallResult refused = resultOf(caller.start(connector, chat(null), DEPLOYMENT, null));

    assertThat(refused).isInstanceOf(CallResult.NotCalled.class);
    assertThat(((CallResult.NotCalled) refused).code()).isEqualTo(Outcomes.CIRCUIT_OPEN);
    assertThat(((CallResult.NotCalled) refused).errorClass()).isEqualTo(ErrorClass.RETRYABLE);
    assertThat(refused.calls()).isZero();
    assertThat(connector.calls()).as("no call while open").isEqualTo(4);
    assertThat(registry.get(WorkerMetrics.CIRCUIT_STATE).gauge().value())
        .isEqualTo(WorkerMetrics.CIRCUIT_OPEN);
    assertThat(
            registry
                .get(WorkerMetrics.CIRCUIT_TRANSITIONS)
                .tag(WorkerMetrics.TAG_FROM, "closed")
                .tag(WorkerMetrics.TAG_TO, "open")
                .counter()
                .count())
        .isEqualTo(1);
  }

  @Test
  void aRetryFindingTheCircuitOpenStopsWithCircuitOpen() {
    var breaker = new WorkerConfig.BreakerSettings(50, 2, 2, Duration.ofMinutes(1), 1);
    var connector =
        new ScriptedConnector(
            clock, LATENCY, fails(new ProviderServerException("scripted", "503")));
    CallResult result =
        resultOf(caller(4, breaker, 256).start(connector, chat(null), DEPLOYMENT, null));

    assertThat(result).isInstanceOf(CallResult.NotCalled.class);
    assertThat(((CallResult.NotCalled) result).code()).isEqualTo(Outcomes.CIRCUIT_OPEN);
    assertThat(result.calls()).as("the calls made before it opened").isEqualTo(2);
    assertThat(connector.calls()).isEqualTo(2);
  }

  @Test
  void terminalErrorsDoNotTripTheBreaker() {
    var breaker = new WorkerConfig.BreakerSettings(50, 4, 4, Duration.ofMinutes(1), 1);
    ProviderCaller caller = caller(1, breaker, 256);
    var connector =
        new ScriptedConnector(clock, LATENCY, fails(new InvalidRequestException("scripted", "no")));
    for (int i = 0; i < 10; i++) {
      resultOf(caller.start(connector, chat(null), DEPLOYMENT, null));
    }

    assertThat(breakers.of(DEPLOYMENT).getState()).isEqualTo(CircuitBreaker.State.CLOSED);
    assertThat(transitions).isEmpty();
    assertThat(connector.calls()).isEqualTo(10);
  }

  @Test
  void throttlingDoesNotTripTheBreaker() {
    var breaker = new WorkerConfig.BreakerSettings(50, 4, 4, Duration.ofMinutes(1), 1);
    ProviderCaller caller = caller(1, breaker, 256);
    var connector =
        new ScriptedConnector(clock, LATENCY, fails(new RateLimitedException("scripted", "429")));
    for (int i = 0; i < 10; i++) {
      resultOf(caller.start(connector, chat(null), DEPLOYMENT, null));
    }

    assertThat(breakers.of(DEPLOYMENT).getState()).isEqualTo(CircuitBreaker.State.CLOSED);
    assertThat(connector.calls()).isEqualTo(10);
    assertThat(registry.get(WorkerMetrics.THROTTLES).counter().count()).isEqualTo(10);
  }

  @Test
  void callsToADeploymentAreBoundedAndQueuedInOrder() {
    ProviderCaller caller = caller(1, WorkerConfig.BreakerSettings.defaults(), 2);
    var connector = new ScriptedConnector(clock, Duration.ZERO, waits());
    List<ProviderCaller.Calls> started = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      started.add(caller.start(connector, chat(null), DEPLOYMENT, null));
    }
    assertThat(connector.calls()).isEqualTo(2);
    assertThat(metrics.callsInFlight(DEPLOYMENT)).isEqualTo(2);

    connector.pending().get(0).complete(ProviderResponse.ofText("a", "stop", TokenUsage.ZERO));

    assertThat(started.get(0).result()).isCompleted();
    assertThat(connector.calls()).as("a freed permit starts the next call").isEqualTo(3);
    assertThat(metrics.callsInFlight(DEPLOYMENT)).isEqualTo(2);
  }

  @Test
  void aCallCutShortByTheRequestsDeadlineIsNotCountedByTheBreaker() {
    var breaker = new WorkerConfig.BreakerSettings(50, 4, 4, Duration.ofMinutes(1), 1);
    ProviderCaller caller = caller(1, breaker, 256);
    var connector = new ScriptedConnector(clock, Duration.ZERO, waits());
    for (int i = 0; i < 6; i++) {
      CallResult result =
          resultOf(caller.start(connector, chat(clock.instant().plusMillis(20)), DEPLOYMENT, null));
      assertThat(result).isInstanceOf(CallResult.Failed.class);
    }

    assertThat(breakers.of(DEPLOYMENT).getMetrics().getNumberOfFailedCalls()).isZero();
    assertThat(breakers.of(DEPLOYMENT).getState()).isEqualTo(CircuitBreaker.State.CLOSED);
  }

  @Test
  void aCallTimingOutWithinItsDeadlineCountsAsAFailure() {
    var breaker = new WorkerConfig.BreakerSettings(50, 4, 4, Duration.ofMinutes(1), 1);
    ProviderCaller caller = caller(1, breaker, 256, Duration.ofMillis(20));
    var connector = new ScriptedConnector(clock, Duration.ZERO, waits());

    resultOf(caller.start(connector, chat(clock.instant().plusSeconds(60)), DEPLOYMENT, null));

    assertThat(breakers.of(DEPLOYMENT).getMetrics().getNumberOfFailedCalls()).isEqualTo(1);
  }

  @Test
  void theWorkersCallTimeoutIsATimeoutAndCancelsTheCall() {
    ProviderCaller caller = caller(1, WorkerConfig.BreakerSettings.defaults(), 256, ms(20));
    var connector = new ScriptedConnector(clock, Duration.ZERO, waits());

    CallResult result = resultOf(caller.start(connector, chat(null), DEPLOYMENT, null));

    assertThat(result).isInstanceOf(CallResult.Failed.class);
    ProviderException error = ((CallResult.Failed) result).error();
    assertThat(error).isInstanceOf(ProviderTimeoutException.class);
    assertThat(error.kind()).isEqualTo(ErrorKind.TIMEOUT);
    assertThat(error.errorClass()).isEqualTo(ErrorClass.RETRYABLE);
    assertThat(error.httpStatus()).isZero();
    assertThat(error).hasMessageContaining("call timeout (20 ms)");
    assertThat(connector.pending()).singleElement().matches(CompletableFuture::isCancelled);
    assertThat(callTimer(ConnectorMetrics.OUTCOME_RETRYABLE, ProviderTimeoutException.TYPE).count())
        .isEqualTo(1);
  }

  @Test
  void aCallCutAtTheRequestsDeadlineIsATimeoutToo() {
    ProviderCaller caller = caller(1);
    var connector = new ScriptedConnector(clock, Duration.ZERO, waits());

    CallResult result =
        resultOf(caller.start(connector, chat(clock.instant().plusMillis(20)), DEPLOYMENT, null));

    ProviderException error = ((CallResult.Failed) result).error();
    assertThat(error.kind()).isEqualTo(ErrorKind.TIMEOUT);
    assertThat(error).hasMessageContaining("before the request's deadline");
  }

  @Test
  void aFailureTheConnectorLeftUnclassifiedIsClassifiedByItsMapper() {
    var connector =
        new ScriptedConnector(
            clock,
            LATENCY,
            (call, onDelta) ->
                CompletableFuture.failedFuture(new SocketTimeoutException("read timed out")));

    CallResult result = resultOf(caller(1).start(connector, chat(null), DEPLOYMENT, null));

    ProviderException error = ((CallResult.Failed) result).error();
    assertThat(error.kind()).isEqualTo(ErrorKind.TIMEOUT);
    assertThat(error).hasCauseInstanceOf(SocketTimeoutException.class);
  }

  @Test
  void aFailureClassifiedByTheInstrumentedConnectorIsNotClassifiedAgain() {
    var throttled = new RateLimitedException("scripted", "429", "429", 429, null, null);
    Connector connector =
        new InstrumentedConnector(new ScriptedConnector(clock, LATENCY, fails(throttled)));

    CallResult result = resultOf(caller(1).start(connector, chat(null), DEPLOYMENT, null));

    assertThat(((CallResult.Failed) result).error()).isSameAs(throttled);
    assertThat(registry.get(ConnectorMetrics.CALL).timers())
        .as("one call, recorded once")
        .singleElement()
        .satisfies(timer -> assertThat(timer.count()).isEqualTo(1));
  }

  @Test
  void aCancelledCallReleasesItsPermitAndIsNotCountedByTheBreaker() {
    ProviderCaller caller = caller(1, WorkerConfig.BreakerSettings.defaults(), 1);
    var connector = new ScriptedConnector(clock, Duration.ZERO, waits());
    ProviderCaller.Calls first = caller.start(connector, chat(null), DEPLOYMENT, null);
    ProviderCaller.Calls queued = caller.start(connector, chat(null), DEPLOYMENT, null);

    queued.cancel();
    first.cancel();

    assertThat(permits.get(DEPLOYMENT).inUse()).isZero();
    assertThat(breakers.of(DEPLOYMENT).getMetrics().getNumberOfFailedCalls()).isZero();
    assertThat(connector.calls()).isEqualTo(1);
  }

  @Test
  void streamedDeltasArePassedOnAndTheFirstOneIsTimed() {
    var connector = new ScriptedConnector(clock, LATENCY, streams("Hel", "lo"));
    List<String> deltas = new ArrayList<>();
    Consumer<TextDelta> onDelta = delta -> deltas.add(delta.text());
    CallResult result = resultOf(caller(4).start(connector, chat(null, true), DEPLOYMENT, onDelta));

    assertThat(result).isInstanceOf(CallResult.Answered.class);
    assertThat(deltas).containsExactly("Hel", "lo");
    assertThat(registry.get(WorkerMetrics.TIME_TO_FIRST_CHUNK).timer().count()).isEqualTo(1);
    assertThat(registry.getMeters())
        .as("the first chunk is timed once, under one name")
        .filteredOn(meter -> meter.getId().getName().contains("first"))
        .hasSize(1);
  }

  @Test
  void aStreamThatFailsAfterPublishingIsNotRetried() {
    var connector =
        new ScriptedConnector(
            clock,
            LATENCY,
            streamsThenFails(new ProviderServerException("scripted", "cut"), "Hel"),
            streams("Hello"));
    List<String> deltas = new ArrayList<>();
    CallResult result =
        resultOf(
            caller(4).start(connector, chat(null, true), DEPLOYMENT, d -> deltas.add(d.text())));

    assertThat(result).isInstanceOf(CallResult.Failed.class);
    assertThat(connector.calls()).isEqualTo(1);
    assertThat(deltas).containsExactly("Hel");
  }

  @Test
  void eachCallIsRecordedOnceUnderTheGenAiAndTheConnectorNames() {
    var connector =
        new ScriptedConnector(
            clock, LATENCY, fails(new ProviderServerException("scripted", "503")), answers("hi"));
    resultOf(caller(4).start(connector, chat(null), DEPLOYMENT, null));

    Timer genAi =
        registry
            .get(WorkerMetrics.OPERATION_DURATION)
            .tag(WorkerMetrics.TAG_GEN_AI_PROVIDER, "scripted")
            .tag(WorkerMetrics.TAG_GEN_AI_MODEL, "model-1")
            .tag(WorkerMetrics.TAG_ERROR_TYPE, WorkerMetrics.ERROR_NONE)
            .timer();
    Timer call = callTimer(ConnectorMetrics.OUTCOME_SUCCESS, ConnectorMetrics.ERROR_NONE);
    assertThat(genAi.count()).isEqualTo(1);
    assertThat(call.count()).isEqualTo(1);
    assertThat(call.totalTime(TimeUnit.MILLISECONDS))
        .as("one measurement in both")
        .isEqualTo(genAi.totalTime(TimeUnit.MILLISECONDS))
        .isEqualTo(100);
    assertThat(call.getId().getTag(ConnectorMetrics.TAG_MODEL)).isEqualTo("model-1");
    assertThat(call.getId().getTag(ConnectorMetrics.TAG_TASK)).isEqualTo("chat");
    assertThat(callTimer(ConnectorMetrics.OUTCOME_RETRYABLE, ProviderServerException.TYPE).count())
        .isEqualTo(1);
    assertThat(
            registry
                .get(WorkerMetrics.OPERATION_DURATION)
                .tag(WorkerMetrics.TAG_ERROR_TYPE, ProviderServerException.TYPE)
                .timer()
                .count())
        .isEqualTo(1);
    assertThat(tokens(ConnectorMetrics.DIRECTION_INPUT)).isEqualTo(3);
    assertThat(tokens(ConnectorMetrics.DIRECTION_OUTPUT)).isEqualTo(5);
  }

  @Test
  void aCancelledCallIsRecordedAsCancelled() {
    var connector = new ScriptedConnector(clock, Duration.ZERO, waits());
    ProviderCaller.Calls calls = caller(1).start(connector, chat(null), DEPLOYMENT, null);

    calls.cancel();

    assertThat(callTimer(ConnectorMetrics.OUTCOME_CANCELLED, ConnectorMetrics.ERROR_CANCELLED))
        .extracting(Timer::count)
        .isEqualTo(1L);
  }

  private Timer callTimer(String outcome, String error) {
    return registry
        .get(ConnectorMetrics.CALL)
        .tags(
            ConnectorMetrics.TAG_PROVIDER,
            "scripted",
            ConnectorMetrics.TAG_DEPLOYMENT,
            "eu-1",
            ConnectorMetrics.TAG_OUTCOME,
            outcome,
            ConnectorMetrics.TAG_ERROR,
            error)
        .timer();
  }

  private double tokens(String direction) {
    return registry
        .get(ConnectorMetrics.TOKENS)
        .tags(ConnectorMetrics.TAG_PROVIDER, "scripted", ConnectorMetrics.TAG_DIRECTION, direction)
        .counter()
        .count();
  }

  private static Duration ms(long millis) {
    return Duration.ofMillis(millis);
  }
}
