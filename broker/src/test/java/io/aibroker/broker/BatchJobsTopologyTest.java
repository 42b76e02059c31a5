package io.aibroker.broker;

import static io.aibroker.broker.TestRequests.FALLBACK;
import static io.aibroker.broker.TestRequests.NOW;
import static io.aibroker.broker.TestRequests.PRIMARY;
import static io.aibroker.broker.TestRequests.chat;
import static org.assertj.core.api.Assertions.assertThat;

import io.aibroker.records.DispatchRequest;
import io.aibroker.records.ErrorClass;
import io.aibroker.records.InferenceRequest;
import io.aibroker.records.InferenceResult;
import io.aibroker.records.Priority;
import io.aibroker.records.ProviderError;
import io.aibroker.records.ProviderOutcome;
import io.aibroker.records.ResultStatus;
import io.aibroker.records.RollupWindow;
import io.aibroker.records.UsageEvent;
import io.aibroker.records.UsageRollup;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.Set;
import org.apache.kafka.streams.TestOutputTopic;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * BATCH requests to a model whose route pools batch jobs (chat-batch), through the topology: pooled
 * on the batch dispatch topic at the batch tier, failed over to a real-time call of the same route,
 * and priced at the batch tier with what that saved against the standard tier.
 */
class BatchJobsTopologyTest {

  private final BrokerHarness broker = new BrokerHarness(TenantDefaults.unlimited(), Set.of());
  private final TestOutputTopic<String, DispatchRequest> batchDispatch =
      broker.output(broker.topics.dispatchBatch("simulated"), broker.serdes().dispatches());

  @AfterEach
  void close() {
    broker.close();
  }

  private static InferenceRequest.Builder batchChat(String requestId) {
    return chat(requestId, "acme", "summarise this")
        .setModel("chat-batch")
        .setPriority(Priority.BATCH);
  }

  @Test
  void aBatchRequestIsPooledOnTheBatchDispatchTopicAtTheBatchTierWithARealTimeFallback() {
    broker.send(batchChat("r1").build());

    DispatchRequest dispatched = batchDispatch.readValue();
    assertThat(dispatched.getRoute().getServiceTier()).isEqualTo("batch");
    assertThat(dispatched.getRoute().getBatch().getMaxWaitMs()).isEqualTo(2_000);
    assertThat(dispatched.getRoute().getBatch().getMaxLines()).isEqualTo(1000);
    assertThat(dispatched.getFallbacks()).containsExactly(PRIMARY, FALLBACK);
    assertThat(broker.dispatch.isEmpty()).isTrue();
  }

  @Test
  void anInteractiveRequestToTheSameModelIsCalledInRealTime() {
    broker.send(batchChat("r1").setPriority(Priority.INTERACTIVE).build());

    DispatchRequest dispatched = broker.dispatch.readValue();
    assertThat(dispatched.getRoute()).isEqualTo(PRIMARY);
    assertThat(dispatched.getRoute().getBatch()).isNull();
    assertThat(dispatched.getFallbacks()).containsExactly(FALLBACK);
    assertThat(batchDispatch.isEmpty()).isTrue();
  }

  @Test
  void aBatchRequestDueBeforeTheWindowEndsIsCalledInRealTime() {
    broker.send(batchChat("r1").setDeadline(NOW.plus(Duration.ofHours(1))).build());

    // still on the batch topic (its priority), but as a real-time call
    DispatchRequest dispatched = batchDispatch.readValue();
    assertThat(dispatched.getRoute()).isEqualTo(PRIMARY);
    assertThat(dispatched.getFallbacks()).containsExactly(FALLBACK);
  }

  @Test
  void aFailedBatchJobFailsOverToTheSameRouteInRealTime() {
    broker.send(batchChat("r1").build());
    DispatchRequest pooled = batchDispatch.readValue();

    broker.outcomes.pipeInput("acme", failed(pooled, "batch job expired"));

    DispatchRequest next = batchDispatch.readValue();
    assertThat(next.getRoute()).isEqualTo(PRIMARY);
    assertThat(next.getRoute().getBatch()).isNull();
    assertThat(next.getAttempt()).isEqualTo(2);
    assertThat(next.getFallbacks()).containsExactly(FALLBACK);
    assertThat(broker.results.isEmpty()).isTrue();

    broker.succeed(next, 1_000, 500);
    assertThat(broker.results.readValue().getCost())
        .isEqualByComparingTo(new BigDecimal("0.002")); // the standard price: 1000*1 + 500*2
  }

  @Test
  void aBatchJobThatFailsAfterTheDeadlineEndsExpiredWithTheProvidersMessage() {
    broker.send(batchChat("r1").setDeadline(NOW.plus(Duration.ofHours(25))).build());
    DispatchRequest pooled = batchDispatch.readValue();
    broker.clock.advance(Duration.ofHours(26));

    broker.outcomes.pipeInput("acme", failed(pooled, "batch job expired"));

    InferenceResult result = broker.results.readValue();
    assertThat(result.getStatus()).isEqualTo(ResultStatus.EXPIRED);
    assertThat(result.getMessage()).isEqualTo("batch job expired");
    assertThat(batchDispatch.isEmpty()).isTrue();
  }

  @Test
  void aBatchLineIsPricedAtTheBatchTierAndShowsWhatTheStandardTierWouldHaveCost() {
    broker.send(batchChat("r1").build());
    broker.succeed(batchDispatch.readValue(), 1_000, 500);

    InferenceResult result = broker.results.readValue();
    assertThat(result.getStatus()).isEqualTo(ResultStatus.SUCCEEDED);
    assertThat(result.getCost()).isEqualByComparingTo(new BigDecimal("0.001")); // 1000*.5 + 500*1
    UsageEvent usage = broker.usage.readValue();
    assertThat(usage.getServiceTier()).isEqualTo("batch");
    assertThat(usage.getCost()).isEqualByComparingTo(new BigDecimal("0.001"));
    assertThat(usage.getStandardCost()).isEqualByComparingTo(new BigDecimal("0.002"));
    broker.publishRollups();
    UsageRollup day =
        broker.rollups.readValuesToList().stream()
            .filter(r -> r.getWindow() == RollupWindow.DAY)
            .reduce((first, second) -> second)
            .orElseThrow();
    assertThat(day.getCost()).isEqualByComparingTo(new BigDecimal("0.001"));
    assertThat(day.getStandardCost()).isEqualByComparingTo(new BigDecimal("0.002"));
  }

  @Test
  void aRealTimeCallAtTheStandardTierCostsItsStandardCost() {
    broker.send(chat("r1", "acme", "hello").build());
    broker.succeed(broker.dispatch.readValue(), 1_000, 500);

    UsageEvent usage = broker.usage.readValue();
    assertThat(usage.getStandardCost()).isEqualByComparingTo(usage.getCost());
  }

  private static ProviderOutcome failed(DispatchRequest dispatched, String message) {
    return ProviderOutcome.newBuilder()
        .setRequestId(dispatched.getRequestId())
        .setTenantId(dispatched.getTenantId())
        .setRoute(dispatched.getRoute())
        .setAttempt(dispatched.getAttempt())
        .setSuccess(false)
        .setError(
            ProviderError.newBuilder()
                .setErrorClass(ErrorClass.RETRYABLE)
                .setCode("batch_expired")
                .setMessage(message)
                .build())
        .setCalls(1)
        .setCompletedAt(NOW)
        .build();
  }
}
