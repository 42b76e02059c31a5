package io.aibroker.broker;

import static io.aibroker.broker.TestRequests.FALLBACK;
import static io.aibroker.broker.TestRequests.NOW;
import static io.aibroker.broker.TestRequests.PRIMARY;
import static io.aibroker.broker.TestRequests.chat;
import static org.assertj.core.api.Assertions.assertThat;

import io.aibroker.records.CacheMode;
import io.aibroker.records.CacheOptions;
import io.aibroker.records.CircuitState;
import io.aibroker.records.DispatchRequest;
import io.aibroker.records.InferenceRequest;
import io.aibroker.records.ProviderHealth;
import io.aibroker.records.ProviderOutcome;
import io.aibroker.records.internal.InFlightRequest;
import io.aibroker.topics.Topics;
import java.math.BigDecimal;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Dispatch: routes, the in-flight entry, leadership of the content key, failover, the end. */
class DispatcherTest {

  private static final ModelDefinition MODEL =
      TestRequests.models().resolve("chat-default").orElseThrow();
  private static final Demand DEMAND = new Demand(1_234, new BigDecimal("0.0042"));

  private final RuleFixture fixture = new RuleFixture();
  private final Idempotency idempotency = fixture.idempotency(fixture.waitingRoom());
  private final Dispatcher dispatcher =
      new Dispatcher(
          fixture.inFlight,
          fixture.health,
          new TenantTopics(Topics.defaults(), fixture.policies, Set.<String>of()::contains),
          new Coalescing(
              fixture.contentLeaders,
              fixture.inFlight,
              fixture.waitingRoom(),
              idempotency,
              fixture.metrics),
          idempotency,
          fixture.outputs);

  private static ProviderOutcome failedOnce() {
    return ProviderOutcome.newBuilder()
        .setRequestId("r1")
        .setTenantId("acme")
        .setRoute(PRIMARY)
        .setSuccess(false)
        .setCalls(1)
        .setCompletedAt(NOW)
        .build();
  }

  private DispatchRequest sent() {
    return (DispatchRequest) fixture.forwarded(NodeNames.DISPATCH_SINK).getLast();
  }

  @Test
  void anAdmittedRequestGoesToItsFirstRouteWithTheOthersAsFallbacks() {
    InferenceRequest request = chat("r1", "acme", "a").setDeadline(NOW.plusSeconds(30)).build();

    dispatcher.dispatch(request, MODEL, RuleFixture.unlimited(), "key-1", DEMAND, NOW);

    DispatchRequest dispatch = sent();
    assertThat(dispatch.getRequestId()).isEqualTo("r1");
    assertThat(dispatch.getRoute()).isEqualTo(PRIMARY);
    assertThat(dispatch.getFallbacks()).containsExactly(FALLBACK);
    assertThat(dispatch.getAttempt()).isEqualTo(1);
    assertThat(dispatch.getDeadline()).isEqualTo(NOW.plusSeconds(30));
    assertThat(dispatch.getDispatchedAt()).isEqualTo(NOW);
    assertThat(dispatch.getTenantTopics()).isFalse();
  }

  @Test
  void theRequestIsInFlightWithItsReservationAndCacheSettings() {
    InferenceRequest request = chat("r1", "acme", "a").build();

    dispatcher.dispatch(request, MODEL, RuleFixture.unlimited(), "key-1", DEMAND, NOW);

    InFlightRequest inFlight = fixture.inFlight.get("r1");
    assertThat(inFlight.getDispatch()).isEqualTo(sent());
    assertThat(inFlight.getIdempotencyKey()).isEqualTo("r1");
    assertThat(inFlight.getCacheKey()).isEqualTo("key-1");
    assertThat(inFlight.getCacheFill()).isTrue();
    assertThat(inFlight.getCacheTtlSeconds()).isEqualTo(3600);
    assertThat(inFlight.getReservedTokens()).isEqualTo(1_234);
    assertThat(inFlight.getReservedCost()).isEqualByComparingTo("0.0042");
    assertThat(inFlight.getReservedAt()).isEqualTo(NOW);
    assertThat(fixture.contentLeaders.get("key-1")).isEqualTo("r1");
    assertThat(fixture.idempotency.get(Idempotency.storeKey(request)))
        .isNull(); // in flight says it
  }

