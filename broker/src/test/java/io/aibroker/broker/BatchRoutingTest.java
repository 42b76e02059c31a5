package io.aibroker.broker;

import static io.aibroker.broker.TestRequests.BATCH;
import static io.aibroker.broker.TestRequests.FALLBACK;
import static io.aibroker.broker.TestRequests.NOW;
import static io.aibroker.broker.TestRequests.PRIMARY;
import static io.aibroker.broker.TestRequests.chat;
import static org.assertj.core.api.Assertions.assertThat;

import io.aibroker.records.BatchOptions;
import io.aibroker.records.InferenceRequest;
import io.aibroker.records.Priority;
import io.aibroker.records.Route;
import io.aibroker.records.Task;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Which requests go into a provider batch job, and how their first dispatch is routed then. */
class BatchRoutingTest {

  private static final List<RouteOption> OPTIONS =
      List.of(new RouteOption(PRIMARY, 1, 0, BATCH), new RouteOption(FALLBACK, 1, 1));
  private static final List<Route> ORDERED = List.of(PRIMARY, FALLBACK);

  private static InferenceRequest.Builder batchChat() {
    return chat("r1", "acme", "summarise this").setModel("chat-batch").setPriority(Priority.BATCH);
  }

  private static BatchRouting.Routing route(InferenceRequest request) {
    return BatchRouting.route(request, OPTIONS, ORDERED, NOW);
  }

  @Test
  void poolsABatchChatIntoABatchJobOnItsFirstRouteAtTheBatchTier() {
    BatchRouting.Routing routing = route(batchChat().build());

    assertThat(routing.route().getProvider()).isEqualTo(PRIMARY.getProvider());
    assertThat(routing.route().getDeployment()).isEqualTo(PRIMARY.getDeployment());
    assertThat(routing.route().getProviderModel()).isEqualTo(PRIMARY.getProviderModel());
    assertThat(routing.route().getServiceTier()).isEqualTo("batch");
    assertThat(routing.route().getBatch())
        .isEqualTo(new BatchOptions(2_000L, 1, 1000, Duration.ofHours(24).toMillis()));
  }

  @Test
  void failsOverToTheSameRouteInRealTimeFirstThenToTheOtherRoutes() {
    BatchRouting.Routing routing = route(batchChat().build());

    assertThat(routing.fallbacks()).containsExactly(PRIMARY, FALLBACK);
    assertThat(routing.fallbacks().getFirst().getBatch()).isNull();
    assertThat(routing.fallbacks().getFirst().getServiceTier()).isEqualTo("standard");
  }

  @Test
  void poolsARequestWhoseDeadlineLiesBeyondTheWindow() {
    var request = batchChat().setDeadline(NOW.plus(Duration.ofHours(25))).build();

    assertThat(route(request).route().getBatch()).isNotNull();
  }

  @Test
  void callsInRealTimeWhenTheDeadlineIsShorterThanTheWindow() {
    var request = batchChat().setDeadline(NOW.plus(Duration.ofHours(2))).build();

    BatchRouting.Routing routing = route(request);

    assertThat(routing.route()).isEqualTo(PRIMARY);
    assertThat(routing.fallbacks()).containsExactly(FALLBACK);
  }

  @Test
  void callsInRealTimeWhenTheDeadlineIsExactlyTheWindowAway() {
    var request = batchChat().setDeadline(NOW.plus(BATCH.window())).build();

    assertThat(route(request).route()).isEqualTo(PRIMARY);
  }

  @Test
  void callsInteractiveRequestsInRealTime() {
    var request = batchChat().setPriority(Priority.INTERACTIVE).build();

    assertThat(route(request).route()).isEqualTo(PRIMARY);
  }

  @Test
  void callsStreamingRequestsInRealTimeSinceABatchJobReturnsWholeAnswers() {
    var request = batchChat().setStream(true).build();

    assertThat(route(request).route()).isEqualTo(PRIMARY);
  }

  @Test
  void callsEmbeddingsInRealTime() {
    var request = batchChat().setTask(Task.EMBED).setInputs(List.of("a")).build();

    assertThat(route(request).route()).isEqualTo(PRIMARY);
  }

  @Test
  void callsInRealTimeWhenTheFirstOrderedRouteDoesNotPool() {
    // e.g. the batch route's circuit is open, so the router put the other route first
    var routing = BatchRouting.route(batchChat().build(), OPTIONS, List.of(FALLBACK), NOW);

    assertThat(routing.route()).isEqualTo(FALLBACK);
    assertThat(routing.fallbacks()).isEmpty();
  }

  @Test
  void callsInRealTimeOnAModelWithoutBatchRoutes() {
    var options = List.of(RouteOption.of(PRIMARY), new RouteOption(FALLBACK, 1, 1));

    var routing = BatchRouting.route(batchChat().build(), options, ORDERED, NOW);

    assertThat(routing.route()).isEqualTo(PRIMARY);
    assertThat(routing.fallbacks()).containsExactly(FALLBACK);
  }
}
