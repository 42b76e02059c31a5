package io.aibroker.broker;

import static io.aibroker.broker.TestRequests.NOW;
import static io.aibroker.broker.TestRequests.chat;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.aibroker.broker.Idempotency.Dedupe;
import io.aibroker.records.DispatchRequest;
import io.aibroker.records.InferenceRequest;
import io.aibroker.records.InferenceResult;
import io.aibroker.records.OverLimitAction;
import io.aibroker.records.ReasonCode;
import io.aibroker.records.internal.IdempotencyEntry;
import io.aibroker.records.internal.InFlightRequest;
import io.aibroker.records.internal.Waiter;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Dedupe by idempotency key and requestId reuse, on in-memory stores. */
class IdempotencyTest {

  private final RuleFixture fixture = new RuleFixture();
  private final WaitingRoom waitingRoom = fixture.waitingRoom();
  private final Idempotency idempotency = fixture.idempotency(waitingRoom);

  private static InferenceRequest keyed(String requestId, String text) {
    return chat(requestId, "acme", text).setIdempotencyKey("order-7").build();
  }

  private void inFlight(InferenceRequest request) {
    fixture.inFlight.put(
        request.getRequestId(),
        InFlightRequest.newBuilder()
            .setDispatch(
                DispatchRequest.newBuilder()
                    .setRequestId(request.getRequestId())
                    .setTenantId(request.getTenantId())
                    .setRequest(request)
                    .setRoute(TestRequests.PRIMARY)
                    .setDispatchedAt(NOW)
                    .build())
            .setIdempotencyKey(Idempotency.key(request))
            .setReservedCost(BigDecimal.ZERO)
            .setReservedAt(NOW)
            .build());
  }

  @Test
  void theKeyIsTheOneGivenElseTheRequestIdAndIsScopedByTenant() {
    assertThat(Idempotency.key(chat("r1", "acme", "a").build())).isEqualTo("r1");
    assertThat(Idempotency.key(keyed("r1", "a"))).isEqualTo("order-7");
    assertThat(Idempotency.storeKey(keyed("r1", "a")))
        .isNotEqualTo(
            Idempotency.storeKey(chat("r1", "globex", "a").setIdempotencyKey("order-7").build()));
  }

  @Test
  void aRequestUnderAnUnknownOrExpiredKeyIsNew() {
    assertThat(idempotency.dedupe(keyed("r1", "a"), RuleFixture.unlimited(), NOW))
        .isEqualTo(new Dedupe.New());

    idempotency.rememberPending(keyed("r1", "a"), NOW.minus(Duration.ofHours(25)));

    assertThat(idempotency.dedupe(keyed("r2", "a"), RuleFixture.unlimited(), NOW))
        .isEqualTo(new Dedupe.New());
  }

  @Test
  void theSameRequestDeliveredAgainIsARedelivery() {
    idempotency.rememberPending(keyed("r1", "a"), NOW);

    assertThat(idempotency.dedupe(keyed("r1", "a"), RuleFixture.unlimited(), NOW))
        .isEqualTo(new Dedupe.Redelivered());
  }

  @Test
  void aDuplicateOfAFinishedRequestIsAnsweredWithItsResultUnderItsOwnId() {
    InferenceRequest original = keyed("r1", "a");
    idempotency.remember(
        original, Fingerprints.of(original), NOW, TestRequests.succeeded(original));

    InferenceRequest duplicate = keyed("r2", "a");
    Dedupe dedupe = idempotency.dedupe(duplicate, RuleFixture.unlimited(), NOW);

    assertThat(dedupe).isInstanceOf(Dedupe.Answered.class);
    Dedupe.Answered answered = (Dedupe.Answered) dedupe;
    assertThat(answered.answer().getRequestId()).isEqualTo("r2");
    assertThat(answered.answer().getDuplicateOf()).isEqualTo("r1");
    assertThat(answered.answer().getMessage()).isEqualTo("answer of r1");
    assertThat(answered.fingerprints()).isEqualTo(Fingerprints.of(duplicate));
    assertThat(fixture.counted(BrokerMetrics.DEDUPE_HITS)).isEqualTo(1);
  }

