package io.aibroker.workers;

import io.aibroker.records.CircuitState;
import io.aibroker.records.ProviderHealth;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import java.time.Clock;
import java.util.Map;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Publishes deployments' health to the compacted provider-health topic, keyed by deployment, so
 * that the broker routes around open circuits: on every circuit state change, and for every known
 * deployment on each {@link #publishAll} (the worker calls it every {@link
 * WorkerConfig#healthInterval()}), so a restarted broker or a new one learns the current state.
 */
final class HealthReporter implements DeploymentBreakers.Listener {

  private static final Logger LOG = LoggerFactory.getLogger(HealthReporter.class);

  private final RecordSink sink;
  private final String workerId;
  private final Clock clock;
  private final WorkerMetrics metrics;

  HealthReporter(RecordSink sink, String workerId, Clock clock, WorkerMetrics metrics) {
    this.sink = Objects.requireNonNull(sink, "sink");
    this.workerId = Objects.requireNonNull(workerId, "workerId");
    this.clock = Objects.requireNonNull(clock, "clock");
    this.metrics = Objects.requireNonNull(metrics, "metrics");
  }

  @Override
  public void transitioned(Deployment deployment, CircuitBreaker breaker) {
    LOG.info("circuit of deployment {} is now {}", deployment, breaker.getState());
    publish(deployment, breaker);
  }

  /** Publishes the health of every deployment in {@code breakers}. */
  void publishAll(Map<Deployment, CircuitBreaker> breakers) {
    breakers.forEach(this::publish);
  }

  /** The health record of {@code deployment} as of now. */
  ProviderHealth health(Deployment deployment, CircuitBreaker breaker) {
    float rate = breaker.getMetrics().getFailureRate(); // -1 until enough calls were seen
    return ProviderHealth.newBuilder()
        .setDeployment(deployment.name())
        .setProvider(deployment.provider())
        .setState(state(breaker.getState()))
        .setFailureRate(rate < 0 ? 0.0 : rate / 100.0)
        .setInFlight(metrics.callsInFlight(deployment))
        .setWorkerId(workerId)
        .setUpdatedAt(clock.instant())
        .build();
  }

  private void publish(Deployment deployment, CircuitBreaker breaker) {
    sink.health(health(deployment, breaker))
        .whenComplete(
            (written, failed) -> {
              if (failed != null) {
                LOG.warn("could not publish the health of deployment {}", deployment, failed);
              }
            });
  }

  static CircuitState state(CircuitBreaker.State state) {
    return switch (WorkerMetrics.circuitValue(state)) {
      case WorkerMetrics.CIRCUIT_OPEN -> CircuitState.OPEN;
      case WorkerMetrics.CIRCUIT_HALF_OPEN -> CircuitState.HALF_OPEN;
      default -> CircuitState.CLOSED;
    };
  }
}
