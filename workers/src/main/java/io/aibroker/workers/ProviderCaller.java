package io.aibroker.workers;

import io.aibroker.connector.Connector;
import io.aibroker.connector.ErrorClass;
import io.aibroker.connector.ErrorKind;
import io.aibroker.connector.ProviderCall;
import io.aibroker.connector.ProviderErrors;
import io.aibroker.connector.ProviderException;
import io.aibroker.connector.ProviderResponse;
import io.aibroker.connector.ProviderTimeoutException;
import io.aibroker.connector.TextDelta;
import io.aibroker.records.ProviderErrorKind;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * Makes the provider calls of one dispatch: each call waits for a permit of its deployment ({@link
 * DeploymentPermits}), asks the deployment's circuit breaker, runs with a timeout no later than the
 * request's deadline, and after a retryable failure is tried again as {@link RetryPolicy} says.
 *
 * <p>No thread waits: permits, calls and backoffs are futures, and the next call is started by the
 * completion of the previous step. The retry loop is written here rather than with Resilience4j's
 * {@code Retry}: that one is configured per instance, not per call, so its attempts and intervals
 * cannot see a request's deadline (no call may start after it, and a wait that would end past it
 * must not start), it cannot report how many calls were made and how long they took, and its async
 * form needs a wrapper per call anyway. The circuit breaker is Resilience4j's ({@link
 * DeploymentBreakers}).
 *
 * <p>Streaming calls are not retried once a delta has been published: the reader has seen that
 * text, and a second stream would repeat it. The broker's failover (a new attempt number) restarts
 * the stream cleanly instead.
 */
final class ProviderCaller {

  private final RetryPolicy policy;
  private final DeploymentBreakers breakers;
  private final Function<Deployment, DeploymentPermits> permits;
  private final RetryTimer timer;
  private final Clock clock;
  private final Duration callTimeout;
  private final WorkerMetrics metrics;

  /**
   * @param policy when to retry
   * @param breakers circuit breaker per deployment
   * @param permits concurrency limit per deployment
   * @param timer waits out backoffs
   * @param clock the time: deadlines, backoff decisions and the call durations reported
   * @param callTimeout the longest one call may take
   * @param metrics where call metrics go
   */
  ProviderCaller(
      RetryPolicy policy,
      DeploymentBreakers breakers,
      Function<Deployment, DeploymentPermits> permits,
      RetryTimer timer,
      Clock clock,
      Duration callTimeout,
      WorkerMetrics metrics) {
    this.policy = Objects.requireNonNull(policy, "policy");
    this.breakers = Objects.requireNonNull(breakers, "breakers");
    this.permits = Objects.requireNonNull(permits, "permits");
    this.timer = Objects.requireNonNull(timer, "timer");
    this.clock = Objects.requireNonNull(clock, "clock");
    this.callTimeout = Objects.requireNonNull(callTimeout, "callTimeout");
    this.metrics = Objects.requireNonNull(metrics, "metrics");
  }

  /**
   * Starts calling.
   *
   * @param connector the provider's connector
   * @param call the call, with the request's deadline
   * @param deployment the route's deployment
   * @param onDelta receives the text of a streaming call as it arrives; {@code null} for a plain
   *     call
   * @return the calls in progress
   */
  Calls start(
      Connector connector, ProviderCall call, Deployment deployment, Consumer<TextDelta> onDelta) {
    Calls calls = new Calls(connector, call, deployment, onDelta);
    calls.next();
    return calls;
  }

  /**
   * The calls of one dispatch in progress. The fields describing progress are written by one step
   * at a time, each step starting from the completion of the one before, which orders them.
   */
  final class Calls {
    private final Connector connector;
    private final ProviderCall call;
    private final Deployment deployment;
    private final Consumer<TextDelta> onDelta;
    private final CircuitBreaker breaker;
    private final DeploymentPermits deploymentPermits;
    private final AtomicInteger inFlight;
    private final CompletableFuture<CallResult> result = new CompletableFuture<>();
    private int made;
    private long providerMs;
    private ProviderException lastFailure;
    private volatile boolean streamed;
    private volatile CompletableFuture<Void> permit;
    private volatile CompletableFuture<ProviderResponse> current;

