package io.aibroker.broker;

import static io.aibroker.broker.TestRequests.NOW;
import static io.aibroker.broker.TestRequests.chat;
import static org.assertj.core.api.Assertions.assertThat;

import io.aibroker.records.InferenceRequest;
import io.aibroker.records.InferenceResult;
import io.aibroker.records.ReasonCode;
import io.aibroker.records.ResultStatus;
import io.aibroker.records.TenantPolicy;
import io.aibroker.records.TokenUsage;
import io.aibroker.records.UsageEvent;
import io.aibroker.records.internal.CacheEntry;
import io.aibroker.records.internal.IdempotencyEntry;
import io.aibroker.topics.Topics;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** A request's one result: published, remembered, and handed on to its waiters. */
class AnswersTest {

  private static final Topics TOPICS = Topics.defaults();
  private static final Set<String> EXISTING =
      Set.of("acme.replies", "aibroker.replies.globex", TOPICS.tenantResults("globex"));

  private final RuleFixture fixture = new RuleFixture();
  private final WaitingRoom waitingRoom = fixture.waitingRoom();
  private final Idempotency idempotency = fixture.idempotency(waitingRoom);
  private final TenantTopics tenantTopics =
      new TenantTopics(TOPICS, fixture.policies, EXISTING::contains);
  private final Answers answers =
      new Answers(
          fixture.outputs,
          fixture.metrics,
          new MeterLabels(TestRequests.config(TenantDefaults.unlimited()), fixture.policies),
          tenantTopics,
          new ReplyTo(new ReplyToRules(TOPICS, "test-broker"), EXISTING::contains),
          idempotency,
          waitingRoom,
          TestRequests.models(),
          TestRequests.livePrices());

  /**
   * A success of sim-chat-1 that cost {@code cost}: its input tokens at the test catalog's 1.00 USD
   * per million (what a request answered by it saves, priced again at the hit).
   */
  private static InferenceResult succeeded(InferenceRequest request, String cost) {
    long inputTokens = new BigDecimal(cost).movePointRight(6).longValueExact();
    return InferenceResult.newBuilder()
        .setRequestId(request.getRequestId())
        .setTenantId(request.getTenantId())
        .setStatus(ResultStatus.SUCCEEDED)
        .setProvider("simulated")
        .setProviderModel("sim-chat-1")
        .setAttempts(1)
        .setUsage(new TokenUsage(inputTokens, 0L, 0L, 0L, 0L, 0L))
        .setCost(new BigDecimal(cost))
        .setCompletedAt(NOW)
        .build();
  }

  private InferenceResult published() {
    return (InferenceResult) fixture.forwarded(NodeNames.RESULTS_SINK).getLast();
  }

  private UsageEvent onlyUsage() {
    assertThat(fixture.forwarded(NodeNames.USAGE_SINK)).hasSize(1);
    return (UsageEvent) fixture.forwarded(NodeNames.USAGE_SINK).getFirst();
  }

  private IdempotencyEntry remembered(InferenceRequest request) {
    return fixture.idempotency.get(Idempotency.storeKey(request));
  }

  @Test
  void aRejectionIsPublishedAndNotRemembered() {
    InferenceRequest request = chat("r1", "acme", "a").setReplyTo("acme.replies").build();

    answers.reject(request, new Rejection(ReasonCode.INVALID_REQUEST, "no"), 1_500L, NOW);

    InferenceResult result = published();
    assertThat(result.getStatus()).isEqualTo(ResultStatus.REJECTED);
    assertThat(result.getReason()).isEqualTo(ReasonCode.INVALID_REQUEST);
    assertThat(result.getRetryAfterMs()).isEqualTo(1_500L);
    assertThat(fixture.forwarded(NodeNames.REPLY_SINK)).containsExactly(result);
    assertThat(remembered(request)).isNull();
    assertThat(fixture.counted(BrokerMetrics.REQUESTS, "status", "REJECTED")).isEqualTo(1);
  }

  @Test
  void aRefusalBecomesARejectionWithItsRetryHint() {
    answers.reject(
        chat("r1", "acme", "a").build(),
        new QuotaLedger.Refusal(ReasonCode.QUOTA_RPM, "over 1 requests per minute", 30_000L),
        NOW);

    InferenceResult result = published();
    assertThat(result.getReason()).isEqualTo(ReasonCode.QUOTA_RPM);
    assertThat(result.getMessage()).isEqualTo("over 1 requests per minute");
    assertThat(result.getRetryAfterMs()).isEqualTo(30_000L);
  }

  @Test
  void aFinishedRequestIsRememberedWithItsResult() {
    InferenceRequest request = chat("r1", "acme", "a").build();

    answers.finish(request, succeeded(request, "0.01"), null, NOW);

    assertThat(published().getRequestId()).isEqualTo("r1");
    IdempotencyEntry entry = remembered(request);
    assertThat(entry.getFinalResult().getStatus()).isEqualTo(ResultStatus.SUCCEEDED);
    assertThat(entry.getFingerprint()).isEqualTo(RequestFingerprint.of(request));
    assertThat(fixture.forwarded(NodeNames.REPLY_SINK)).isEmpty();
  }

