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
 * <p>The leaders are kept in memory without a changelog, which cost two Kafka records per request
 * (put at dispatch, delete at the end, in different commits). A task that starts (after a restart,
 * a move or an aborted transaction) knows no leaders: an identical request that arrives while one
 * from before runs is dispatched on its own and leads from then on (one provider call more; both
 * are answered, the first one's waiters by it). Rebuilding them would mean scanning the in-flight
 * store, which also keeps the requests done within the idempotency window ({@link
 * Idempotency#remember}).
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
    InFlightRequest running = leader == null ? null : inFlight.get(leader);
    if (running == null || running.getFinalResult() != null) {
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