    private Calls(
        Connector connector,
        ProviderCall call,
        Deployment deployment,
        Consumer<TextDelta> onDelta) {
      this.connector = connector;
      this.call = call;
      this.deployment = deployment;
      this.onDelta = onDelta;
      this.breaker = breakers.of(deployment);
      this.deploymentPermits = permits.apply(deployment);
      this.inFlight = metrics.inFlight(deployment);
    }

    /** Completes when the calls are over; never exceptionally, but it may be cancelled. */
    CompletableFuture<CallResult> result() {
      return result;
    }

    /**
     * Stops: no further call starts, the call in flight is cancelled, and {@link #result()} is
     * cancelled.
     */
    void cancel() {
      if (result.cancel(false)) {
        CompletableFuture<Void> waiting = permit;
        if (waiting != null) {
          waiting.cancel(false);
        }
        CompletableFuture<ProviderResponse> running = current;
        if (running != null) {
          running.cancel(true);
        }
      }
    }

    private void next() {
      if (result.isDone()) {
        return;
      }
      if (call.deadlinePassed(clock.instant())) {
        finishAtDeadline();
        return;
      }
      if (!breaker.tryAcquirePermission()) {
        finish(
            new CallResult.NotCalled(
                Outcomes.CIRCUIT_OPEN,
                ErrorClass.RETRYABLE,
                ProviderErrorKind.UNAVAILABLE,
                "the circuit of deployment " + deployment + " is open",
                made,
                providerMs));
        return;
      }
      CompletableFuture<Void> waiting = deploymentPermits.acquire();
      permit = waiting;
      waiting.whenComplete(
          (granted, cancelled) -> {
            if (cancelled != null) {
              breaker.releasePermission(); // cancel() took our place in the queue
              return;
            }
            if (result.isDone() || call.deadlinePassed(clock.instant())) {
              deploymentPermits.release();
              breaker.releasePermission();
              finishAtDeadline();
              return;
            }
            invoke();
          });
    }

    private void invoke() {
      made++;
      inFlight.incrementAndGet();
      long started = clock.millis();
      AtomicBoolean open = new AtomicBoolean(true);
      CompletableFuture<ProviderResponse> stage;
      try {
        CompletionStage<ProviderResponse> invoked =
            onDelta == null
                ? connector.call(call)
                : connector.stream(call, delta -> delta(delta, open, started));
        stage = Objects.requireNonNull(invoked, "connector returned null").toCompletableFuture();
      } catch (RuntimeException thrown) {
        stage = CompletableFuture.failedFuture(thrown);
      }
      current = stage;
      if (result.isDone()) {
        stage.cancel(true); // cancel() ran while we were starting
      }
      CompletableFuture<ProviderResponse> underlying = stage;
      long timeout = timeoutMillis();
      boolean cutByDeadline = timeout < callTimeout.toMillis();
      stage
          .copy()
          .orTimeout(timeout, TimeUnit.MILLISECONDS)
          .whenComplete(
              (response, error) -> {
                open.set(false);
                inFlight.decrementAndGet();
                deploymentPermits.release();
                long elapsed = Math.max(0, clock.millis() - started);
                providerMs += elapsed;
                // orTimeout fails the copy with the bare TimeoutException; a failure of the call
                // itself arrives wrapped in a CompletionException
                ProviderException timedOut = null;
                if (error instanceof TimeoutException) {
                  underlying.cancel(true); // frees the connector's resources for this call
                  timedOut = timedOut(timeout, cutByDeadline, error);
                }
                completed(response, error, timedOut, elapsed, cutByDeadline);
              });
    }