  @Test
  void theWaitersOfAFinishedRequestGetItsResultUnderTheirOwnIds() {
    InferenceRequest leader = chat("r1", "acme", "a").build();
    InferenceRequest duplicate = chat("r2", "acme", "a").setIdempotencyKey("r1").build();
    InferenceRequest identical = chat("r3", "acme", "a").build();
    waitingRoom.join(
        "r1", duplicate, Fingerprints.of(duplicate), false, RuleFixture.unlimited(), NOW);
    waitingRoom.join(
        "r1", identical, Fingerprints.of(identical), true, RuleFixture.unlimited(), NOW);
    assertThat(fixture.usage.get("acme").getInFlight()).isEqualTo(2);

    answers.finish(leader, succeeded(leader, "0.01"), null, NOW);

    assertThat(fixture.forwarded(NodeNames.RESULTS_SINK))
        .extracting(r -> ((InferenceResult) r).getRequestId())
        .containsExactly("r1", "r2", "r3");
    InferenceResult forDuplicate =
        (InferenceResult) fixture.forwarded(NodeNames.RESULTS_SINK).get(1);
    assertThat(forDuplicate.getDuplicateOf()).isEqualTo("r1");
    assertThat(forDuplicate.getCached()).isFalse();
    InferenceResult forIdentical = published();
    assertThat(forIdentical.getCached()).isTrue();
    assertThat(forIdentical.getCost()).isNull();

    UsageEvent saved = onlyUsage();
    assertThat(saved.getRequestId()).isEqualTo("r3");
    assertThat(saved.getCacheHit()).isTrue();
    assertThat(saved.getSavedCost()).isEqualByComparingTo("0.01");
    assertThat(saved.getPriceVersion()).isEqualTo("test-1");
    assertThat(saved.getServiceTier()).isEqualTo("standard");
    assertThat(saved.getInputTokens()).isEqualTo(10_000);

    assertThat(fixture.usage.get("acme").getInFlight()).isZero(); // waiters gave theirs back
    assertThat(fixture.waiters.get("r1")).isNull();
    assertThat(remembered(identical).getFinalResult().getRequestId()).isEqualTo("r3");
  }

  @Test
  void aFailedResultSavesNothingForCoalescedWaiters() {
    InferenceRequest leader = chat("r1", "acme", "a").build();
    InferenceRequest identical = chat("r3", "acme", "a").build();
    waitingRoom.join(
        "r1", identical, Fingerprints.of(identical), true, RuleFixture.unlimited(), NOW);
    InferenceResult failed = succeeded(leader, "0");
    failed.setStatus(ResultStatus.FAILED);

    answers.finish(leader, failed, null, NOW);

    assertThat(published().getCached()).isFalse();
    assertThat(fixture.forwarded(NodeNames.USAGE_SINK)).isEmpty();
  }

  @Test
  void aCacheHitIsAnsweredWithoutCostAndItsSavingIsAccounted() {
    InferenceRequest request = chat("r2", "acme", "a").build();
    CacheEntry entry =
        CacheEntry.newBuilder()
            .setCachedResult(succeeded(chat("r1", "acme", "a").build(), "0.02"))
            .setCost(new BigDecimal("0.02"))
            .setExpiresAt(NOW.plusSeconds(60))
            .build();

    answers.fromCache(request, entry, NOW);

    InferenceResult hit = published();
    assertThat(hit.getRequestId()).isEqualTo("r2");
    assertThat(hit.getCached()).isTrue();
    assertThat(hit.getDuplicateOf()).isNull();
    UsageEvent usage = onlyUsage();
    assertThat(usage.getCost()).isEqualByComparingTo("0");
    assertThat(usage.getSavedCost()).isEqualByComparingTo("0.02");
    assertThat(fixture.counted(BrokerMetrics.SAVED, "tenant", "acme")).isEqualTo(0.02);
    assertThat(remembered(request).getFinalResult().getCached()).isTrue();
  }

  @Test
  void aQueuedRequestPastItsDeadlineExpires() {
    InferenceRequest request = chat("r1", "acme", "a").build();

    answers.expire(request, NOW);

    InferenceResult result = published();
    assertThat(result.getStatus()).isEqualTo(ResultStatus.EXPIRED);
    assertThat(result.getReason()).isEqualTo(ReasonCode.DEADLINE);
    assertThat(remembered(request).getFinalResult().getStatus()).isEqualTo(ResultStatus.EXPIRED);
  }

  @Test
  void aTenantWithTopicsOfItsOwnGetsItsResultThereAndOnItsOwnReplyTopic() {
    fixture.policies.put(
        "globex",
        TenantPolicy.newBuilder()
            .setTenantId("globex")
            .setOwnTopics(true)
            .setUpdatedAt(NOW)
            .build());
    InferenceRequest request =
        chat("r1", "globex", "a").setReplyTo("aibroker.replies.globex").build();

    answers.reject(request, new Rejection(ReasonCode.INVALID_REQUEST, "no"), null, NOW);

    assertThat(fixture.forwarded(NodeNames.TENANT_RESULTS_SINK)).hasSize(1);
    assertThat(fixture.context.forwarded(NodeNames.REPLY_SINK))
        .singleElement()
        .satisfies(
            f ->
                assertThat(
                        new String(
                            f.record().headers().lastHeader(Outputs.REPLY_TO_HEADER).value(),
                            StandardCharsets.UTF_8))
                    .isEqualTo("aibroker.replies.globex"));
  }
}
