package io.aibroker.broker;

import io.aibroker.records.Task;
import java.util.List;
import java.util.Objects;

/**
 * A logical model that tenants ask for by name, and the provider routes that serve it, in order of
 * preference (the first is tried first; the others are failover targets).
 *
 * @param name logical model name, e.g. {@code chat-default}
 * @param task what the model does
 * @param maxOutputTokens upper bound for a request's {@code maxTokens}; also the reservation when
 *     the request gives none
 * @param routes provider routes, most preferred first; never empty
 */
public record ModelDefinition(
    String name, Task task, int maxOutputTokens, List<RouteOption> routes) {

  /** Validates the definition. */
  public ModelDefinition {
    Objects.requireNonNull(name, "model name");
    Objects.requireNonNull(task, "task of model " + name);
    if (maxOutputTokens <= 0) {
      throw new IllegalArgumentException("model " + name + ": maxOutputTokens must be > 0");
    }
    if (routes == null || routes.isEmpty()) {
      throw new IllegalArgumentException("model " + name + " needs at least one route");
    }
    routes = List.copyOf(routes);
  }
}