  @Test
  void otherWorkUnderAUsedKeyIsAConflict() {
    InferenceRequest original = keyed("r1", "a");
    idempotency.remember(
        original, Fingerprints.of(original), NOW, TestRequests.succeeded(original));

    Dedupe dedupe = idempotency.dedupe(keyed("r2", "other"), RuleFixture.unlimited(), NOW);

    assertThat(dedupe).isInstanceOf(Dedupe.Conflict.class);
    Rejection why = ((Dedupe.Conflict) dedupe).why();
    assertThat(why.reason()).isEqualTo(ReasonCode.IDEMPOTENCY_CONFLICT);
    assertThat(why.message()).contains("'order-7'", "'r1'");
    assertThat(fixture.counted(BrokerMetrics.DEDUPE_HITS)).isZero();
  }

  @Test
  void otherDeliveryDetailsUnderAUsedKeyAreStillADuplicate() {
    InferenceRequest original = keyed("r1", "a");
    idempotency.remember(
        original, Fingerprints.of(original), NOW, TestRequests.succeeded(original));

    InferenceRequest sameWork =
        chat("r2", "acme", "a")
            .setIdempotencyKey("order-7")
            .setTags(Map.of("team", "b"))
            .setReplyTo("acme.replies")
            .build();

    assertThat(idempotency.dedupe(sameWork, RuleFixture.unlimited(), NOW))
        .isInstanceOf(Dedupe.Answered.class);
  }

  @Test
  void aDuplicateOfARunningRequestWaitsForItAndItsRedeliveryIsNoNewWaiter() {
    idempotency.rememberPending(keyed("r1", "a"), NOW);

    assertThat(idempotency.dedupe(keyed("r2", "a"), RuleFixture.unlimited(), NOW))
        .isEqualTo(new Dedupe.Waiting());
    assertThat(idempotency.dedupe(keyed("r2", "a"), RuleFixture.unlimited(), NOW))
        .isEqualTo(new Dedupe.Redelivered());

    List<Waiter> waiting = fixture.waiters.get("r1").getWaiters();
    assertThat(waiting).extracting(w -> w.getRequest().getRequestId()).containsExactly("r2");
    assertThat(waiting.getFirst().getCoalesced()).isFalse();
    assertThat(fixture.counted(BrokerMetrics.DEDUPE_HITS)).isEqualTo(1);
  }

  @Test
  void aDuplicateThatMayNotWaitIsRefused() {
    Idempotency bounded =
        fixture.idempotency(
            fixture.waitingRoom(
                new Tenancy(
                    true, Tenancy.UnknownTenants.DEFAULTS, 0, 1 << 20, Duration.ofSeconds(3))));
    bounded.rememberPending(keyed("r1", "a"), NOW);

    Dedupe dedupe = bounded.dedupe(keyed("r2", "a"), RuleFixture.unlimited(), NOW);

    assertThat(dedupe).isInstanceOf(Dedupe.Refused.class);
    assertThat(((Dedupe.Refused) dedupe).why().reason()).isEqualTo(ReasonCode.QUOTA_CONCURRENCY);
    assertThat(fixture.counted(BrokerMetrics.LIMITED, "action", "rejected")).isEqualTo(1);
  }

  @Test
  void aDuplicateOverItsTenantsLimitIsRefused() {
    idempotency.rememberPending(keyed("r1", "a"), NOW);
    var onePerMinute = RuleFixture.limits(1, null, null, null, OverLimitAction.REJECT);
    var used = QuotaLedger.empty(NOW);
    QuotaLedger.reserve(used, Demand.NONE);
    fixture.usage.put("acme", used);

    Dedupe dedupe = idempotency.dedupe(keyed("r2", "a"), onePerMinute, NOW);

    assertThat(dedupe).isInstanceOf(Dedupe.Refused.class);
    assertThat(((Dedupe.Refused) dedupe).why().reason()).isEqualTo(ReasonCode.QUOTA_RPM);
  }

