package io.aibroker.broker;

import static org.assertj.core.api.Assertions.assertThat;

import io.aibroker.records.Route;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Route order for one request: priority, open circuits, a weighted draw by request id. */
class RouterTest {

  private static final Route A = new Route("p", "a", "m-a", "standard", null);
  private static final Route B = new Route("p", "b", "m-b", "standard", null);
  private static final Route C = new Route("p", "c", "m-c", "standard", null);
  private static final Route D = new Route("q", "d", "m-d", "standard", null);

  private static List<Route> order(List<RouteOption> options, Set<Route> open, String id) {
    return Router.order(options, open::contains, id);
  }

  @Test
  void theLowestPriorityGoesFirstAndHigherOnesFollowAsFailover() {
    List<RouteOption> options =
        List.of(new RouteOption(D, 1, 2), new RouteOption(C, 1, 1), new RouteOption(A, 1, 0));

    assertThat(order(options, Set.of(), "r1")).containsExactly(A, C, D);
  }

  @Test
  void routesWithAnOpenCircuitAreLeftOutUnlessAllAre() {
    List<RouteOption> options = List.of(new RouteOption(A, 1, 0), new RouteOption(B, 1, 1));

    assertThat(order(options, Set.of(A), "r1")).containsExactly(B);
    assertThat(order(options, Set.of(A, B), "r1")).containsExactly(A, B);
  }

  @Test
  void theSameRequestIdAlwaysRoutesTheSameWay() {
    List<RouteOption> options =
        List.of(new RouteOption(A, 1, 0), new RouteOption(B, 1, 0), new RouteOption(C, 1, 0));

    for (int i = 0; i < 50; i++) {
      assertThat(order(options, Set.of(), "req-" + i))
          .isEqualTo(order(options, Set.of(), "req-" + i));
    }
  }

  @Test
  void withinAPriorityTheFirstRouteIsDrawnByWeight() {
    List<RouteOption> options = List.of(new RouteOption(A, 3, 0), new RouteOption(B, 1, 0));
    Map<Route, Integer> firsts = new HashMap<>();

    for (int i = 0; i < 4_000; i++) {
      firsts.merge(order(options, Set.of(), "req-" + i).getFirst(), 1, Integer::sum);
    }

    assertThat(firsts.get(A)).isBetween(2_700, 3_300);
    assertThat(firsts.get(B)).isBetween(700, 1_300);
  }

  @Test
  void theRoutesNotDrawnFollowHeaviestFirst() {
    List<RouteOption> options =
        List.of(new RouteOption(A, 1, 0), new RouteOption(B, 5, 0), new RouteOption(C, 3, 0));

    for (int i = 0; i < 50; i++) {
      List<Route> ordered = order(options, Set.of(), "req-" + i);
      assertThat(ordered).hasSize(3).containsExactlyInAnyOrder(A, B, C);
      List<Route> rest = ordered.subList(1, 3);
      List<Route> heaviestFirst = List.of(B, C, A).stream().filter(rest::contains).toList();
      assertThat(rest).isEqualTo(heaviestFirst);
    }
  }
}
