package io.aibroker.broker;

import io.aibroker.records.Route;
import java.util.Objects;

/**
 * A route of a model with its routing weight and priority.
 *
 * @param route provider, deployment and provider model
 * @param weight share of traffic among routes of the same priority (> 0)
 * @param priority lower is preferred; higher priorities are failover targets
 */
public record RouteOption(Route route, int weight, int priority) {

  /** Validates the option. */
  public RouteOption {
    Objects.requireNonNull(route, "route");
    if (weight <= 0) {
      throw new IllegalArgumentException("route weight must be > 0, was " + weight);
    }
  }

  /** A route with weight 1 and priority 0. */
  public static RouteOption of(Route route) {
    return new RouteOption(route, 1, 0);
  }
}
