package io.aibroker.broker;

import static io.aibroker.broker.TestRequests.NOW;
import static io.aibroker.broker.TestRequests.chat;
import static org.assertj.core.api.Assertions.assertThat;

import io.aibroker.records.InferenceRequest;
import io.aibroker.records.OverLimitAction;
import io.aibroker.records.internal.TenantUsage;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The over-limit queue of a QUEUE tenant: bounds, draining order, expiry. */
class TenantQueueTest {

  private static final EffectivePolicy QUEUE_TWO_AT_ONCE =
      RuleFixture.limits(null, null, 2, null, OverLimitAction.QUEUE);

  private final RuleFixture fixture = new RuleFixture();
  private final TenantQueue queue = queue(3);
  private final List<String> expired = new ArrayList<>();
  private final List<String> admitted = new ArrayList<>();

  private TenantQueue queue(int maxQueued) {
    return new TenantQueue(
        fixture.usage, TestRequests.models(), TestRequests.livePrices(), maxQueued);
  }

  private void drain(EffectivePolicy policy) {
    queue.drain(
        "acme",
        policy,
        NOW,
        request -> expired.add(request.getRequestId()),
        (request, model, demand) -> {
          assertThat(model.name()).isEqualTo("chat-default");
          assertThat(demand).isEqualTo(Demands.of(request, model, TestRequests.prices(), NOW));
          admitted.add(request.getRequestId());
        });
  }

  private TenantUsage queued(InferenceRequest... requests) {
    TenantUsage used = QuotaLedger.empty(NOW);
    used.getQueued().addAll(List.of(requests));
    fixture.usage.put("acme", used);
    return used;
  }

  @Test
  void queuedRequestsAreAheadOnlyUnderTheQueuePolicy() {
    TenantUsage used = queued(chat("r1", "acme", "a").build());

    assertThat(TenantQueue.isAhead(used, QUEUE_TWO_AT_ONCE)).isTrue();
    assertThat(TenantQueue.isAhead(used, RuleFixture.unlimited())).isFalse();
    assertThat(TenantQueue.isAhead(QuotaLedger.empty(NOW), QUEUE_TWO_AT_ONCE)).isFalse();
  }

  @Test
  void aRequestIsQueuedOnlyUnderTheQueuePolicyAndWithinTheCount() {
    TenantUsage used = QuotaLedger.empty(NOW);

    assertThat(queue.offer("acme", used, chat("r0", "acme", "a").build(), RuleFixture.unlimited()))
        .isFalse();
    for (int i = 1; i <= 3; i++) {
      assertThat(queue.offer("acme", used, chat("r" + i, "acme", "a").build(), QUEUE_TWO_AT_ONCE))
          .isTrue();
    }
    assertThat(queue.offer("acme", used, chat("r4", "acme", "a").build(), QUEUE_TWO_AT_ONCE))
        .isFalse();

    assertThat(fixture.usage.get("acme").getQueued())
        .extracting(InferenceRequest::getRequestId)
        .containsExactly("r1", "r2", "r3");
    assertThat(TenantQueue.fullMessage(used)).isEqualTo("the tenant's queue is full (3 requests)");
  }

  @Test
  void aRequestIsQueuedOnlyWhileTheQueueStaysWithinItsBytes() {
    TenantQueue roomy = queue(1_000);
    TenantUsage used = QuotaLedger.empty(NOW);
    InferenceRequest large = chat("r", "acme", "x".repeat(1_000_000)).build();
    long fit = TenantQueue.MAX_BYTES / RequestSizes.estimate(large);

    for (int i = 0; i < fit; i++) {
      assertThat(roomy.offer("acme", used, large, QUEUE_TWO_AT_ONCE)).isTrue();
    }

    assertThat(roomy.offer("acme", used, large, QUEUE_TWO_AT_ONCE)).isFalse();
    assertThat(used.getQueued()).hasSize((int) fit);
  }

  @Test
  void drainingAdmitsTheOldestFirstWhileTheyFit() {
    queued(
        chat("r1", "acme", "a").build(),
        chat("r2", "acme", "b").build(),
        chat("r3", "acme", "c").build());

    drain(QUEUE_TWO_AT_ONCE);

    assertThat(admitted).containsExactly("r1", "r2");
    TenantUsage left = fixture.usage.get("acme");
    assertThat(left.getQueued()).extracting(InferenceRequest::getRequestId).containsExactly("r3");
    assertThat(left.getInFlight()).isEqualTo(2);
    assertThat(left.getRequests()).isEqualTo(2);
  }

  @Test
  void drainingStopsAtTheFirstThatDoesNotFitSoNoneOvertakesIt() {
    long smallFits =
        Demands.of(chat("r", "acme", "a").build(), model(), TestRequests.prices(), NOW).tokens();
    queued(
        chat("big", "acme", "a").setParams(TestRequests.params(5_000, null, null)).build(),
        chat("small", "acme", "a").build());

    drain(RuleFixture.limits(null, smallFits, null, null, OverLimitAction.QUEUE));

    assertThat(admitted).isEmpty();
    assertThat(fixture.usage.get("acme").getQueued()).hasSize(2);
  }

  @Test
  void overdueRequestsAtTheHeadExpireEvenWhenNothingElseFits() {
    queued(
        chat("late", "acme", "a").setDeadline(NOW).build(),
        chat("r2", "acme", "b").setDeadline(NOW.plusSeconds(5)).build(),
        chat("r3", "acme", "c").build(),
        chat("late-too", "acme", "d").setDeadline(NOW.minusSeconds(1)).build(),
        chat("r5", "acme", "e").build(),
        chat("late-behind", "acme", "f").setDeadline(NOW).build());

    drain(QUEUE_TWO_AT_ONCE);

    assertThat(expired).containsExactly("late", "late-too");
    assertThat(admitted).containsExactly("r2", "r3");
    assertThat(fixture.usage.get("acme").getQueued())
        .extracting(InferenceRequest::getRequestId)
        .containsExactly("r5", "late-behind"); // not reached: r5 does not fit
  }

  @Test
  void drainingATenantWithoutQueueChangesNothing() {
    drain(QUEUE_TWO_AT_ONCE);
    assertThat(fixture.usage.get("acme")).isNull();

    queued();
    drain(QUEUE_TWO_AT_ONCE);
    assertThat(admitted).isEmpty();
    assertThat(expired).isEmpty();
  }

  private static ModelDefinition model() {
    return TestRequests.models().resolve("chat-default").orElseThrow();
  }
}