  @Test
  void aRequestThatOnlyRefreshesTheCacheLeadsNoContentKey() {
    InferenceRequest request =
        chat("r1", "acme", "a")
            .setCache(CacheOptions.newBuilder().setMode(CacheMode.REFRESH).setTtlSeconds(5).build())
            .build();

    dispatcher.dispatch(request, MODEL, RuleFixture.unlimited(), "key-1", DEMAND, NOW);

    assertThat(fixture.contentLeaders.get("key-1")).isNull();
    assertThat(fixture.inFlight.get("r1").getCacheFill()).isTrue();
    assertThat(fixture.inFlight.get("r1").getCacheTtlSeconds()).isEqualTo(5);
  }

  @Test
  void aRequestBypassingTheCacheNeitherFillsNorLeads() {
    InferenceRequest request =
        chat("r1", "acme", "a")
            .setCache(CacheOptions.newBuilder().setMode(CacheMode.BYPASS).build())
            .build();

    dispatcher.dispatch(request, MODEL, RuleFixture.unlimited(), null, DEMAND, NOW);

    assertThat(fixture.inFlight.get("r1").getCacheFill()).isFalse();
    assertThat(fixture.inFlight.get("r1").getCacheKey()).isNull();
  }

  @Test
  void aRequestWithAnIdempotencyKeyOfItsOwnIsRememberedUnderIt() {
    InferenceRequest request = chat("r1", "acme", "a").setIdempotencyKey("order-7").build();

    dispatcher.dispatch(request, MODEL, RuleFixture.unlimited(), "key-1", DEMAND, NOW);

    assertThat(fixture.inFlight.get("r1").getIdempotencyKey()).isEqualTo("order-7");
    assertThat(fixture.idempotency.get(Idempotency.storeKey(request)).getRequestId())
        .isEqualTo("r1");
  }

  @Test
  void aRouteWhoseCircuitIsOpenIsLeftOut() {
    fixture.health.put(
        PRIMARY.getDeployment(),
        ProviderHealth.newBuilder()
            .setDeployment(PRIMARY.getDeployment())
            .setProvider(PRIMARY.getProvider())
            .setState(CircuitState.OPEN)
            .setWorkerId("w1")
            .setUpdatedAt(NOW)
            .build());

    DispatchRequest dispatch = dispatcher.route(chat("r1", "acme", "a").build(), MODEL, NOW);

    assertThat(dispatch.getRoute()).isEqualTo(FALLBACK);
    assertThat(dispatch.getFallbacks()).isEmpty();
  }

  @Test
  void failingOverSendsTheNextAttemptAndKeepsItInFlight() {
    dispatcher.dispatch(
        chat("r1", "acme", "a").build(), MODEL, RuleFixture.unlimited(), "key-1", DEMAND, NOW);

    dispatcher.failOver(fixture.inFlight.get("r1"), failedOnce(), NOW.plusSeconds(1));

    DispatchRequest next = sent();
    assertThat(next.getRoute()).isEqualTo(FALLBACK);
    assertThat(next.getAttempt()).isEqualTo(2);
    InFlightRequest inFlight = fixture.inFlight.get("r1");
    assertThat(inFlight.getDispatch()).isEqualTo(next);
    assertThat(inFlight.getReservedTokens()).isEqualTo(1_234);
  }

  @Test
  void anEndedRequestNoLongerLeadsItsContentKey() {
    dispatcher.dispatch(
        chat("r1", "acme", "a").build(), MODEL, RuleFixture.unlimited(), "key-1", DEMAND, NOW);

    dispatcher.ended("r1", fixture.inFlight.get("r1"));

    assertThat(fixture.contentLeaders.get("key-1")).isNull();
    assertThat(fixture.inFlight.get("r1"))
        .as("ended when its result is remembered (Idempotency.rememberDone)")
        .isNotNull();
  }
}