  @Test
  void aRequestInFlightUnderItsOwnIdStandsInForAnEntryOfItsTenantOnly() {
    InferenceRequest original = chat("r1", "acme", "a").build();
    inFlight(original);

    assertThat(
            idempotency.dedupe(
                chat("r2", "acme", "a").setIdempotencyKey("r1").build(),
                RuleFixture.unlimited(),
                NOW))
        .isEqualTo(new Dedupe.Waiting());
    assertThat(
            idempotency.dedupe(
                chat("r3", "acme", "other").setIdempotencyKey("r1").build(),
                RuleFixture.unlimited(),
                NOW))
        .isInstanceOf(Dedupe.Conflict.class);
    assertThat(
            idempotency.dedupe(
                chat("r4", "globex", "a").setIdempotencyKey("r1").build(),
                RuleFixture.unlimited(),
                NOW))
        .isEqualTo(new Dedupe.New());
  }

  @Test
  void aRequestIdReusedForOtherContentOrByAnotherTenantIsRefusedOutright() {
    InferenceRequest running = chat("r1", "acme", "a").build();
    inFlight(running);

    assertThatCode(() -> idempotency.refuseReusedRequestId(chat("r1", "acme", "a").build(), NOW))
        .doesNotThrowAnyException();
    assertThatThrownBy(
            () -> idempotency.refuseReusedRequestId(chat("r1", "acme", "b").build(), NOW))
        .isInstanceOf(UnprocessableRecordException.class)
        .hasMessageContaining("requestId 'r1' is already used");
    assertThatThrownBy(
            () -> idempotency.refuseReusedRequestId(chat("r1", "globex", "a").build(), NOW))
        .isInstanceOf(UnprocessableRecordException.class);
  }

  @Test
  void aRequestIdRememberedWithOtherContentIsRefusedOutright() {
    idempotency.rememberPending(keyed("r1", "a"), NOW);

    assertThatCode(() -> idempotency.refuseReusedRequestId(keyed("r1", "a"), NOW))
        .doesNotThrowAnyException();
    assertThatThrownBy(() -> idempotency.refuseReusedRequestId(keyed("r1", "b"), NOW))
        .isInstanceOf(UnprocessableRecordException.class);
    assertThatCode(() -> idempotency.refuseReusedRequestId(chat("", "acme", "b").build(), NOW))
        .doesNotThrowAnyException();
  }

  @Test
  void aDispatchedRequestIsRememberedOnlyUnderAKeyOtherThanItsId() {
    idempotency.dispatched(chat("r1", "acme", "a").build(), NOW);
    idempotency.dispatched(keyed("r2", "a"), NOW);

    assertThat(fixture.idempotency.get(Idempotency.storeKey(chat("r1", "acme", "a").build())))
        .isNull();
    IdempotencyEntry entry = fixture.idempotency.get(Idempotency.storeKey(keyed("r2", "a")));
    assertThat(entry.getRequestId()).isEqualTo("r2");
    assertThat(entry.getFinalResult()).isNull();
    assertThat(entry.getExpiresAt()).isEqualTo(NOW.plus(Duration.ofHours(24)));
    assertThat(entry.getContentFingerprint())
        .isEqualTo(RequestFingerprint.ofContent(keyed("r2", "a")));
  }

  @Test
  void fingerprintsRememberedAtAdmissionAreReusedElseTaken() {
    InferenceRequest request = keyed("r1", "a");
    assertThat(idempotency.fingerprintsOf(request)).isEqualTo(Fingerprints.of(request));

    idempotency.remember(request, new Fingerprints("full", "content"), NOW, null);

    assertThat(idempotency.fingerprintsOf(request)).isEqualTo(new Fingerprints("full", "content"));
    assertThat(idempotency.fingerprintsOf(keyed("r2", "a")))
        .isEqualTo(Fingerprints.of(keyed("r2", "a")));
  }

