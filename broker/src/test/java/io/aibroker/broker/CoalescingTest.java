package io.aibroker.broker;

import static io.aibroker.broker.TestRequests.NOW;
import static io.aibroker.broker.TestRequests.chat;
import static org.assertj.core.api.Assertions.assertThat;

import io.aibroker.records.DispatchRequest;
import io.aibroker.records.InferenceRequest;
import io.aibroker.records.internal.InFlightRequest;
import io.aibroker.records.internal.Waiter;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Content leaders and the identical requests that wait for them, on in-memory stores. */
class CoalescingTest {

  private final RuleFixture fixture = new RuleFixture();
  private final WaitingRoom waitingRoom = fixture.waitingRoom();
  private final Idempotency idempotency = fixture.idempotency(waitingRoom);
  private final Coalescing coalescing = coalescing(waitingRoom);

  private Coalescing coalescing(WaitingRoom room) {
    return new Coalescing(
        fixture.contentLeaders, fixture.inFlight, room, idempotency, fixture.metrics);
  }

  private void running(String requestId) {
    InferenceRequest request = chat(requestId, "acme", "same").build();
    fixture.inFlight.put(
        requestId,
        InFlightRequest.newBuilder()
            .setDispatch(
                DispatchRequest.newBuilder()
                    .setRequestId(requestId)
                    .setTenantId("acme")
                    .setRequest(request)
                    .setRoute(TestRequests.PRIMARY)
                    .setDispatchedAt(NOW)
                    .build())
            .setIdempotencyKey(requestId)
            .setCacheKey("key-1")
            .setReservedCost(BigDecimal.ZERO)
            .setReservedAt(NOW)
            .build());
  }

  @Test
  void withoutALeaderInFlightARequestDoesNotJoin() {
    InferenceRequest request = chat("r2", "acme", "same").build();

    assertThat(coalescing.join(request, "key-1", RuleFixture.unlimited(), NOW)).isFalse();

    coalescing.lead("key-1", "r1"); // its request is no longer in flight
    assertThat(coalescing.join(request, "key-1", RuleFixture.unlimited(), NOW)).isFalse();
    assertThat(fixture.waiters.get("r1")).isNull();
  }

  @Test
  void anIdenticalRequestWaitsForTheLeaderAndIsRememberedUnderItsKey() {
    running("r1");
    coalescing.lead("key-1", "r1");
    InferenceRequest request = chat("r2", "acme", "same").build();

    assertThat(coalescing.join(request, "key-1", RuleFixture.unlimited(), NOW)).isTrue();

    List<Waiter> waiting = fixture.waiters.get("r1").getWaiters();
    assertThat(waiting).hasSize(1);
    assertThat(waiting.getFirst().getCoalesced()).isTrue();
    assertThat(waiting.getFirst().getRequest().getRequestId()).isEqualTo("r2");
    assertThat(waiting.getFirst().getRequest().getMessages()).isEmpty(); // the prompt stays out
    assertThat(fixture.idempotency.get(Idempotency.storeKey(request)).getRequestId())
        .isEqualTo("r2");
    assertThat(fixture.usage.get("acme").getInFlight()).isEqualTo(1); // the joiner counts
    assertThat(fixture.counted(BrokerMetrics.CACHE, "result", "coalesced")).isEqualTo(1);
  }

  @Test
  void aRequestThatMayNotWaitDoesNotJoin() {
    running("r1");
    Coalescing full =
        coalescing(
            fixture.waitingRoom(
                new Tenancy(
                    true, Tenancy.UnknownTenants.DEFAULTS, 0, 1 << 20, Duration.ofSeconds(3))));
    full.lead("key-1", "r1");

    assertThat(full.join(chat("r2", "acme", "same").build(), "key-1", RuleFixture.unlimited(), NOW))
        .isFalse();
    assertThat(fixture.counted(BrokerMetrics.CACHE, "result", "coalesced")).isZero();
  }

  @Test
  void aRequestThatEndsStopsLeadingOnlyTheKeyItStillLeads() {
    coalescing.lead("key-1", "r1");
    coalescing.lead("key-2", "r3");

    coalescing.ended("key-1", "r1");
    coalescing.ended("key-2", "r2");
    coalescing.ended(null, "r4");

    assertThat(fixture.contentLeaders.get("key-1")).isNull();
    assertThat(fixture.contentLeaders.get("key-2")).isEqualTo("r3");
  }

  @Test
  void aLeaderThatIsDoneIsNotJoinedThoughItsEntryStays() {
    running("r1");
    coalescing.lead("key-1", "r1");
    InFlightRequest leader = fixture.inFlight.get("r1");
    idempotency.rememberDone(
        leader, TestRequests.succeeded(leader.getDispatch().getRequest()), NOW);

    InferenceRequest identical = chat("r2", "acme", "same").build();
    assertThat(coalescing.join(identical, "key-1", RuleFixture.unlimited(), NOW)).isFalse();
    assertThat(fixture.waiters.get("r1")).isNull();
  }
}
