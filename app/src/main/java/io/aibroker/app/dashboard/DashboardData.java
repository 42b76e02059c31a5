package io.aibroker.app.dashboard;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.aibroker.app.dashboard.DashboardSnapshot.Amount;
import io.aibroker.app.dashboard.DashboardSnapshot.Cache;
import io.aibroker.app.dashboard.DashboardSnapshot.Components;
import io.aibroker.app.dashboard.DashboardSnapshot.Latency;
import io.aibroker.app.dashboard.DashboardSnapshot.LatencyPoint;
import io.aibroker.app.dashboard.DashboardSnapshot.ProviderHealth;
import io.aibroker.app.dashboard.DashboardSnapshot.Spend;
import io.aibroker.app.dashboard.DashboardSnapshot.StatePoint;
import io.aibroker.app.dashboard.DashboardSnapshot.TenantModelAmount;
import io.aibroker.app.dashboard.DashboardSnapshot.ThroughputPoint;
import io.aibroker.app.dashboard.DashboardSnapshot.Totals;
import io.aibroker.app.dashboard.MetricsReading.DeploymentState;
import io.aibroker.app.http.TokenTotals;
import io.aibroker.workers.WorkerMetrics;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.Supplier;

/**
 * The dashboard's data: a sliding window of {@link MetricsReading}s taken from the process's
 * registry by {@link #sample()}, turned into rates, latency percentiles, the cache hit rate, spend
 * and provider health by {@link #snapshot()}. Counters are cumulative, so a rate is the difference
 * of two readings over the time between them, as Prometheus' {@code rate()} does.
 */
public final class DashboardData {

  /** Time between samples the {@link DashboardSampler} takes. */
  public static final Duration INTERVAL = Duration.ofSeconds(1);

  /** Samples kept: five minutes at one a second. */
  static final int DEFAULT_CAPACITY = 300;

  /** Rates and percentiles are over the last five samples, which smooths bursty commits. */
  static final int DEFAULT_RATE_WINDOW = 5;

  private static final ObjectMapper JSON = new ObjectMapper();

  private final RegistryReader reader;
  private final Clock clock;
  private final Components components;
  private final int capacity;
  private final int rateWindow;
  private final ArrayDeque<MetricsReading> readings = new ArrayDeque<>();
  private volatile Supplier<Optional<TokenTotals>> tokensToday = Optional::empty;

  /**
   * Data read from {@code registry}.
   *
   * @param registry the process's meters
   * @param clock wall clock the samples are stamped with
   * @param broker whether the broker runs in this process (requests and latency are then its
   *     results; without it, the workers' provider calls)
   * @param worker whether workers run in this process
   */
  public DashboardData(MeterRegistry registry, Clock clock, boolean broker, boolean worker) {
    this(registry, clock, broker, worker, DEFAULT_CAPACITY, DEFAULT_RATE_WINDOW);
  }

  DashboardData(
      MeterRegistry registry,
      Clock clock,
      boolean broker,
      boolean worker,
      int capacity,
      int rateWindow) {
    if (capacity < 2 || rateWindow < 1) {
      throw new IllegalArgumentException("capacity >= 2 and rateWindow >= 1 required");
    }
    this.reader = new RegistryReader(registry, broker);
    this.clock = clock;
    this.components = new Components(broker, worker);
    this.capacity = capacity;
    this.rateWindow = rateWindow;
  }

  /** Reads the registry now and adds the reading to the window, dropping the oldest if full. */
  public void sample() {
    MetricsReading reading = reader.read(clock.millis());
    synchronized (readings) {
      readings.addLast(reading);
      while (readings.size() > capacity) {
        readings.removeFirst();
      }
    }
  }

