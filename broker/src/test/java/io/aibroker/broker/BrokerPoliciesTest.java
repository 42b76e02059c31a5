package io.aibroker.broker;

import static io.aibroker.broker.TestRequests.chat;
import static org.assertj.core.api.Assertions.assertThat;

import io.aibroker.money.Usd;
import io.aibroker.records.CacheMode;
import io.aibroker.records.CacheOptions;
import io.aibroker.records.CircuitState;
import io.aibroker.records.DispatchRequest;
import io.aibroker.records.InferenceResult;
import io.aibroker.records.OverLimitAction;
import io.aibroker.records.ProviderHealth;
import io.aibroker.records.ReasonCode;
import io.aibroker.records.ResultStatus;
import io.aibroker.records.RollupWindow;
import io.aibroker.records.TenantCachePolicy;
import io.aibroker.records.TenantPolicy;
import io.aibroker.records.UsageEvent;
import io.aibroker.records.UsageRollup;
import io.aibroker.records.internal.CacheEntry;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Set;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.test.TestRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The broker's rules, driven through the topology with a clock the test moves. */
class BrokerPoliciesTest {

  private BrokerHarness broker =
      new BrokerHarness(TenantDefaults.unlimited(), Set.of("acme.replies"));

  @AfterEach
  void close() {
    broker.close();
  }

  private void withDefaults(TenantDefaults defaults) {
    broker.close();
    broker = new BrokerHarness(defaults, Set.of());
  }

  private static TenantDefaults limits(
      Integer rpm, Long tpm, Integer concurrent, String daily, OverLimitAction action) {
    return new TenantDefaults(
        rpm,
        tpm,
        concurrent,
        daily == null ? null : Usd.parse(daily),
        null,
        action,
        Duration.ofHours(1),
        Duration.ofHours(24),
        100);
  }

  // ---- dedupe ----

  @Test
  void aDuplicateIdempotencyKeyAfterCompletionGetsTheOriginalOutputAndNoUsage() {
    broker.send(chat("r1", "acme", "hello").setIdempotencyKey("order-7").build());
    broker.succeed(broker.dispatch.readValue(), 10, 20);
    broker.results.readValue();
    broker.usage.readValue();

    broker.send(chat("r2", "acme", "hello").setIdempotencyKey("order-7").build());

    InferenceResult duplicate = broker.results.readValue();
    assertThat(duplicate.getRequestId()).isEqualTo("r2");
    assertThat(duplicate.getDuplicateOf()).isEqualTo("r1");
    assertThat(duplicate.getOutput().getText()).isEqualTo("answer to r1");
    assertThat(broker.dispatch.isEmpty()).isTrue();
    assertThat(broker.usage.isEmpty()).isTrue();
  }

  @Test
  void aDuplicateWhileTheOriginalIsInFlightWaitsForItsResult() {
    broker.send(chat("r1", "acme", "hello").setIdempotencyKey("k").build());
    broker.send(chat("r2", "acme", "hello").setIdempotencyKey("k").build());
    assertThat(broker.results.isEmpty()).isTrue();

    broker.succeed(broker.dispatch.readValue(), 10, 20);

    List<InferenceResult> results = broker.results.readValuesToList();
    assertThat(results).extracting(InferenceResult::getRequestId).containsExactly("r1", "r2");
    assertThat(results.get(1).getDuplicateOf()).isEqualTo("r1");
    assertThat(broker.dispatch.isEmpty()).isTrue();
    assertThat(broker.usage.readValuesToList()).hasSize(1);
  }

  @Test
  void idempotencyKeysAreScopedToTheTenant() {
    broker.send(chat("r1", "acme", "hello").setIdempotencyKey("k").build());
    broker.send(chat("r2", "globex", "hello").setIdempotencyKey("k").build());

    assertThat(broker.dispatch.readValuesToList()).hasSize(2);
  }

  // ---- cache ----

