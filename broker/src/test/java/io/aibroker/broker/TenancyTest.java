package io.aibroker.broker;

import static io.aibroker.broker.TestRequests.chat;
import static org.assertj.core.api.Assertions.assertThat;

import io.aibroker.records.CacheOptions;
import io.aibroker.records.DispatchRequest;
import io.aibroker.records.InferenceRequest;
import io.aibroker.records.InferenceResult;
import io.aibroker.records.ReasonCode;
import io.aibroker.records.ResultStatus;
import io.aibroker.records.TenantCachePolicy;
import io.aibroker.records.TenantPolicy;
import io.aibroker.records.internal.TenantUsage;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Who a request belongs to and what a tenant may make the broker hold: tenants' own topics, unknown
 * tenants, idempotency conflicts, bounded waiters counted against the tenant's limits, cache scope
 * of explicit keys, and meter labels.
 */
class TenancyTest {

  private static final Tenancy TENANCY =
      new Tenancy(true, Tenancy.UnknownTenants.DEFAULTS, 3, 1L << 20, Duration.ofSeconds(5));

  private BrokerHarness broker =
      new BrokerHarness(TenantDefaults.unlimited(), Set.of("aibroker.results.acme"), TENANCY);

  @AfterEach
  void close() {
    broker.close();
  }

  private void restart(TenantDefaults defaults, Tenancy tenancy) {
    broker.close();
    broker = new BrokerHarness(defaults, Set.of("aibroker.results.acme"), tenancy);
  }

  // ---- tenants' own topics ----

  @Test
  void aRequestOnItsTenantsTopicIsServed() {
    broker.tenantRequests("acme").pipeInput(null, chat("r1", "acme", "hello").build());

    DispatchRequest dispatched = broker.dispatch.readValue();
    assertThat(dispatched.getTenantId()).isEqualTo("acme");
    broker.succeed(dispatched, 10, 20);
    assertThat(broker.results.readValue().getStatus()).isEqualTo(ResultStatus.SUCCEEDED);
  }

  @Test
  void aRequestClaimingAnotherTenantOnATenantsTopicIsRejectedAndChargedToNobody() {
    broker.tenantRequests("mallory").pipeInput(null, chat("r1", "acme", "hello").build());

    InferenceResult result = broker.results.readValue();
    assertThat(result.getStatus()).isEqualTo(ResultStatus.REJECTED);
    assertThat(result.getReason()).isEqualTo(ReasonCode.TENANT_MISMATCH);
    assertThat(result.getTenantId()).isEqualTo("mallory");
    assertThat(result.getMessage()).contains("acme", "aibroker.requests.mallory");
    assertThat(broker.dispatch.isEmpty()).isTrue();
    assertThat(broker.usage.isEmpty()).isTrue();
    assertThat(usageOf("acme")).isNull();
    assertThat(usageOf("mallory")).isNull();
  }

