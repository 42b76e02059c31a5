package io.aibroker.workers;

import io.aibroker.connector.ErrorClass;
import io.aibroker.connector.ProviderException;
import io.aibroker.connector.RateLimitedException;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig;
import java.time.Clock;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;

/**
 * One Resilience4j circuit breaker per deployment, created on first use, over a count-based window
 * of calls. Only {@link ErrorClass#RETRYABLE} failures count as failures: a terminal error (bad
 * request, auth, content filter) says nothing about the deployment's health, and a provider that
 * answers it is up, so it counts as a success.
 *
 * <p>Throttling ({@link RateLimitedException}) counts as neither: the deployment is busy, not
 * broken. Retry-After already paces the calls, and an open circuit would stop every call for {@link
 * WorkerConfig.BreakerSettings#waitInOpenState()} after a burst of 429s that lasted a second.
 * Sustained throttling still moves requests elsewhere: once a request's attempts are used up, or
 * the provider asks for a longer wait than the worker takes, its RETRYABLE outcome lets the broker
 * fail over.
 *
 * <p>An open circuit moves to half-open by itself after the wait: the broker routes around open
 * circuits, so no request might ever arrive here to make it try again.
 */
final class DeploymentBreakers {

  /** Told of every circuit state change. */
  @FunctionalInterface
  interface Listener {
    /** {@code deployment}'s circuit is now in {@code breaker.getState()}. */
    void transitioned(Deployment deployment, CircuitBreaker breaker);
  }

  private final CircuitBreakerConfig config;
  private final WorkerMetrics metrics;
  private final Listener listener;
  private final Map<Deployment, CircuitBreaker> breakers = new ConcurrentHashMap<>();

  DeploymentBreakers(
      WorkerConfig.BreakerSettings settings,
      Clock clock,
      WorkerMetrics metrics,
      Listener listener) {
    this.config =
        CircuitBreakerConfig.custom()
            .slidingWindowType(CircuitBreakerConfig.SlidingWindowType.COUNT_BASED)
            .slidingWindowSize(settings.slidingWindowSize())
            .minimumNumberOfCalls(settings.minimumNumberOfCalls())
            .failureRateThreshold(settings.failureRateThreshold())
            .waitDurationInOpenState(settings.waitInOpenState())
            .permittedNumberOfCallsInHalfOpenState(settings.permittedCallsInHalfOpenState())
            .automaticTransitionFromOpenToHalfOpenEnabled(true)
            .recordException(DeploymentBreakers::countsAsFailure)
            .ignoreException(RateLimitedException.class::isInstance)
            .writableStackTraceEnabled(false)
            .clock(clock)
            .build();
    this.metrics = Objects.requireNonNull(metrics, "metrics");
    this.listener = Objects.requireNonNull(listener, "listener");
  }

  /** Whether {@code error} counts against the deployment's health (throttling is ignored). */
  static boolean countsAsFailure(Throwable error) {
    return error instanceof ProviderException failure
        && failure.errorClass() == ErrorClass.RETRYABLE
        && !(failure instanceof RateLimitedException);
  }

  /** The breaker of {@code deployment}. */
  CircuitBreaker of(Deployment deployment) {
    return breakers.computeIfAbsent(deployment, this::create);
  }

  /** Every breaker created so far. */
  Map<Deployment, CircuitBreaker> all() {
    return Map.copyOf(breakers);
  }

  private CircuitBreaker create(Deployment deployment) {
    CircuitBreaker breaker = CircuitBreaker.of(deployment.toString(), config);
    breaker
        .getEventPublisher()
        .onStateTransition(
            event -> {
              metrics.circuitTransition(
                  deployment,
                  event.getStateTransition().getFromState(),
                  event.getStateTransition().getToState());
              listener.transitioned(deployment, breaker);
            });
    metrics.circuit(deployment, breaker);
    return breaker;
  }
}