  @Test
  void aCacheHitSucceedsWithCachedTrueAndAZeroCostUsageEventThatSaysWhatItSaved() {
    broker.send(chat("r1", "acme", "hello").build());
    broker.succeed(broker.dispatch.readValue(), 1_000, 500);
    BigDecimal cost = broker.results.readValue().getCost();
    broker.usage.readValue();

    broker.send(chat("r2", "acme", "hello").build());

    InferenceResult hit = broker.results.readValue();
    assertThat(hit.getStatus()).isEqualTo(ResultStatus.SUCCEEDED);
    assertThat(hit.getCached()).isTrue();
    assertThat(hit.getOutput().getText()).isEqualTo("answer to r1");
    UsageEvent event = broker.usage.readValue();
    assertThat(event.getCacheHit()).isTrue();
    assertThat(event.getCost()).isEqualByComparingTo(BigDecimal.ZERO);
    assertThat(event.getSavedCost()).isEqualByComparingTo(cost);
    assertThat(broker.dispatch.isEmpty()).isTrue();
  }

  @Test
  void aTenantNeverGetsAnotherTenantsCachedOutput() {
    broker.send(chat("r1", "acme", "hello").build());
    broker.succeed(broker.dispatch.readValue(), 10, 10);

    broker.send(chat("r2", "globex", "hello").build());

    assertThat(broker.dispatch.readValue().getRequestId()).isEqualTo("r2");
  }

  @Test
  void tenantsThatShareTheirCacheAnswerEachOtherThroughTheSharedTable() {
    var sharing = policy("x").setCache(new TenantCachePolicy(null, true));
    broker.tenants.pipeInput("acme", sharing.setTenantId("acme").build());
    broker.tenants.pipeInput("globex", sharing.setTenantId("globex").build());
    broker.send(chat("r1", "acme", "hello").build());
    broker.succeed(broker.dispatch.readValue(), 10, 10);
    broker.results.readValuesToList();
    // in Kafka the global table reads the shared-cache topic; the test driver needs a hand
    var entries = broker.serdes().of(CacheEntry.class);
    var entry = broker.output(broker.topics.sharedCache(), entries).readKeyValue();
    broker
        .driver
        .createInputTopic(broker.topics.sharedCache(), new StringSerializer(), entries.serializer())
        .pipeInput(entry.key, entry.value);

    broker.send(chat("r2", "globex", "hello").build());

    InferenceResult hit = broker.results.readValue();
    assertThat(hit.getCached()).isTrue();
    assertThat(hit.getTenantId()).isEqualTo("globex");
    assertThat(broker.dispatch.isEmpty()).isTrue();
  }

  @Test
  void cacheEntriesExpireAfterTheirTtl() {
    broker.send(
        chat("r1", "acme", "hello")
            .setCache(new CacheOptions(CacheMode.DEFAULT, 60, null))
            .build());
    broker.succeed(broker.dispatch.readValue(), 10, 10);
    broker.clock.advance(Duration.ofSeconds(61));

    broker.send(chat("r2", "acme", "hello").build());

    assertThat(broker.dispatch.readValue().getRequestId()).isEqualTo("r2");
  }

  @Test
  void bypassNeitherLooksUpNorFillsAndRefreshFillsWithoutLookingUp() {
    var bypass = new CacheOptions(CacheMode.BYPASS, null, null);
    var refresh = new CacheOptions(CacheMode.REFRESH, null, null);
    broker.send(chat("r1", "acme", "hello").setCache(bypass).build());
    broker.succeed(broker.dispatch.readValue(), 10, 10);
    broker.send(chat("r2", "acme", "hello").build()); // nothing cached by r1
    DispatchRequest second = broker.dispatch.readValue();
    broker.succeed(second, 10, 10);
    broker.send(chat("r3", "acme", "hello").setCache(refresh).build()); // skips the hit
    broker.succeed(broker.dispatch.readValue(), 10, 10);
    broker.results.readValuesToList();

    broker.send(chat("r4", "acme", "hello").build());

    InferenceResult hit = broker.results.readValue();
    assertThat(hit.getCached()).isTrue();
    assertThat(hit.getOutput().getText()).isEqualTo("answer to r3");
  }

