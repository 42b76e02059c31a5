package io.aibroker.broker;

import io.aibroker.records.InferenceRequest;
import io.aibroker.records.internal.InFlightRequest;
import java.time.Instant;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * Identical requests in flight share one provider call: the first request dispatched under a
 * content key leads it, and later ones with the same key wait for the leader's result instead of
 * calling the provider again, as long as the leader's waiter list has room and their tenant's
 * limits let one more request in.
 *
 * <p>The leaders are kept in memory without a changelog: every leader is a request in flight whose
 * entry names its content key, so {@link #findLeaders} rebuilds them from the in-flight store when
 * a task starts (after a restart, a move or an aborted transaction). A changelogged store cost two
 * Kafka records per request (put at dispatch, delete at the end, in different commits) for state
 * the in-flight entries already hold.
 */
final class Coalescing {

  private final KeyValueStore<String, String> leaders;
  private final KeyValueStore<String, InFlightRequest> inFlight;
  private final WaitingRoom waitingRoom;
  private final Idempotency idempotency;
  private final BrokerMetrics metrics;

  Coalescing(
      KeyValueStore<String, String> leaders,
      KeyValueStore<String, InFlightRequest> inFlight,
      WaitingRoom waitingRoom,
      Idempotency idempotency,
      BrokerMetrics metrics) {
    this.leaders = leaders;
    this.inFlight = inFlight;
    this.waitingRoom = waitingRoom;
    this.idempotency = idempotency;
    this.metrics = metrics;
  }

  /**
   * Lets the request wait for the request in flight that leads its content key, and remembers it
   * under its idempotency key (so that its own duplicates wait too). False when there is no leader
   * in flight or the request may not wait: then it is admitted (or queued, or refused) on its own.
   */
  boolean join(InferenceRequest request, String cacheKey, EffectivePolicy policy, Instant now) {
    String leader = leaders.get(cacheKey);
    if (leader == null || inFlight.get(leader) == null) {
      return false;
    }
    Fingerprints fingerprints = Fingerprints.of(request);
    if (waitingRoom.join(leader, request, fingerprints, true, policy, now).isPresent()) {
      return false;
    }
    metrics.cache("coalesced");
    idempotency.remember(request, fingerprints, now, null);
    return true;
  }

  /**
   * Makes every request in flight that looks its content up lead its content key again (any of
   * them, where several ran with one key): the leaders as they were, from the entries that survive
   * a restart. Called once when a task starts, before it processes anything.
   */
  void findLeaders() {
    try (var all = inFlight.all()) {
      all.forEachRemaining(
          entry -> {
            InFlightRequest running = entry.value;
            if (running.getCacheKey() != null
                && ResponseCache.looksUp(running.getDispatch().getRequest())) {
              lead(running.getCacheKey(), entry.key);
            }
          });
    }
  }

  /** Makes the request just dispatched the leader of its content key. */
  void lead(String cacheKey, String requestId) {
    leaders.put(cacheKey, requestId);
  }

  /** The request no longer runs: it stops leading its content key, if it still does. */
  void ended(String cacheKey, String requestId) {
    if (cacheKey != null && requestId.equals(leaders.get(cacheKey))) {
      leaders.delete(cacheKey);
    }
  }
}
