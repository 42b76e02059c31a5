package io.aibroker.workers;

import io.aibroker.records.Route;
import java.util.Objects;

/**
 * A provider deployment: unit of concurrency limits and circuit breaking (docs/ARCHITECTURE.md).
 *
 * @param provider the connector name
 * @param name the route's deployment name; the key of its ProviderHealth records
 */
record Deployment(String provider, String name) {

  /** Requires both names. */
  Deployment {
    Objects.requireNonNull(provider, "provider");
    Objects.requireNonNull(name, "name");
  }

  /** The deployment a route calls. */
  static Deployment of(Route route) {
    return new Deployment(route.getProvider(), route.getDeployment());
  }

  @Override
  public String toString() {
    return provider + "/" + name;
  }
}