  @Test
  void failuresAreNeverCached() {
    broker.send(chat("r1", "acme", "hello").build());
    DispatchRequest first = broker.dispatch.readValue();
    broker.outcomes.pipeInput("acme", failure(first, io.aibroker.records.ErrorClass.TERMINAL));
    broker.results.readValue();

    broker.send(chat("r2", "acme", "hello").build());

    assertThat(broker.dispatch.readValue().getRequestId()).isEqualTo("r2");
  }

  @Test
  void identicalRequestsInFlightAreCoalescedIntoOneDispatch() {
    for (int i = 0; i < 100; i++) {
      broker.send(chat("r" + i, "acme", "same question").build());
    }
    List<DispatchRequest> dispatched = broker.dispatch.readValuesToList();
    assertThat(dispatched).hasSize(1);

    broker.succeed(dispatched.getFirst(), 10, 10);

    List<InferenceResult> results = broker.results.readValuesToList();
    assertThat(results).hasSize(100);
    assertThat(results)
        .allSatisfy(r -> assertThat(r.getStatus()).isEqualTo(ResultStatus.SUCCEEDED));
    assertThat(results).extracting(InferenceResult::getRequestId).doesNotHaveDuplicates();
    List<UsageEvent> usage = broker.usage.readValuesToList();
    assertThat(usage).hasSize(100);
    assertThat(usage).filteredOn(e -> !e.getCacheHit()).hasSize(1);
  }

  // ---- quotas and budgets ----

  @Test
  void rejectsRequestsOverTheRpmLimitWithRetryAfterUntilTheNextMinute() {
    withDefaults(limits(2, null, null, null, OverLimitAction.REJECT));
    for (int i = 0; i < 3; i++) {
      broker.send(chat("r" + i, "acme", "q" + i).build());
    }
    assertThat(broker.dispatch.readValuesToList()).hasSize(2);
    InferenceResult rejected = broker.results.readValue();
    assertThat(rejected.getReason()).isEqualTo(ReasonCode.QUOTA_RPM);
    assertThat(rejected.getRetryAfterMs()).isEqualTo(60_000L); // NOW is on a minute boundary

    broker.clock.advance(Duration.ofMinutes(1));
    broker.send(chat("r9", "acme", "q9").build());
    assertThat(broker.dispatch.readValue().getRequestId()).isEqualTo("r9");
  }

  @Test
  void aRejectedRequestMayBeRetriedWithTheSameIdempotencyKey() {
    withDefaults(limits(1, null, null, null, OverLimitAction.REJECT));
    broker.send(chat("r1", "acme", "a").build());
    broker.send(chat("r2", "acme", "b").setIdempotencyKey("k").build());
    assertThat(broker.results.readValue().getReason()).isEqualTo(ReasonCode.QUOTA_RPM);

    broker.clock.advance(Duration.ofMinutes(1));
    broker.send(chat("r3", "acme", "b").setIdempotencyKey("k").build());

    assertThat(broker.dispatch.readValuesToList())
        .extracting(DispatchRequest::getRequestId)
        .contains("r3");
  }

  @Test
  void rejectsOverTheConcurrencyLimitAndFreesTheSlotOnCompletion() {
    withDefaults(limits(null, null, 1, null, OverLimitAction.REJECT));
    broker.send(chat("r1", "acme", "a").build());
    broker.send(chat("r2", "acme", "b").build());
    assertThat(broker.results.readValue().getReason()).isEqualTo(ReasonCode.QUOTA_CONCURRENCY);

    broker.succeed(broker.dispatch.readValue(), 1, 1);
    broker.send(chat("r3", "acme", "c").build());

    assertThat(broker.dispatch.readValue().getRequestId()).isEqualTo("r3");
  }

  @Test
  void reservesTheWorstCaseAgainstTheTpmLimitAndReconcilesWithActualUsage() {
    // "a" ~ 2 prompt tokens + 1000 max output = 1002 reserved per request
    withDefaults(limits(null, 2_500L, null, null, OverLimitAction.REJECT));
    broker.send(chat("r1", "acme", "a").build());
    broker.send(chat("r2", "acme", "b").build());
    broker.send(chat("r3", "acme", "c").build());
    assertThat(broker.results.readValue().getReason()).isEqualTo(ReasonCode.QUOTA_TPM);

    broker.succeed(broker.dispatch.readValue(), 2, 10); // actual 12 instead of 1002
    broker.send(chat("r4", "acme", "d").build());

    assertThat(broker.dispatch.readValuesToList())
        .extracting(DispatchRequest::getRequestId)
        .contains("r4");
  }