  /** The window as the page draws it. */
  public DashboardSnapshot snapshot() {
    List<MetricsReading> window;
    synchronized (readings) {
      window = new ArrayList<>(readings);
    }
    MetricsReading last =
        window.isEmpty() ? reader.read(clock.millis()) : window.get(window.size() - 1);
    List<ThroughputPoint> throughput = new ArrayList<>();
    List<LatencyPoint> latency = new ArrayList<>();
    for (int i = 1; i < window.size(); i++) {
      MetricsReading now = window.get(i);
      MetricsReading then = window.get(Math.max(0, i - rateWindow));
      double seconds = (now.atMillis() - then.atMillis()) / 1000.0;
      if (seconds <= 0) {
        continue;
      }
      throughput.add(
          new ThroughputPoint(
              now.atMillis(),
              Math.max(0, now.requests() - then.requests()) / seconds,
              Math.max(0, now.failed() - then.failed()) / seconds));
      LatencyHistogram delta = now.latency().minus(then.latency());
      latency.add(
          new LatencyPoint(
              now.atMillis(),
              delta.percentile(0.50),
              delta.percentile(0.95),
              delta.percentile(0.99),
              delta.mean()));
    }
    return new DashboardSnapshot(
        clock.millis(),
        INTERVAL.toMillis(),
        rateWindow * INTERVAL.toMillis() / 1000.0,
        components,
        reader.readsBroker() ? "broker" : "worker",
        new Totals(last.requests(), last.failed()),
        throughput,
        // until a timer has recorded, assume percentiles: both of ours publish histograms
        new Latency(last.latency().hasBuckets() || last.latency().count() == 0, latency),
        cache(last.cache()),
        spend(last.spend()),
        providers(window, last),
        tokensToday.get().orElse(null));
  }

  /**
   * Shows the day's tokens by class from the usage rollups, which only a process serving the API
   * reads: meters count since the process started, rollups what the ledger holds.
   */
  public void showTokensFrom(Supplier<Optional<TokenTotals>> tokensToday) {
    this.tokensToday = tokensToday;
  }

  /** The {@link #snapshot()} as JSON. */
  public String json() {
    try {
      return JSON.writeValueAsString(snapshot());
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("dashboard data is not serializable", e);
    }
  }

  private static Cache cache(Map<String, Double> lookups) {
    double hits = lookups.getOrDefault("hit", 0.0);
    double misses = lookups.getOrDefault("miss", 0.0);
    double coalesced = lookups.getOrDefault("coalesced", 0.0);
    double total = hits + misses + coalesced;
    return new Cache(hits, misses, coalesced, total == 0 ? null : hits / total);
  }

  private static Spend spend(Map<MetricsReading.TenantModel, Double> spend) {
    Map<String, Double> byTenant = new TreeMap<>();
    Map<String, Double> byModel = new TreeMap<>();
    List<TenantModelAmount> byTenantAndModel = new ArrayList<>();
    double total = 0;
    for (var entry : spend.entrySet()) {
      double usd = entry.getValue();
      byTenant.merge(entry.getKey().tenant(), usd, Double::sum);
      byModel.merge(entry.getKey().model(), usd, Double::sum);
      byTenantAndModel.add(
          new TenantModelAmount(entry.getKey().tenant(), entry.getKey().model(), usd));
      total += usd;
    }
    byTenantAndModel.sort(Comparator.comparingDouble(TenantModelAmount::usd).reversed());
    return new Spend(total, highestFirst(byTenant), highestFirst(byModel), byTenantAndModel);
  }

  private static List<Amount> highestFirst(Map<String, Double> amounts) {
    return amounts.entrySet().stream()
        .map(e -> new Amount(e.getKey(), e.getValue()))
        .sorted(Comparator.comparingDouble(Amount::usd).reversed())
        .toList();
  }

  private static List<ProviderHealth> providers(List<MetricsReading> window, MetricsReading last) {
    List<ProviderHealth> providers = new ArrayList<>();
    for (var entry : last.deployments().entrySet()) {
      DeploymentState state = entry.getValue();
      List<StatePoint> timeline = new ArrayList<>();
      for (MetricsReading reading : window) {
        DeploymentState then = reading.deployments().get(entry.getKey());
        timeline.add(new StatePoint(reading.atMillis(), then == null ? -1 : then.circuit()));
      }
      providers.add(
          new ProviderHealth(
              state.provider(),
              state.deployment(),
              circuitName(state.circuit()),
              state.inFlight(),
              state.throttles(),
              state.retries(),
              timeline));
    }
    return providers;
  }

  private static String circuitName(int circuit) {
    return switch (circuit) {
      case WorkerMetrics.CIRCUIT_CLOSED -> "closed";
      case WorkerMetrics.CIRCUIT_HALF_OPEN -> "half-open";
      case WorkerMetrics.CIRCUIT_OPEN -> "open";
      default -> "unknown";
    };
  }
}
