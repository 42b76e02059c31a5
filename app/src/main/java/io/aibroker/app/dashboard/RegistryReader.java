package io.aibroker.app.dashboard;

import io.aibroker.app.dashboard.MetricsReading.DeploymentState;
import io.aibroker.app.dashboard.MetricsReading.TenantModel;
import io.aibroker.broker.BrokerMetrics;
import io.aibroker.workers.WorkerMetrics;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.BinaryOperator;

/**
 * Reads the meters of {@link BrokerMetrics} and {@link WorkerMetrics} from a registry into a {@link
 * MetricsReading}. With a broker in the process, requests and latency are the broker's (every
 * terminal result, end to end); without one they are the worker's provider calls, which is all such
 * a process knows.
 */
final class RegistryReader {

  private static final String SUCCEEDED = "SUCCEEDED";

  private final MeterRegistry registry;
  private final boolean broker;

  /**
   * @param registry the process's registry
   * @param broker whether this process runs the broker (else requests are provider outcomes)
   */
  RegistryReader(MeterRegistry registry, boolean broker) {
    this.registry = Objects.requireNonNull(registry, "registry");
    this.broker = broker;
  }

  /** Whether requests and latency are the broker's, not the workers' provider calls. */
  boolean readsBroker() {
    return broker;
  }

  MetricsReading read(long atMillis) {
    double requests = 0;
    double failed = 0;
    LatencyHistogram latency = LatencyHistogram.EMPTY;
    if (broker) {
      for (Counter counter : registry.find(BrokerMetrics.REQUESTS).counters()) {
        requests += counter.count();
        if (!SUCCEEDED.equals(counter.getId().getTag("status"))) {
          failed += counter.count();
        }
      }
      for (Timer timer : registry.find(BrokerMetrics.LATENCY).timers()) {
        latency = latency.plus(LatencyHistogram.of(timer));
      }
    } else {
      for (Counter counter : registry.find(WorkerMetrics.OUTCOMES).counters()) {
        requests += counter.count();
        if (!WorkerMetrics.RESULT_SUCCESS.equals(
            counter.getId().getTag(WorkerMetrics.TAG_RESULT))) {
          failed += counter.count();
        }
      }
      for (Timer timer : registry.find(WorkerMetrics.OPERATION_DURATION).timers()) {
        latency = latency.plus(LatencyHistogram.of(timer));
      }
    }
    return new MetricsReading(atMillis, requests, failed, latency, cache(), spend(), deployments());
  }

  private Map<String, Double> cache() {
    Map<String, Double> cache = new TreeMap<>();
    for (Counter counter : registry.find(BrokerMetrics.CACHE).counters()) {
      cache.merge(tagOr(counter, "result", "unknown"), counter.count(), Double::sum);
    }
    return cache;
  }

  private Map<TenantModel, Double> spend() {
    Map<TenantModel, Double> spend = new LinkedHashMap<>();
    for (Counter counter : registry.find(BrokerMetrics.SPEND).counters()) {
      TenantModel key =
          new TenantModel(tagOr(counter, "tenant", "unknown"), tagOr(counter, "model", "unknown"));
      spend.merge(key, counter.count(), Double::sum);
    }
    return spend;
  }

  private Map<String, DeploymentState> deployments() {
    Map<String, Double> circuits = new TreeMap<>();
    Map<String, Double> inFlight = new TreeMap<>();
    Map<String, Double> throttles = new TreeMap<>();
    Map<String, Double> retries = new TreeMap<>();
    registry
        .find(WorkerMetrics.CIRCUIT_STATE)
        .gauges()
        .forEach(g -> add(circuits, g, g.value(), Math::max));
    registry
        .find(WorkerMetrics.CALLS_IN_FLIGHT)
        .gauges()
        .forEach(g -> add(inFlight, g, g.value(), Double::sum));
    registry
        .find(WorkerMetrics.THROTTLES)
        .counters()
        .forEach(c -> add(throttles, c, c.count(), Double::sum));
    registry
        .find(WorkerMetrics.RETRIES)
        .counters()
        .forEach(c -> add(retries, c, c.count(), Double::sum));
    Set<String> keys = new TreeSet<>(circuits.keySet());
    keys.addAll(inFlight.keySet());
    keys.addAll(throttles.keySet());
    keys.addAll(retries.keySet());
    Map<String, DeploymentState> deployments = new LinkedHashMap<>();
    for (String key : keys) {
      int slash = key.indexOf('/');
      Double circuit = circuits.get(key);
      deployments.put(
          key,
          new DeploymentState(
              key.substring(0, slash),
              key.substring(slash + 1),
              circuit == null ? -1 : (int) Math.round(circuit),
              inFlight.getOrDefault(key, 0.0),
              throttles.getOrDefault(key, 0.0),
              retries.getOrDefault(key, 0.0)));
    }
    return deployments;
  }

  /**
   * Adds a meter's value under its {@code provider/deployment} key; NaN (a gauge whose object is
   * gone) counts as unknown, not as zero.
   */
  private static void add(
      Map<String, Double> values, Meter meter, double value, BinaryOperator<Double> merge) {
    if (Double.isNaN(value)) {
      return;
    }
    String key =
        tagOr(meter, WorkerMetrics.TAG_PROVIDER, "unknown")
            + "/"
            + tagOr(meter, WorkerMetrics.TAG_DEPLOYMENT, "unknown");
    values.merge(key, value, merge);
  }

  private static String tagOr(Meter meter, String key, String fallback) {
    String value = meter.getId().getTag(key);
    return value == null || value.isEmpty() ? fallback : value;
  }
}