  @Test
  void reservesTheWorstCostAgainstTheDailyBudgetAndReconcilesWithTheActualCost() {
    // worst case per request: the fallback route, (2*3 + 1000*4) / 1M = $0.004006
    withDefaults(limits(null, null, null, "0.01", OverLimitAction.REJECT));
    broker.send(chat("r1", "acme", "a").build());
    broker.send(chat("r2", "acme", "b").build());
    broker.send(chat("r3", "acme", "c").build());
    InferenceResult rejected = broker.results.readValue();
    assertThat(rejected.getReason()).isEqualTo(ReasonCode.BUDGET_DAILY);
    assertThat(rejected.getRetryAfterMs()).isPositive();

    broker.succeed(broker.dispatch.readValue(), 2, 10);
    broker.send(chat("r4", "acme", "d").build());

    assertThat(broker.dispatch.readValuesToList())
        .extracting(DispatchRequest::getRequestId)
        .contains("r4");
  }

  @Test
  void queuesOverTheLimitAndAdmitsInArrivalOrderWhenCapacityFrees() {
    withDefaults(limits(null, null, 1, null, OverLimitAction.QUEUE));
    broker.send(chat("r1", "acme", "a").build());
    broker.send(chat("r2", "acme", "b").build());
    broker.send(chat("r3", "acme", "c").build());
    DispatchRequest first = broker.dispatch.readValue();
    assertThat(broker.dispatch.isEmpty()).isTrue();
    assertThat(broker.results.isEmpty()).isTrue();

    broker.succeed(first, 1, 1);
    DispatchRequest second = broker.dispatch.readValue();
    assertThat(second.getRequestId()).isEqualTo("r2");
    broker.succeed(second, 1, 1);

    assertThat(broker.dispatch.readValue().getRequestId()).isEqualTo("r3");
  }

  @Test
  void aQueueFullOfLargeRequestsRefusesTheNextOneSoTheTenantsRecordStaysWritable() {
    withDefaults(limits(null, null, 1, null, OverLimitAction.QUEUE));
    broker.send(chat("r0", "acme", "in flight").build());
    String large = "x".repeat(1_000_000); // just below the 1 MiB prompt limit
    long fit = TenantQueue.MAX_BYTES / 1_000_300;
    for (int i = 1; i <= fit + 1; i++) {
      broker.send(chat("r" + i, "acme", large).build());
    }

    InferenceResult refused = broker.results.readValue();
    assertThat(refused.getRequestId()).isEqualTo("r" + (fit + 1));
    assertThat(refused.getStatus()).isEqualTo(ResultStatus.REJECTED);
    assertThat(refused.getMessage()).contains("queue is full");
    assertThat(broker.results.isEmpty()).isTrue();
  }

  @Test
  void aQueuedRequestExpiresAtItsDeadline() {
    withDefaults(limits(null, null, 1, null, OverLimitAction.QUEUE));
    broker.send(chat("r1", "acme", "a").build());
    broker.send(chat("r2", "acme", "b").setDeadline(TestRequests.NOW.plusSeconds(5)).build());

    broker.clock.advance(Duration.ofSeconds(6));
    broker.driver.advanceWallClockTime(Duration.ofSeconds(2));

    InferenceResult expired = broker.results.readValue();
    assertThat(expired.getRequestId()).isEqualTo("r2");
    assertThat(expired.getStatus()).isEqualTo(ResultStatus.EXPIRED);
    assertThat(expired.getReason()).isEqualTo(ReasonCode.DEADLINE);
  }

