package io.aibroker.app.dashboard;

import java.util.Map;

/**
 * The cumulative values of the meters the dashboard shows, read at one instant. Rates come from the
 * difference of two readings.
 *
 * @param atMillis when it was read, epoch ms
 * @param requests requests finished (broker results, or provider outcomes without a broker)
 * @param failed of which did not succeed
 * @param latency latency histogram of those requests
 * @param cache cache lookups by result ({@code hit}, {@code miss}, {@code coalesced})
 * @param spend USD charged per tenant and model
 * @param deployments each provider deployment's state, keyed {@code provider/deployment}
 */
record MetricsReading(
    long atMillis,
    double requests,
    double failed,
    LatencyHistogram latency,
    Map<String, Double> cache,
    Map<TenantModel, Double> spend,
    Map<String, DeploymentState> deployments) {

  /** A tenant and a model, the tags spend is counted by. */
  record TenantModel(String tenant, String model) {}

  /**
   * One provider deployment as its worker sees it.
   *
   * @param provider the provider
   * @param deployment the deployment
   * @param circuit 0 closed, 1 half-open, 2 open, -1 unknown
   * @param inFlight calls in flight now
   * @param throttles calls the provider throttled, since start
   * @param retries calls made again after a retryable failure, since start
   */
  record DeploymentState(
      String provider,
      String deployment,
      int circuit,
      double inFlight,
      double throttles,
      double retries) {}
}
