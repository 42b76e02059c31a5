package io.aibroker.broker;

import static org.assertj.core.api.Assertions.assertThat;

import io.aibroker.records.InferenceResult;
import io.aibroker.records.ResultStatus;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.math.BigDecimal;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class BrokerMetricsTest {

  private final SimpleMeterRegistry registry = new SimpleMeterRegistry();

  private static InferenceResult result(String tenant) {
    return InferenceResult.newBuilder()
        .setRequestId("r-" + tenant)
        .setTenantId(tenant)
        .setStatus(ResultStatus.SUCCEEDED)
        .setCompletedAt(Instant.EPOCH)
        .build();
  }

  @Test
  void tenantsBeyondTheLimitShareOneTagSoSeriesStayBounded() {
    BrokerMetrics metrics = new BrokerMetrics(registry, 2);

    for (int i = 0; i < 100; i++) {
      metrics.result(result("t" + i), "chat-default", "t" + i);
      metrics.spend("t" + i, "chat-default", new BigDecimal("0.5"));
    }

    assertThat(registry.find(BrokerMetrics.REQUESTS).counters()).hasSize(3);
    assertThat(registry.get(BrokerMetrics.REQUESTS).tag("tenant", "t0").counter().count())
        .isEqualTo(1);
    assertThat(
            registry
                .get(BrokerMetrics.REQUESTS)
                .tag("tenant", BrokerMetrics.OTHER)
                .counter()
                .count())
        .isEqualTo(98);
    assertThat(
            registry.get(BrokerMetrics.SPEND).tag("tenant", BrokerMetrics.OTHER).counter().count())
        .isEqualTo(49);
  }

  @Test
  void aTenantKeepsItsOwnTagOnceItHasOne() {
    BrokerMetrics metrics = new BrokerMetrics(registry, 1);

    metrics.result(result("first"), "m", "first");
    metrics.result(result("second"), "m", "second");
    metrics.result(result("first"), "m", "first");

    assertThat(registry.get(BrokerMetrics.REQUESTS).tag("tenant", "first").counter().count())
        .isEqualTo(2);
    assertThat(
            registry
                .get(BrokerMetrics.REQUESTS)
                .tag("tenant", BrokerMetrics.OTHER)
                .counter()
                .count())
        .isEqualTo(1);
  }
}