  @Test
  void aTenantPolicyFromTheTenantsTopicAppliesLive() {
    broker.tenants.pipeInput("acme", policy("acme").setRequestsPerMinute(1).build());
    broker.send(chat("r1", "acme", "a").build());
    broker.send(chat("r2", "acme", "b").build());
    assertThat(broker.results.readValue().getReason()).isEqualTo(ReasonCode.QUOTA_RPM);

    broker.tenants.pipeInput("acme", policy("acme").setRequestsPerMinute(10).build());
    broker.send(chat("r3", "acme", "c").build());

    assertThat(broker.dispatch.readValuesToList())
        .extracting(DispatchRequest::getRequestId)
        .containsExactly("r1", "r3");
  }

  @Test
  void rejectsModelsTheTenantMayNotUse() {
    broker.tenants.pipeInput(
        "acme", policy("acme").setAllowedModels(List.of("embed-default")).build());
    broker.send(chat("r1", "acme", "a").build());

    assertThat(broker.results.readValue().getReason()).isEqualTo(ReasonCode.MODEL_NOT_ALLOWED);
  }

  // ---- routing, replies, rollups ----

  @Test
  void routesAroundADeploymentWhoseCircuitIsOpen() {
    broker.health.pipeInput(
        "local",
        ProviderHealth.newBuilder()
            .setDeployment("local")
            .setProvider("simulated")
            .setState(CircuitState.OPEN)
            .setWorkerId("w1")
            .setUpdatedAt(TestRequests.NOW)
            .build());

    broker.send(chat("r1", "acme", "a").build());

    assertThat(broker.dispatch.isEmpty()).isTrue();
    assertThat(broker.fallbackDispatch.readValue().getRoute()).isEqualTo(TestRequests.FALLBACK);
  }

  @Test
  void sendsBatchWorkToItsOwnDispatchTopicSoItNeverQueuesAheadOfInteractiveWork() {
    var batchTopic =
        broker.output(broker.topics.dispatchBatch("simulated"), broker.serdes().dispatches());
    broker.send(chat("r1", "acme", "a").setPriority(io.aibroker.records.Priority.BATCH).build());
    broker.send(chat("r2", "acme", "b").build());

    assertThat(batchTopic.readValue().getRequestId()).isEqualTo("r1");
    assertThat(broker.dispatch.readValuesToList())
        .extracting(DispatchRequest::getRequestId)
        .containsExactly("r2");
  }

  @Test
  void copiesTheResultToTheRequestsReplyToTopic() {
    var replies = broker.output("acme.replies", broker.serdes().results());
    broker.send(chat("r1", "acme", "a").setReplyTo("acme.replies").build());
    broker.succeed(broker.dispatch.readValue(), 1, 1);

    assertThat(replies.readKeyValue().key).isEqualTo("r1");
  }

  @Test
  void rejectsAReplyToTopicThatDoesNotExist() {
    broker.send(chat("r1", "acme", "a").setReplyTo("nobody.listens").build());

    InferenceResult result = broker.results.readValue();
    assertThat(result.getStatus()).isEqualTo(ResultStatus.REJECTED);
    assertThat(result.getMessage()).contains("nobody.listens");
  }

  @Test
  void rollsUsageUpPerTenantModelProviderHourAndDay() {
    broker.send(chat("r1", "acme", "a").build());
    broker.succeed(broker.dispatch.readValue(), 100, 50);
    broker.send(chat("r2", "acme", "b").build());
    broker.succeed(broker.dispatch.readValue(), 10, 5);

    broker.publishRollups();
    List<UsageRollup> rollups = broker.rollups.readValuesToList();
    UsageRollup lastHour =
        rollups.stream()
            .filter(r -> r.getWindow() == RollupWindow.HOUR)
            .reduce((a, b) -> b)
            .orElseThrow();
    assertThat(lastHour.getRequests()).isEqualTo(2);
    assertThat(lastHour.getInputTokens()).isEqualTo(110);
    assertThat(lastHour.getOutputTokens()).isEqualTo(55);
    assertThat(rollups).anySatisfy(r -> assertThat(r.getWindow()).isEqualTo(RollupWindow.DAY));
  }

