package io.aibroker.app.dashboard;

import io.aibroker.app.http.TokenTotals;
import java.util.List;

/**
 * What {@code GET /dashboard/data} returns: the sliding window of samples the page draws. Times are
 * epoch milliseconds, latencies milliseconds, money USD. A value that cannot be known (no traffic
 * in a window, no lookups yet) is null, which the charts draw as a gap.
 *
 * @param generatedAt when this snapshot was taken
 * @param intervalMs time between samples
 * @param rateWindowSeconds width of the moving window rates and percentiles are taken over
 * @param components which parts run in this process
 * @param requestsSource {@code broker} (terminal results, end to end) or {@code worker} (provider
 *     calls), whichever this process can see
 * @param totals requests since the process started
 * @param throughput requests per second, one point per sample
 * @param latency latency per sample
 * @param cache cache lookups since the process started
 * @param spend USD charged since the process started
 * @param providers each provider deployment's health and its history over the window
 * @param tokensToday every tenant's tokens by class since the start of the UTC day, from the usage
 *     rollups; null in a process that does not read them (no broker) or before it caught up
 */
public record DashboardSnapshot(
    long generatedAt,
    long intervalMs,
    double rateWindowSeconds,
    Components components,
    String requestsSource,
    Totals totals,
    List<ThroughputPoint> throughput,
    Latency latency,
    Cache cache,
    Spend spend,
    List<ProviderHealth> providers,
    TokenTotals tokensToday) {

  /** Which components run in this process. */
  public record Components(boolean broker, boolean worker) {}

  /** Requests finished since start, and how many of them did not succeed. */
  public record Totals(double requests, double failed) {}

  /** Requests and failures per second over the moving window ending at {@code t}. */
  public record ThroughputPoint(long t, double rps, double errorsPerSecond) {}

  /**
   * Latency points; {@code percentiles} is false when the timers publish no histogram, and then
   * only {@code mean} is set.
   */
  public record Latency(boolean percentiles, List<LatencyPoint> points) {}

  /** Latency over the moving window ending at {@code t}, in ms. */
  public record LatencyPoint(long t, Double p50, Double p95, Double p99, Double mean) {}

  /** Cache lookups by result; {@code hitRate} = hits / lookups, null before the first lookup. */
  public record Cache(double hits, double misses, double coalesced, Double hitRate) {}

  /** Spend in total, per tenant, per model and per tenant and model, highest first. */
  public record Spend(
      double totalUsd,
      List<Amount> byTenant,
      List<Amount> byModel,
      List<TenantModelAmount> byTenantAndModel) {}

  /** USD under a name. */
  public record Amount(String name, double usd) {}

  /** USD charged to a tenant for a model. */
  public record TenantModelAmount(String tenant, String model, double usd) {}

  /**
   * A provider deployment: its circuit now ({@code closed}, {@code half-open}, {@code open} or
   * {@code unknown}), calls in flight, throttles and retries since start, and its circuit state at
   * each sample of the window.
   */
  public record ProviderHealth(
      String provider,
      String deployment,
      String state,
      double inFlight,
      double throttles,
      double retries,
      List<StatePoint> timeline) {}

  /** A circuit state at {@code t}: 0 closed, 1 half-open, 2 open, -1 not reported. */
  public record StatePoint(long t, int circuit) {}
}
