package io.aibroker.broker;

import java.time.Duration;
import java.util.Objects;

/**
 * How the broker knows and bounds tenants.
 *
 * @param sharedIngress read the shared requests topic, whose records name their tenant themselves
 *     (for trusted producers); false: only tenants' own topics {@code
 *     <prefix>.requests.<tenantId>}, where the topic names the tenant
 * @param unknownTenants what happens to requests of tenants without a policy on the tenants topic
 * @param maxWaiters most requests that may wait for one request's result (duplicates by idempotency
 *     key and identical requests coalesced into its provider call)
 * @param maxWaiterBytes most bytes of waiting requests per request, so that the waiter list (one
 *     store record) stays far below the largest record the broker can write
 * @param ingressDiscovery how soon a tenant topic created while the broker runs is read: the
 *     metadata refresh of the broker's consumer (Kafka's default is 5 minutes)
 */
public record Tenancy(
    boolean sharedIngress,
    UnknownTenants unknownTenants,
    int maxWaiters,
    long maxWaiterBytes,
    Duration ingressDiscovery) {

  /** What the broker does with a request whose tenant has no policy. */
  public enum UnknownTenants {
    /** Serve it under the configured tenant defaults. */
    DEFAULTS,
    /** Reject it with {@code UNKNOWN_TENANT}. */
    REJECT
  }

  /** Default of {@link #maxWaiters()}. */
  public static final int DEFAULT_MAX_WAITERS = 100;

  /** Default of {@link #maxWaiterBytes()}: 1 MiB. */
  public static final long DEFAULT_MAX_WAITER_BYTES = 1L << 20;

  /** Validates the settings. */
  public Tenancy {
    Objects.requireNonNull(unknownTenants, "unknownTenants");
    Objects.requireNonNull(ingressDiscovery, "ingressDiscovery");
    if (maxWaiters < 0 || maxWaiterBytes < 0) {
      throw new IllegalArgumentException("waiter limits must not be negative");
    }
    if (maxWaiterBytes > BrokerConfig.CARRIER_MAX_MESSAGE_BYTES / 2) {
      throw new IllegalArgumentException(
          "maxWaiterBytes must stay at most half the broker's record limit ("
              + BrokerConfig.CARRIER_MAX_MESSAGE_BYTES / 2
              + "), was "
              + maxWaiterBytes);
    }
    if (ingressDiscovery.isNegative() || ingressDiscovery.isZero()) {
      throw new IllegalArgumentException("ingressDiscovery must be positive");
    }
  }

  /**
   * Shared ingress on, unknown tenants served with defaults, 100 waiters in 1 MiB, 3 s discovery.
   */
  public static Tenancy defaults() {
    return new Tenancy(
        true,
        UnknownTenants.DEFAULTS,
        DEFAULT_MAX_WAITERS,
        DEFAULT_MAX_WAITER_BYTES,
        Duration.ofSeconds(3));
  }

  /** These settings with the given treatment of unknown tenants. */
  public Tenancy withUnknownTenants(UnknownTenants treatment) {
    return new Tenancy(sharedIngress, treatment, maxWaiters, maxWaiterBytes, ingressDiscovery);
  }
}