  @Test
  void aRequestDoneUnderItsOwnIdIsRememberedInItsInFlightEntryWithoutItsContent() {
    InferenceRequest original = chat("r1", "acme", "a").build();
    inFlight(original);
    InferenceResult result = TestRequests.succeeded(original);

    idempotency.rememberDone(fixture.inFlight.get("r1"), result, NOW);

    assertThat(fixture.idempotency.get(Idempotency.storeKey(original))).isNull();
    InFlightRequest done = fixture.inFlight.get("r1");
    assertThat(done.getFinalResult()).isEqualTo(result);
    assertThat(done.getExpiresAt()).isEqualTo(NOW.plus(Duration.ofHours(24)));
    assertThat(done.getFingerprint()).isEqualTo(RequestFingerprint.of(original));
    assertThat(done.getContentFingerprint()).isEqualTo(RequestFingerprint.ofContent(original));
    assertThat(done.getDispatch().getRequest().getMessages()).isEmpty();
    assertThat(idempotency.dedupe(original, RuleFixture.unlimited(), NOW.plusSeconds(1)))
        .isEqualTo(new Dedupe.Redelivered());
    InferenceRequest duplicate = chat("r2", "acme", "a").setIdempotencyKey("r1").build();
    assertThat(idempotency.dedupe(duplicate, RuleFixture.unlimited(), NOW.plusSeconds(1)))
        .isInstanceOfSatisfying(
            Dedupe.Answered.class,
            answered -> assertThat(answered.answer().getMessage()).isEqualTo("answer of r1"));
    assertThat(
            idempotency.dedupe(
                chat("r3", "acme", "other").setIdempotencyKey("r1").build(),
                RuleFixture.unlimited(),
                NOW.plusSeconds(1)))
        .isInstanceOf(Dedupe.Conflict.class);
    assertThat(idempotency.dedupe(original, RuleFixture.unlimited(), NOW.plus(Duration.ofDays(2))))
        .as("after the window")
        .isEqualTo(new Dedupe.New());
  }

  @Test
  void aRequestIdDoneUnderItsOwnIdIsRefusedToOthersUntilItsWindowEnds() {
    InferenceRequest original = chat("r1", "acme", "a").build();
    inFlight(original);
    idempotency.rememberDone(fixture.inFlight.get("r1"), TestRequests.succeeded(original), NOW);

    assertThatCode(() -> idempotency.refuseReusedRequestId(original, NOW))
        .doesNotThrowAnyException();
    assertThatThrownBy(
            () -> idempotency.refuseReusedRequestId(chat("r1", "acme", "b").build(), NOW))
        .isInstanceOf(UnprocessableRecordException.class);
    assertThatThrownBy(
            () -> idempotency.refuseReusedRequestId(chat("r1", "globex", "a").build(), NOW))
        .isInstanceOf(UnprocessableRecordException.class);
    assertThatCode(
            () ->
                idempotency.refuseReusedRequestId(
                    chat("r1", "globex", "a").build(), NOW.plus(Duration.ofHours(25))))
        .doesNotThrowAnyException();
  }

  @Test
  void aRequestWithAKeyOfItsOwnIsRememberedUnderItsKeyAndItsInFlightEntryGoes() {
    InferenceRequest original = keyed("r1", "a");
    inFlight(original);

    idempotency.rememberDone(fixture.inFlight.get("r1"), TestRequests.succeeded(original), NOW);

    assertThat(fixture.idempotency.get(Idempotency.storeKey(original)).getFinalResult())
        .isNotNull();
    assertThat(fixture.inFlight.get("r1")).isNull();
  }

  @Test
  void aRequestRememberedWhileQueuedHasItsResultRememberedThereOnceDone() {
    InferenceRequest original = chat("r1", "acme", "a").build();
    idempotency.rememberPending(original, NOW); // queued
    inFlight(original); // then dispatched from the queue

    idempotency.rememberDone(fixture.inFlight.get("r1"), TestRequests.succeeded(original), NOW);

    assertThat(fixture.idempotency.get(Idempotency.storeKey(original)).getFinalResult())
        .isNotNull();
    assertThat(fixture.inFlight.get("r1")).isNull();
    InferenceRequest duplicate = chat("r2", "acme", "a").setIdempotencyKey("r1").build();
    assertThat(idempotency.dedupe(duplicate, RuleFixture.unlimited(), NOW.plusSeconds(1)))
        .as("answered, not left waiting for a request that is done")
        .isInstanceOf(Dedupe.Answered.class);
  }
}
