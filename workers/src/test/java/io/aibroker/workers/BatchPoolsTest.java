package io.aibroker.workers;

import static org.assertj.core.api.Assertions.assertThat;

import io.aibroker.records.BatchOptions;
import io.aibroker.records.DispatchRequest;
import io.aibroker.records.Route;
import io.aibroker.testing.MutableClock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class BatchPoolsTest {

  final MutableClock clock = new MutableClock(Instant.parse("2026-12-07T10:00:00Z"));
  final List<List<BatchPools.Pooled>> opened = new ArrayList<>();
  final BatchPools pools = new BatchPools(clock, (key, lines) -> opened.add(lines));

  static Route route(String deployment, int minLines, int maxLines) {
    return Route.newBuilder()
        .setProvider("bedrock")
        .setDeployment(deployment)
        .setProviderModel("model-a")
        .setServiceTier("batch")
        .setBatch(new BatchOptions(2_000L, minLines, maxLines, Duration.ofHours(24).toMillis()))
        .build();
  }

  static DispatchRequest dispatch(String id, Route route) {
    return Dispatches.chat(id, "acme", route);
  }

  @Test
  void opensAJobAsSoonAsAPoolHoldsMaxLines() {
    Route route = route("dep", 1, 3);
    for (int i = 0; i < 3; i++) {
      pools.add(dispatch("r" + i, route), new Processing());
    }

    assertThat(opened).hasSize(1);
    assertThat(opened.getFirst())
        .extracting(p -> p.dispatch().getRequestId())
        .containsExactly("r0", "r1", "r2");
    assertThat(pools.size()).isZero();
  }

  @Test
  void opensAJobOnceTheOldestDispatchWaitedMaxWait() {
    Route route = route("dep", 1, 100);
    pools.add(dispatch("r0", route), new Processing());
    clock.advance(Duration.ofMillis(1_999));
    pools.flushDue();
    assertThat(opened).isEmpty();

    clock.advance(Duration.ofMillis(1));
    pools.flushDue();

    assertThat(opened).hasSize(1);
  }

  @Test
  void waitsForMinLinesBeyondMaxWait() {
    Route route = route("dep", 2, 100);
    pools.add(dispatch("r0", route), new Processing());
    clock.advance(Duration.ofSeconds(5));
    pools.flushDue();
    assertThat(opened).isEmpty();

    pools.add(dispatch("r1", route), new Processing());
    pools.flushDue();

    assertThat(opened).hasSize(1);
    assertThat(opened.getFirst()).hasSize(2);
  }

  @Test
  void submitsAPoolShortOfMinLinesOnceItWaitedThirtyTimesMaxWait() {
    pools.add(dispatch("r0", route("dep", 5, 100)), new Processing());
    clock.advance(Duration.ofSeconds(59));
    pools.flushDue();
    assertThat(opened).isEmpty();

    clock.advance(Duration.ofSeconds(1));
    pools.flushDue();

    assertThat(opened).hasSize(1);
  }

  @Test
  void poolsEachDeploymentApart() {
    pools.add(dispatch("r0", route("dep-a", 1, 2)), new Processing());
    pools.add(dispatch("r1", route("dep-b", 1, 2)), new Processing());
    assertThat(opened).isEmpty();

    pools.add(dispatch("r2", route("dep-a", 1, 2)), new Processing());

    assertThat(opened).hasSize(1);
    assertThat(opened.getFirst())
        .extracting(p -> p.dispatch().getRoute().getDeployment())
        .containsOnly("dep-a");
    assertThat(pools.size()).isEqualTo(1);
  }

  @Test
  void leavesOutRecordsAbandonedWhileTheyWaited() {
    Route route = route("dep", 1, 100);
    Processing abandoned = new Processing();
    pools.add(dispatch("r0", route), abandoned);
    pools.add(dispatch("r1", route), new Processing());
    abandoned.abandon();
    clock.advance(Duration.ofSeconds(3));

    pools.flushDue();

    assertThat(opened.getFirst())
        .extracting(p -> p.dispatch().getRequestId())
        .containsExactly("r1");
  }

  @Test
  void onlyDispatchesWithBatchOptionsArePooled() {
    Route plain = Route.newBuilder(route("dep", 1, 1)).setBatch(null).build();

    assertThat(BatchPools.isBatch(dispatch("r0", route("dep", 1, 1)))).isTrue();
    assertThat(BatchPools.isBatch(dispatch("r1", plain))).isFalse();
  }
}
