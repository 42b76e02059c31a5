package io.aibroker.broker;

import static org.assertj.core.api.Assertions.assertThat;

import io.aibroker.records.InferenceRequest;
import io.aibroker.records.OverLimitAction;
import io.aibroker.records.ReasonCode;
import io.aibroker.records.TenantPolicy;
import java.math.BigDecimal;
import org.apache.kafka.streams.processor.api.MockProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.junit.jupiter.api.Test;

/** The public entry points the bench module measures run the broker's own arithmetic. */
class HotPathsTest {

  private final InferenceRequest request =
      TestRequests.chat("r-1", "acme", "hello")
          .setParams(TestRequests.params(64, null, null))
          .build();

  @Test
  void cacheKeyAndRouteOrderAreTheBrokersOwn() {
    assertThat(HotPaths.cacheKey(request, "chat-default", false))
        .isEqualTo(CacheKeys.of(request, "chat-default", false))
        .isNotEqualTo(HotPaths.cacheKey(request, "chat-default", true));
    ModelDefinition model = TestRequests.models().resolve("chat-default").orElseThrow();
    assertThat(HotPaths.routeOrder(model.routes(), route -> false, "r-1"))
        .containsExactly(TestRequests.PRIMARY, TestRequests.FALLBACK);
    assertThat(HotPaths.routeOrder(model.routes(), TestRequests.PRIMARY::equals, "r-1"))
        .containsExactly(TestRequests.FALLBACK);
  }

  @Test
  void theLedgerAdmitsWithinItsLimitsAndRefusesBeyondThem() {
    TenantPolicy onePerMinute =
        TenantPolicy.newBuilder()
            .setTenantId("acme")
            .setRequestsPerMinute(1)
            .setOverLimit(OverLimitAction.REJECT)
            .setUpdatedAt(TestRequests.NOW)
            .build();
    var ledger =
        new HotPaths.QuotaLedgerProbe(
            onePerMinute, TenantDefaults.unlimited(), TestRequests.prices(), TestRequests.NOW);
    ModelDefinition model = TestRequests.models().resolve("chat-default").orElseThrow();

    assertThat(ledger.admitAndSettle(request, model, TestRequests.NOW, 10, BigDecimal.ZERO))
        .isEmpty();
    assertThat(ledger.admitAndSettle(request, model, TestRequests.NOW, 10, BigDecimal.ZERO))
        .contains(ReasonCode.QUOTA_RPM);
    assertThat(
            ledger.admitAndSettle(
                request, model, TestRequests.NOW.plusSeconds(60), 10, BigDecimal.ZERO))
        .as("a new minute")
        .isEmpty();
  }

  @Test
  void passOnForwardsEachRecordUnchangedAndCommitsWhenIdleUnderExactlyOnce() {
    var context = new MockProcessorContext<String, String>();
    var processor = HotPaths.<String, String>passOn(true).get();
    processor.init(context);
    context.setCurrentSystemTimeMs(0); // noted as the thread's last record

    processor.process(new Record<>("k", "v", 42L));

    assertThat(context.forwarded()).hasSize(1);
    assertThat(context.forwarded().getFirst().record().key()).isEqualTo("k");
    assertThat(context.forwarded().getFirst().record().value()).isEqualTo("v");
    assertThat(context.forwarded().getFirst().record().timestamp()).isEqualTo(42L);
    // CommitWhenIdle's own check (its tests): the thread's clock is shared with them
    assertThat(context.scheduledPunctuators()).hasSize(1);
    assertThat(context.scheduledPunctuators().getFirst().getInterval())
        .isEqualTo(CommitWhenIdle.QUIET);

    var atLeastOnce = new MockProcessorContext<String, String>();
    HotPaths.<String, String>passOn(false).get().init(atLeastOnce);
    assertThat(atLeastOnce.scheduledPunctuators()).isEmpty();
  }
}