    /**
     * Our own timeout of a call, a {@link ErrorKind#TIMEOUT} like the provider's or the SDK's: the
     * call timeout, or the request's deadline where it comes first.
     */
    private ProviderTimeoutException timedOut(
        long timeoutMs, boolean cutByDeadline, Throwable timeout) {
      return new ProviderTimeoutException(
          connector.provider(),
          cutByDeadline
              ? "no answer before the request's deadline (" + timeoutMs + " ms)"
              : "no answer within the worker's call timeout (" + timeoutMs + " ms)",
          null,
          0,
          null,
          timeout);
    }

    private void completed(
        ProviderResponse response,
        Throwable error,
        ProviderException timedOut,
        long elapsedMs,
        boolean cutByDeadline) {
      Duration elapsed = Duration.ofMillis(elapsedMs);
      if (result.isDone()) {
        breaker.releasePermission(); // cancelled: neither a success nor a failure of the provider
        metrics.callCancelled(connector.provider(), call, elapsed);
        return;
      }
      if (error == null && response != null) {
        breaker.onSuccess(elapsedMs, TimeUnit.MILLISECONDS);
        metrics.callAnswered(connector.provider(), call, elapsed, response.usage());
        finish(new CallResult.Answered(response, made, providerMs));
        return;
      }
      // Classified once: a connector's failure arrives classified (InstrumentedConnector) and
      // passes through; what the call loop itself sees is classified the same way.
      ProviderException failure =
          timedOut != null ? timedOut : ProviderErrors.classify(connector, error);
      if (timedOut != null && cutByDeadline) {
        // The request's deadline ended the call before the call timeout would have: that says
        // nothing about the provider's health (found by the crash matrix: queued requests cut at
        // their deadline opened the circuit, and the requests behind them FAILED).
        breaker.releasePermission();
      } else {
        breaker.onError(elapsedMs, TimeUnit.MILLISECONDS, failure);
      }
      metrics.callFailed(connector.provider(), call, elapsed, failure);
      if (failure.kind() == ErrorKind.RATE_LIMITED) {
        metrics.throttle(deployment);
      }
      lastFailure = failure;
      Optional<Duration> delay =
          streamed
              ? Optional.empty()
              : policy.nextDelay(failure, made, clock.instant(), call.deadline());
      if (delay.isEmpty()) {
        finish(new CallResult.Failed(failure, made, providerMs));
        return;
      }
      metrics.retry(deployment, failure.errorType());
      timer
          .after(delay.get())
          .whenComplete(
              (waited, timerFailure) -> {
                if (timerFailure != null) {
                  finish(new CallResult.Failed(failure, made, providerMs));
                } else {
                  next();
                }
              });
    }

    private void delta(TextDelta delta, AtomicBoolean open, long started) {
      if (!open.get() || result.isDone()) {
        return; // a late delta of a call that timed out or was cancelled
      }
      if (!streamed) {
        streamed = true;
        metrics.firstChunk(
            connector.provider(), call, Duration.ofMillis(Math.max(0, clock.millis() - started)));
      }
      onDelta.accept(delta);
    }

    /** The call timeout, cut short so that no call outlives the request's deadline. */
    private long timeoutMillis() {
      long timeout = callTimeout.toMillis();
      Instant deadline = call.deadline();
      if (deadline != null) {
        timeout = Math.min(timeout, Math.max(1, deadline.toEpochMilli() - clock.millis()));
      }
      return timeout;
    }

    private void finishAtDeadline() {
      if (lastFailure == null) {
        finish(
            new CallResult.NotCalled(
                Outcomes.DEADLINE_EXCEEDED,
                ErrorClass.TERMINAL,
                ProviderErrorKind.DEADLINE,
                "the request's deadline passed before a provider call could start",
                made,
                providerMs));
      } else {
        finish(new CallResult.Failed(lastFailure, made, providerMs));
      }
    }

    private void finish(CallResult outcome) {
      result.complete(outcome);
    }
  }
}