  @Test
  void publishesEachChangedWindowOncePerIntervalNotOncePerEvent() {
    for (int i = 0; i < 5; i++) {
      broker.send(chat("many-" + i, "acme", "text " + i).build());
      broker.succeed(broker.dispatch.readValue(), 10, 5);
    }
    assertThat(broker.rollups.isEmpty()).as("nothing published before the interval").isTrue();

    broker.publishRollups();
    List<UsageRollup> first = broker.rollups.readValuesToList();
    broker.publishRollups();

    assertThat(first).hasSize(2); // the hour and the day, each once
    assertThat(first).allSatisfy(r -> assertThat(r.getRequests()).isEqualTo(5));
    assertThat(broker.rollups.isEmpty()).as("unchanged windows are not published again").isTrue();
  }

  @Test
  void aDaysRollupIsTheSumOfItsHours() {
    broker.send(chat("h1", "acme", "first hour").build());
    broker.succeed(broker.dispatch.readValue(), 100, 50);
    broker.clock.advance(Duration.ofHours(1));
    broker.send(chat("h2", "acme", "second hour").build());
    broker.succeed(broker.dispatch.readValue(), 10, 5);

    broker.publishRollups();
    List<UsageRollup> published = broker.rollups.readValuesToList();

    assertThat(published).filteredOn(r -> r.getWindow() == RollupWindow.HOUR).hasSize(2);
    UsageRollup day =
        published.stream().filter(r -> r.getWindow() == RollupWindow.DAY).findFirst().orElseThrow();
    assertThat(published).filteredOn(r -> r.getWindow() == RollupWindow.DAY).hasSize(1);
    assertThat(day.getRequests()).isEqualTo(2);
    assertThat(day.getInputTokens()).isEqualTo(110);
    assertThat(day.getOutputTokens()).isEqualTo(55);
    assertThat(day.getWindowStart()).isEqualTo(TestRequests.NOW.truncatedTo(ChronoUnit.DAYS));
    assertThat(day.getUpdatedAt()).isEqualTo(TestRequests.NOW.plus(Duration.ofHours(1)));
    assertThat(day.getCost())
        .isEqualByComparingTo(
            published.stream()
                .filter(r -> r.getWindow() == RollupWindow.HOUR)
                .map(UsageRollup::getCost)
                .reduce(BigDecimal.ZERO, BigDecimal::add));
  }

  @Test
  void marksAChangedWindowUnpublishedOnceUntilItIsPublished() {
    var marks = broker.changelog(UsageRollupProcessor.UNPUBLISHED_STORE, Serdes.String());
    for (int i = 0; i < 5; i++) { // the driver commits after every record
      broker.send(chat("mark-" + i, "acme", "text " + i).build());
      broker.succeed(broker.dispatch.readValue(), 10, 5);
    }
    assertThat(marks.readRecordsToList())
        .as("one mark for the hour changed (its day is derived), not one per change")
        .hasSize(1)
        .allSatisfy(mark -> assertThat(mark.value()).isEmpty());

    broker.publishRollups();
    broker.send(chat("mark-after", "acme", "text after").build());
    broker.succeed(broker.dispatch.readValue(), 10, 5);

    assertThat(marks.readRecordsToList())
        .extracting(TestRecord::value)
        .as("published: the marks deleted; changed again: marked again")
        .containsExactly(null, "");
  }

  private static TenantPolicy.Builder policy(String tenant) {
    return TenantPolicy.newBuilder().setTenantId(tenant).setUpdatedAt(TestRequests.NOW);
  }

  private static io.aibroker.records.ProviderOutcome failure(
      DispatchRequest dispatched, io.aibroker.records.ErrorClass errorClass) {
    return io.aibroker.records.ProviderOutcome.newBuilder()
        .setRequestId(dispatched.getRequestId())
        .setTenantId(dispatched.getTenantId())
        .setRoute(dispatched.getRoute())
        .setAttempt(dispatched.getAttempt())
        .setSuccess(false)
        .setError(
            io.aibroker.records.ProviderError.newBuilder()
                .setErrorClass(errorClass)
                .setCode("ValidationException")
                .setHttpStatus(400)
                .setMessage("bad")
                .build())
        .setCompletedAt(TestRequests.NOW)
        .build();
  }
}
