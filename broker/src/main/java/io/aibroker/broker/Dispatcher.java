package io.aibroker.broker;

import io.aibroker.money.Usd;
import io.aibroker.records.CircuitState;
import io.aibroker.records.DispatchRequest;
import io.aibroker.records.InferenceRequest;
import io.aibroker.records.ProviderHealth;
import io.aibroker.records.ProviderOutcome;
import io.aibroker.records.Route;
import io.aibroker.records.internal.InFlightRequest;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;

/**
 * Sends admitted requests to providers: the first of the routes {@link Router} orders (leaving out
 * deployments whose circuit is open), the others as fallbacks; a BATCH request whose first route
 * pools batch jobs goes into one, with the same route in real time as its first fallback ({@link
 * BatchRouting}). A dispatched request is in flight until its outcome, with what it reserved and
 * how it fills the cache; it leads its content key for {@link Coalescing} and, under an idempotency
 * key of its own, is remembered there.
 */
final class Dispatcher {

  private final KeyValueStore<String, InFlightRequest> inFlight;
  private final ReadOnlyKeyValueStore<String, ProviderHealth> health;
  private final TenantTopics tenantTopics;
  private final Coalescing coalescing;
  private final Idempotency idempotency;
  private final Outputs outputs;

  Dispatcher(
      KeyValueStore<String, InFlightRequest> inFlight,
      ReadOnlyKeyValueStore<String, ProviderHealth> health,
      TenantTopics tenantTopics,
      Coalescing coalescing,
      Idempotency idempotency,
      Outputs outputs) {
    this.inFlight = inFlight;
    this.health = health;
    this.tenantTopics = tenantTopics;
    this.coalescing = coalescing;
    this.idempotency = idempotency;
    this.outputs = outputs;
  }

  /**
   * Dispatches an admitted request.
   *
   * @param cacheKey its content key, or null (cache bypassed, or a request admitted from the queue)
   * @param demand what its admission reserved
   */
  void dispatch(
      InferenceRequest request,
      ModelDefinition model,
      EffectivePolicy policy,
      String cacheKey,
      Demand demand,
      Instant now) {
    DispatchRequest dispatch = route(request, model, now);
    inFlight.put(
        request.getRequestId(),
        InFlightRequest.newBuilder()
            .setDispatch(dispatch)
            .setIdempotencyKey(Idempotency.key(request))
            .setCacheKey(cacheKey)
            .setCacheFill(ResponseCache.fills(request))
            .setCacheTtlSeconds(ResponseCache.ttlSeconds(request, policy))
            .setReservedTokens(demand.tokens())
            .setReservedCost(Usd.of(demand.cost()))
            .setReservedAt(now)
            .build());
    if (cacheKey != null && ResponseCache.looksUp(request)) {
      coalescing.lead(cacheKey, request.getRequestId());
    }
    idempotency.dispatched(request, now);
    outputs.dispatch(dispatch);
  }

  /**
   * The request's first dispatch: routes ordered for it, circuits that are open left out; pooled
   * into a provider batch job when {@link BatchRouting} says so.
   */
  DispatchRequest route(InferenceRequest request, ModelDefinition model, Instant now) {
    List<Route> ordered = Router.order(model.routes(), this::circuitOpen, request.getRequestId());
    BatchRouting.Routing routing = BatchRouting.route(request, model.routes(), ordered, now);
    return DispatchRequest.newBuilder()
        .setRequestId(request.getRequestId())
        .setTenantId(request.getTenantId())
        .setRequest(request)
        .setRoute(routing.route())
        .setAttempt(1)
        .setFallbacks(new ArrayList<>(routing.fallbacks()))
        .setDeadline(request.getDeadline())
        .setDispatchedAt(now)
        .setTenantTopics(tenantTopics.has(request.getTenantId()))
        .build();
  }

  private boolean circuitOpen(Route route) {
    ProviderHealth state = health.get(route.getDeployment());
    return state != null && state.getState() == CircuitState.OPEN;
  }

  /**
   * Sends the request in flight to its next route after a failed outcome ({@link Failover#next}).
   */
  void failOver(InFlightRequest running, ProviderOutcome failed, Instant now) {
    DispatchRequest next = Failover.next(running.getDispatch(), failed, now);
    running.setDispatch(next);
    inFlight.put(next.getRequestId(), running);
    outputs.dispatch(next);
  }

  /**
   * The request is no longer in flight: its outcome is final, and it no longer leads its content
   * key. Its entry is ended when its result is remembered ({@link Idempotency#rememberDone}).
   */
  void ended(String requestId, InFlightRequest running) {
    coalescing.ended(running.getCacheKey(), requestId);
  }
}
