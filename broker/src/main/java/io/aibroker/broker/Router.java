package io.aibroker.broker;

import io.aibroker.records.Route;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Predicate;

/**
 * Orders a model's routes for one request: routes whose circuit is open are left out (unless all
 * are), the lowest priority goes first, and within a priority one route is drawn by weight — from
 * the request id, so a replay routes the same way. The remaining routes follow as failover targets.
 */
final class Router {

  private Router() {}

  static List<Route> order(List<RouteOption> options, Predicate<Route> open, String requestId) {
    List<RouteOption> usable = options.stream().filter(o -> !open.test(o.route())).toList();
    if (usable.isEmpty()) {
      usable = options; // everything is failing: trying beats refusing
    }
    Map<Integer, List<RouteOption>> byPriority = new TreeMap<>();
    usable.forEach(o -> byPriority.computeIfAbsent(o.priority(), p -> new ArrayList<>()).add(o));
    List<Route> ordered = new ArrayList<>();
    long seed = Integer.toUnsignedLong(requestId.hashCode());
    for (List<RouteOption> group : byPriority.values()) {
      RouteOption first = drawByWeight(group, seed);
      ordered.add(first.route());
      group.stream()
          .filter(o -> o != first)
          .sorted(Comparator.comparingInt(RouteOption::weight).reversed())
          .forEach(o -> ordered.add(o.route()));
    }
    return ordered;
  }

  private static RouteOption drawByWeight(List<RouteOption> group, long seed) {
    int total = group.stream().mapToInt(RouteOption::weight).sum();
    long ticket = seed % total;
    for (RouteOption option : group) {
      ticket -= option.weight();
      if (ticket < 0) {
        return option;
      }
    }
    return group.getLast();
  }
}