  @Test
  void aTenantWithTopicsOfItsOwnGetsItsResultsThereAndItsMismatchesOnlyThere() {
    broker.tenants.pipeInput("acme", policy("acme").setOwnTopics(true).build());
    var own = broker.tenantResults("acme");

    broker.tenantRequests("acme").pipeInput(null, chat("r1", "acme", "hello").build());
    broker.succeed(broker.dispatch.readValue(), 10, 20);
    broker.tenantRequests("acme").pipeInput(null, chat("r2", "bob", "hello").build());

    assertThat(own.readValuesToList())
        .extracting(InferenceResult::getRequestId, InferenceResult::getStatus)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple("r1", ResultStatus.SUCCEEDED),
            org.assertj.core.groups.Tuple.tuple("r2", ResultStatus.REJECTED));
    assertThat(broker.results.readValuesToList())
        .extracting(InferenceResult::getRequestId)
        .containsExactly("r1");
  }

  @Test
  void aTenantWithTopicsOfItsOwnMayReplyOnlyToItsOwnReplyTopic() {
    broker.tenants.pipeInput("acme", policy("acme").setOwnTopics(true).build());

    broker.send(chat("r1", "acme", "hello").setReplyTo("aibroker.replies.bob").build());

    InferenceResult result = broker.results.readValue();
    assertThat(result.getReason()).isEqualTo(ReasonCode.INVALID_REQUEST);
    assertThat(result.getMessage()).contains("aibroker.replies.acme");
  }

  @Test
  void unknownTenantsAreRejectedWhenTheBrokerRejectsThem() {
    restart(TenantDefaults.unlimited(), TENANCY.withUnknownTenants(Tenancy.UnknownTenants.REJECT));
    broker.tenants.pipeInput("acme", policy("acme").build());

    broker.send(chat("r1", "made-up", "hello").build());
    broker.send(chat("r2", "acme", "hello").build());

    InferenceResult rejected = broker.results.readValue();
    assertThat(rejected.getRequestId()).isEqualTo("r1");
    assertThat(rejected.getReason()).isEqualTo(ReasonCode.UNKNOWN_TENANT);
    assertThat(broker.dispatch.readValue().getRequestId()).isEqualTo("r2");
    assertThat(usageOf("made-up")).isNull();
  }

  // ---- idempotency ----

  @Test
  void aReusedIdempotencyKeyWithOtherContentIsAConflictAndGetsNothingOfTheOriginal() {
    broker.send(chat("r1", "acme", "secret question").setIdempotencyKey("k").build());
    broker.succeed(broker.dispatch.readValue(), 10, 20);
    broker.results.readValue();
    broker.usage.readValue();

    broker.send(chat("r2", "acme", "probe").setIdempotencyKey("k").build());

    InferenceResult result = broker.results.readValue();
    assertThat(result.getReason()).isEqualTo(ReasonCode.IDEMPOTENCY_CONFLICT);
    assertThat(result.getStatus()).isEqualTo(ResultStatus.REJECTED);
    assertThat(result.getOutput()).isNull();
    assertThat(result.getDuplicateOf()).isNull();
    assertThat(broker.usage.isEmpty()).isTrue();
  }

  @Test
  void aReusedIdempotencyKeyWithOtherContentWhileTheOriginalIsInFlightIsAConflict() {
    broker.send(chat("r1", "acme", "secret question").build());
    broker.send(chat("r2", "acme", "probe").setIdempotencyKey("r1").build());

    InferenceResult result = broker.results.readValue();
    assertThat(result.getRequestId()).isEqualTo("r2");
    assertThat(result.getReason()).isEqualTo(ReasonCode.IDEMPOTENCY_CONFLICT);
  }

  @Test
  void aReusedIdempotencyKeyWithOtherModelIsAConflict() {
    broker.send(chat("r1", "acme", "hello").setIdempotencyKey("k").build());
    broker.send(
        chat("r2", "acme", "hello").setIdempotencyKey("k").setModel("embed-default").build());

    assertThat(broker.results.readValuesToList())
        .extracting(InferenceResult::getReason)
        .containsAnyOf(ReasonCode.IDEMPOTENCY_CONFLICT, ReasonCode.INVALID_REQUEST);
  }

  // ---- waiters ----

  @Test
  void identicalRequestsBeyondTheWaiterLimitMakeTheirOwnCalls() {
    for (int i = 1; i <= 5; i++) {
      broker.send(chat("r" + i, "acme", "same").build());
    }

    // one leader, three waiters (the limit), the fifth admitted on its own
    List<DispatchRequest> calls = broker.dispatch.readValuesToList();
    assertThat(calls).extracting(DispatchRequest::getRequestId).containsExactly("r1", "r5");
    assertThat(usageOf("acme").getInFlight()).isEqualTo(5);
    assertThat(usageOf("acme").getRequests()).isEqualTo(5);

    broker.succeed(calls.get(0), 10, 20);
    assertThat(broker.results.readValuesToList()).hasSize(4);
    assertThat(usageOf("acme").getInFlight()).isEqualTo(1);
  }

  @Test
  void joinersCountAgainstTheTenantsRequestsPerMinute() {
    restart(TestLimits.rpm(2), TENANCY);

    broker.send(chat("r1", "acme", "same").build());
    broker.send(chat("r2", "acme", "same").build());
    broker.send(chat("r3", "acme", "same").build());

    InferenceResult third = broker.results.readValue();
    assertThat(third.getRequestId()).isEqualTo("r3");
    assertThat(third.getReason()).isEqualTo(ReasonCode.QUOTA_RPM);
  }

  @Test
  void duplicatesBeyondTheWaiterLimitAreRejected() {
    broker.send(chat("r1", "acme", "same").setIdempotencyKey("k").build());
    for (int i = 2; i <= 5; i++) {
      broker.send(chat("r" + i, "acme", "same").setIdempotencyKey("k").build());
    }

    InferenceResult fifth = broker.results.readValue();
    assertThat(fifth.getRequestId()).isEqualTo("r5");
    assertThat(fifth.getReason()).isEqualTo(ReasonCode.QUOTA_CONCURRENCY);
    assertThat(fifth.getMessage()).contains("wait for the result of request 'r1'");
  }

  @Test
  void waitersAreKeptWithoutTheirPromptAndStillAnsweredInFull() {
    String prompt = "x".repeat(100_000);
    broker.send(chat("r1", "acme", prompt).build());
    broker.send(chat("r2", "acme", prompt).setMetadata(java.util.Map.of("k", "v")).build());

    var waiting =
        broker
            .driver
            .<String, io.aibroker.records.internal.WaiterList>getKeyValueStore(BrokerStores.WAITERS)
            .get("r1");
    assertThat(waiting.getWaiters()).hasSize(1);
    assertThat(waiting.getWaiters().getFirst().getRequest().getMessages()).isEmpty();

    broker.succeed(broker.dispatch.readValue(), 10, 20);
    InferenceResult answer = broker.results.readValuesToList().get(1);
    assertThat(answer.getRequestId()).isEqualTo("r2");
    assertThat(answer.getMetadata()).containsEntry("k", "v");
    assertThat(answer.getOutput().getText()).isEqualTo("answer to r1");

    // the waiter's own redelivery is still recognised as the same request
    broker.send(chat("r2", "acme", prompt).setMetadata(java.util.Map.of("k", "v")).build());
    assertThat(broker.results.isEmpty()).isTrue();
    assertThat(broker.dispatch.isEmpty()).isTrue();
  }

  // ---- cache scope ----

  @Test
  void anExplicitCacheKeyStaysInsideItsTenantEvenWhenTheCacheIsShared() {
    for (String tenant : List.of("acme", "bob")) {
      broker.tenants.pipeInput(
          tenant,
          policy(tenant).setCache(TenantCachePolicy.newBuilder().setShared(true).build()).build());
    }
    CacheOptions key = CacheOptions.newBuilder().setKey("faq-1").build();
    broker.send(chat("r1", "acme", "what is it?").setCache(key).build());
    broker.succeed(broker.dispatch.readValue(), 10, 20);
    broker.results.readValue();

    broker.send(chat("r2", "bob", "what is it?").setCache(key).build());

    assertThat(broker.dispatch.readValue().getRequestId()).isEqualTo("r2");
    assertThat(broker.results.isEmpty()).isTrue();
  }

  @Test
  void explicitCacheKeysAreHashedWithTaskAndModel() {
    InferenceRequest chat =
        chat("r1", "acme", "a").setCache(CacheOptions.newBuilder().setKey("k").build()).build();

    assertThat(CacheKeys.of(chat, "chat-default", false))
        .isNotEqualTo(CacheKeys.of(chat, "other-model", false));
  }

  // ---- meter labels ----

  @Test
  void requestsNamingUnknownModelsOrInvalidTenantsShareOneLabel() {
    for (int i = 0; i < 500; i++) {
      broker.send(chat("r" + i, "acme", "hi").setModel("no-such-model-" + i).build());
      broker.send(chat("q" + i, "bad tenant " + i, "hi").build());
    }

    var counters = broker.meters.find(BrokerMetrics.REQUESTS).counters();
    assertThat(counters).hasSizeLessThanOrEqualTo(3);
    assertThat(
            broker.meters.get(BrokerMetrics.REQUESTS).tag("model", MeterLabels.UNKNOWN).counters())
        .isNotEmpty();
  }

  private TenantUsage usageOf(String tenant) {
    return broker.driver.<String, TenantUsage>getKeyValueStore(BrokerStores.USAGE).get(tenant);
  }

  private static TenantPolicy.Builder policy(String tenant) {
    return TenantPolicy.newBuilder().setTenantId(tenant).setUpdatedAt(TestRequests.NOW);
  }
}
