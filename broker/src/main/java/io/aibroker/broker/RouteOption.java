package io.aibroker.broker;

import io.aibroker.records.Route;
import java.util.Objects;

/**
 * A route of a model with its routing weight and priority, and how it pools BATCH requests into
 * provider batch jobs if it does.
 *
 * @param route provider, deployment and provider model
 * @param weight share of traffic among routes of the same priority (> 0)
 * @param priority lower is preferred; higher priorities are failover targets
 * @param batch how BATCH requests are pooled into batch jobs on this route ({@link BatchRouting});
 *     null when the route only calls in real time
 */
public record RouteOption(Route route, int weight, int priority, BatchSettings batch) {

  /** Validates the option. */
  public RouteOption {
    Objects.requireNonNull(route, "route");
    if (weight <= 0) {
      throw new IllegalArgumentException("route weight must be > 0, was " + weight);
    }
  }

  /** A route that only calls in real time. */
  public RouteOption(Route route, int weight, int priority) {
    this(route, weight, priority, null);
  }

  /** A route with weight 1 and priority 0. */
  public static RouteOption of(Route route) {
    return new RouteOption(route, 1, 0);
  }
}
