package io.aibroker.broker;

import static io.aibroker.broker.TestRequests.NOW;
import static io.aibroker.broker.TestRequests.chat;
import static org.assertj.core.api.Assertions.assertThat;

import io.aibroker.broker.QuotaAdmission.Decision;
import io.aibroker.money.Usd;
import io.aibroker.records.DispatchRequest;
import io.aibroker.records.InferenceRequest;
import io.aibroker.records.OverLimitAction;
import io.aibroker.records.ReasonCode;
import io.aibroker.records.internal.InFlightRequest;
import io.aibroker.records.internal.TenantUsage;
import java.math.BigDecimal;
import org.junit.jupiter.api.Test;

/** Admission against quotas and budgets: admit and reserve, queue, refuse, settle. */
class QuotaAdmissionTest {

  private static final ModelDefinition MODEL =
      TestRequests.models().resolve("chat-default").orElseThrow();

  private final RuleFixture fixture = new RuleFixture();
  private final QuotaAdmission quota = quota(10);

  private QuotaAdmission quota(int maxQueued) {
    return new QuotaAdmission(
        fixture.usage,
        TestRequests.livePrices(),
        new TenantQueue(fixture.usage, TestRequests.models(), TestRequests.livePrices(), maxQueued),
        fixture.metrics);
  }

  private Decision admit(String requestId, EffectivePolicy policy) {
    return quota.admit(chat(requestId, "acme", "hello").build(), MODEL, policy, NOW);
  }

  @Test
  void aRequestWithinLimitsReservesItsWorstCase() {
    InferenceRequest request = chat("r1", "acme", "hello").build();
    Demand demand = Demands.of(request, MODEL, TestRequests.prices(), NOW);

    Decision decision = quota.admit(request, MODEL, RuleFixture.unlimited(), NOW);

    assertThat(decision).isEqualTo(new Decision.Admitted(demand));
    TenantUsage used = fixture.usage.get("acme");
    assertThat(used.getRequests()).isEqualTo(1);
    assertThat(used.getInFlight()).isEqualTo(1);
    assertThat(used.getTokens()).isEqualTo(demand.tokens());
    assertThat(used.getDaySpend()).isEqualByComparingTo(demand.cost());
    assertThat(fixture.counted(BrokerMetrics.RESERVED, "tenant", "acme"))
        .isEqualTo(demand.cost().doubleValue());
  }

  @Test
  void overALimitUnderRejectTheRequestIsRefusedWithTheLimitsReason() {
    var onePerMinute = RuleFixture.limits(1, null, null, null, OverLimitAction.REJECT);
    admit("r1", onePerMinute);

    Decision decision = admit("r2", onePerMinute);

    assertThat(decision).isInstanceOf(Decision.Refused.class);
    QuotaLedger.Refusal why = ((Decision.Refused) decision).why();
    assertThat(why.reason()).isEqualTo(ReasonCode.QUOTA_RPM);
    assertThat(why.message()).isEqualTo("over 1 requests per minute");
    assertThat(why.retryAfterMs()).isEqualTo(60_000);
    assertThat(fixture.usage.get("acme").getRequests()).isEqualTo(1);
    assertThat(fixture.counted(BrokerMetrics.LIMITED, "reason", "QUOTA_RPM", "action", "rejected"))
        .isEqualTo(1);
  }

  @Test
  void overALimitUnderQueueTheRequestIsQueued() {
    var oneAtATime = RuleFixture.limits(null, null, 1, null, OverLimitAction.QUEUE);
    admit("r1", oneAtATime);

    assertThat(admit("r2", oneAtATime)).isEqualTo(new Decision.Queued());

    TenantUsage used = fixture.usage.get("acme");
    assertThat(used.getQueued()).extracting(InferenceRequest::getRequestId).containsExactly("r2");
    assertThat(used.getInFlight()).isEqualTo(1);
    assertThat(
            fixture.counted(
                BrokerMetrics.LIMITED, "reason", "QUOTA_CONCURRENCY", "action", "queued"))
        .isEqualTo(1);
  }

  @Test
  void aRequestThatFitsStillQueuesBehindQueuedOnes() {
    var queueing = RuleFixture.limits(null, null, 5, null, OverLimitAction.QUEUE);
    TenantUsage used = QuotaLedger.empty(NOW);
    used.getQueued().add(chat("r0", "acme", "waiting").build());
    fixture.usage.put("acme", used);

    assertThat(admit("r1", queueing)).isEqualTo(new Decision.Queued());
    assertThat(fixture.usage.get("acme").getQueued()).hasSize(2);
    assertThat(fixture.counted(BrokerMetrics.LIMITED, "action", "queued")).isZero();
  }

  @Test
  void aFullQueueRefusesWithTheLimitAndTheQueueNamed() {
    QuotaAdmission noRoom = quota(0);
    var oneAtATime = RuleFixture.limits(null, null, 1, null, OverLimitAction.QUEUE);
    noRoom.admit(chat("r1", "acme", "a").build(), MODEL, oneAtATime, NOW);

    Decision decision = noRoom.admit(chat("r2", "acme", "a").build(), MODEL, oneAtATime, NOW);

    QuotaLedger.Refusal why = ((Decision.Refused) decision).why();
    assertThat(why.reason()).isEqualTo(ReasonCode.QUOTA_CONCURRENCY);
    assertThat(why.message())
        .isEqualTo(
            "already 1 requests in flight (limit 1); the tenant's queue is full (0 requests)");
  }

  @Test
  void aFullQueueAheadOfARequestThatFitsRefusesItAsConcurrency() {
    QuotaAdmission oneQueued = quota(1);
    var queueing = RuleFixture.limits(null, null, 5, null, OverLimitAction.QUEUE);
    TenantUsage used = QuotaLedger.empty(NOW);
    used.getQueued().add(chat("r0", "acme", "waiting").build());
    fixture.usage.put("acme", used);

    Decision decision = oneQueued.admit(chat("r1", "acme", "a").build(), MODEL, queueing, NOW);

    assertThat(decision)
        .isEqualTo(
            new Decision.Refused(
                new QuotaLedger.Refusal(
                    ReasonCode.QUOTA_CONCURRENCY,
                    "the tenant's queue is full (1 requests)",
                    null)));
  }

  @Test
  void settlingReplacesTheReservationWithWhatWasUsed() {
    InferenceRequest request = chat("r1", "acme", "hello").build();
    Demand reserved =
        ((Decision.Admitted) quota.admit(request, MODEL, RuleFixture.unlimited(), NOW)).demand();
    InFlightRequest inFlight =
        InFlightRequest.newBuilder()
            .setDispatch(
                DispatchRequest.newBuilder()
                    .setRequestId("r1")
                    .setTenantId("acme")
                    .setRequest(request)
                    .setRoute(TestRequests.PRIMARY)
                    .setDispatchedAt(NOW)
                    .build())
            .setIdempotencyKey("r1")
            .setReservedTokens(reserved.tokens())
            .setReservedCost(Usd.of(reserved.cost()))
            .setReservedAt(NOW)
            .build();

    quota.settle(inFlight, new Demand(30, new BigDecimal("0.000050")), NOW.plusSeconds(1));

    TenantUsage used = fixture.usage.get("acme");
    assertThat(used.getInFlight()).isZero();
    assertThat(used.getRequests()).isEqualTo(1);
    assertThat(used.getTokens()).isEqualTo(30);
    assertThat(used.getDaySpend()).isEqualByComparingTo("0.000050");
    assertThat(used.getMonthSpend()).isEqualByComparingTo("0.000050");
  }
}
