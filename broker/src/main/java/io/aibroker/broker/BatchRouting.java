package io.aibroker.broker;

import io.aibroker.records.InferenceRequest;
import io.aibroker.records.Priority;
import io.aibroker.records.Route;
import io.aibroker.records.Task;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * When a request is pooled into a provider batch job instead of called in real time: it is of BATCH
 * priority, a CHAT that does not stream (a batch job returns whole answers), its first ordered
 * route pools batch jobs ({@link RouteOption#batch}), and its deadline, if it has one, lies beyond
 * that route's completion window (a job may take the whole window). It is then dispatched to a copy
 * of that route at the {@value #TIER} tier that carries the pooling options, and its first fallback
 * is the same route as a real-time call: a failed, expired or cancelled job, or a line the provider
 * failed, fails over ({@link Failover}) to a real-time call while the deadline allows. Every other
 * request is routed as ordered.
 */
final class BatchRouting {

  /** The service tier batch jobs are priced at. */
  static final String TIER = "batch";

  /**
   * The route a request's first dispatch goes to, and the routes to fail over to after it, in
   * order.
   */
  record Routing(Route route, List<Route> fallbacks) {

    /** The routes as ordered: the first now, the others as fallbacks. */
    static Routing asOrdered(List<Route> ordered) {
      return new Routing(ordered.getFirst(), List.copyOf(ordered.subList(1, ordered.size())));
    }
  }

  private BatchRouting() {}

  /**
   * The request's first dispatch over the routes {@link Router} ordered for it: to a batch job on
   * the first one when the request {@linkplain #pooled qualifies}, else as ordered.
   *
   * @param options the model's routes, with their batch settings
   * @param ordered the routes to try, first to last (never empty)
   */
  static Routing route(
      InferenceRequest request, List<RouteOption> options, List<Route> ordered, Instant now) {
    Route first = ordered.getFirst();
    BatchSettings batch = settingsOf(first, options);
    if (!pooled(request, batch, now)) {
      return Routing.asOrdered(ordered);
    }
    Route inBatch = Route.newBuilder(first).setServiceTier(TIER).setBatch(batch.options()).build();
    List<Route> fallbacks = new ArrayList<>(ordered.size());
    fallbacks.add(Route.newBuilder(first).setBatch(null).build()); // the same, in real time
    fallbacks.addAll(ordered.subList(1, ordered.size()));
    return new Routing(inBatch, List.copyOf(fallbacks));
  }

  /**
   * True when the request goes into a batch job on a route with these settings (null: a route that
   * does not pool).
   */
  static boolean pooled(InferenceRequest request, BatchSettings batch, Instant now) {
    return batch != null
        && request.getPriority() == Priority.BATCH
        && request.getTask() == Task.CHAT
        && !request.getStream()
        && (request.getDeadline() == null
            || request.getDeadline().isAfter(now.plus(batch.window())));
  }

  /** The batch settings of the model's option for this route; null when it does not pool. */
  private static BatchSettings settingsOf(Route route, List<RouteOption> options) {
    for (RouteOption option : options) {
      if (option.route().equals(route)) {
        return option.batch();
      }
    }
    return null;
  }
}
