package io.aibroker.app.dashboard;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.aibroker.app.dashboard.DashboardSnapshot.Amount;
import io.aibroker.app.dashboard.DashboardSnapshot.LatencyPoint;
import io.aibroker.app.dashboard.DashboardSnapshot.ProviderHealth;
import io.aibroker.app.dashboard.DashboardSnapshot.StatePoint;
import io.aibroker.app.dashboard.DashboardSnapshot.ThroughputPoint;
import io.aibroker.app.http.TokenTotals;
import io.aibroker.broker.BrokerMetrics;
import io.aibroker.testing.MutableClock;
import io.aibroker.workers.WorkerMetrics;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class DashboardDataTest {

  private final MeterRegistry registry = new SimpleMeterRegistry();
  private final MutableClock clock = new MutableClock(DashboardHandlerTest.START);

  private DashboardData brokerData(int capacity, int rateWindow) {
    return new DashboardData(registry, clock, true, true, capacity, rateWindow);
  }

  private void results(String tenant, String model, String status, int n) {
    Counter.builder(BrokerMetrics.REQUESTS)
        .tag("tenant", tenant)
        .tag("model", model)
        .tag("status", status)
        .tag("reason", "none")
        .register(registry)
        .increment(n);
  }

  /** The broker's latency timer; SimpleMeterRegistry publishes explicit buckets only. */
  private Timer latency(String status) {
    return Timer.builder(BrokerMetrics.LATENCY)
        .tag("status", status)
        .serviceLevelObjectives(
            Duration.ofMillis(10), Duration.ofMillis(100), Duration.ofMillis(1000))
        .register(registry);
  }

  private void tick(DashboardData data) {
    clock.advance(Duration.ofSeconds(1));
    data.sample();
  }

  @Test
  void requestsPerSecondIsTheCountersGrowthOverTheMovingWindow() {
    DashboardData data = brokerData(10, 2);
    data.sample();
    results("acme", "chat-default", "SUCCEEDED", 8);
    results("acme", "chat-default", "FAILED", 2);
    tick(data);
    results("globex", "embed-default", "SUCCEEDED", 4);
    tick(data);
    tick(data);

    var points = data.snapshot().throughput();

    assertThat(points).extracting(ThroughputPoint::rps).containsExactly(10.0, 7.0, 2.0);
    assertThat(points).extracting(ThroughputPoint::errorsPerSecond).containsExactly(2.0, 1.0, 0.0);
    assertThat(data.snapshot().totals().requests()).isEqualTo(14);
    assertThat(data.snapshot().totals().failed()).isEqualTo(2);
    assertThat(data.snapshot().requestsSource()).isEqualTo("broker");
  }

  @Test
  void latencyPercentilesCoverOnlyWhatWasRecordedInTheWindow() {
    DashboardData data = brokerData(10, 1);
    Timer succeeded = latency("SUCCEEDED");
    for (int i = 0; i < 100; i++) {
      succeeded.record(Duration.ofMillis(5)); // before the first sample: outside every window
    }
    data.sample();
    for (int i = 0; i < 10; i++) {
      latency("FAILED").record(Duration.ofMillis(500));
    }
    tick(data);
    tick(data); // nothing recorded in this second

    var snapshot = data.snapshot();
    LatencyPoint busy = snapshot.latency().points().get(0);
    LatencyPoint idle = snapshot.latency().points().get(1);

    assertThat(snapshot.latency().percentiles()).isTrue();
    assertThat(busy.p50()).isCloseTo(550.0, within(1e-6));
    assertThat(busy.p95()).isGreaterThan(busy.p50());
    assertThat(busy.p99()).isGreaterThanOrEqualTo(busy.p95()).isLessThanOrEqualTo(1000.0);
    assertThat(busy.mean()).isCloseTo(500.0, within(1e-6));
    assertThat(idle.p50()).isNull();
    assertThat(idle.mean()).isNull();
  }

  @Test
  void latencyWithoutAHistogramFallsBackToTheMean() {
    DashboardData data = brokerData(10, 1);
    Timer plain =
        Timer.builder(BrokerMetrics.LATENCY).tag("status", "SUCCEEDED").register(registry);
    data.sample();
    plain.record(Duration.ofMillis(20));
    plain.record(Duration.ofMillis(40));
    tick(data);

    var latency = data.snapshot().latency();

    assertThat(latency.percentiles()).isFalse();
    assertThat(latency.points())
        .singleElement()
        .satisfies(
            p -> {
              assertThat(p.p95()).isNull();
              assertThat(p.mean()).isCloseTo(30.0, within(1e-6));
            });
  }

  @Test
  void beforeAnyTrafficTheChartsAreEmptyAndLatencyIsExpectedAsPercentiles() {
    DashboardData data = new DashboardData(registry, clock, false, true, 10, 1);
    data.sample();
    tick(data);

    var snapshot = data.snapshot();

    assertThat(snapshot.latency().percentiles()).isTrue();
    assertThat(snapshot.latency().points())
        .singleElement()
        .satisfies(
            p -> {
              assertThat(p.p50()).isNull();
              assertThat(p.mean()).isNull();
            });
    assertThat(snapshot.throughput()).extracting(ThroughputPoint::rps).containsExactly(0.0);
    assertThat(snapshot.cache().hitRate()).isNull();
    assertThat(snapshot.spend().totalUsd()).isZero();
  }

  @Test
  void cacheHitRateIsHitsOverAllLookups() {
    DashboardData data = brokerData(10, 1);
    assertThat(data.snapshot().cache().hitRate()).isNull();

    registry.counter(BrokerMetrics.CACHE, "result", "hit").increment(3);
    registry.counter(BrokerMetrics.CACHE, "result", "miss").increment(4);
    registry.counter(BrokerMetrics.CACHE, "result", "coalesced").increment(1);
    data.sample();

    var cache = data.snapshot().cache();
    assertThat(cache.hits()).isEqualTo(3);
    assertThat(cache.misses()).isEqualTo(4);
    assertThat(cache.coalesced()).isEqualTo(1);
    assertThat(cache.hitRate()).isEqualTo(3.0 / 8);
  }

  @Test
  void spendIsSummedPerTenantAndPerModelHighestFirst() {
    DashboardData data = brokerData(10, 1);
    registry.counter(BrokerMetrics.SPEND, "tenant", "acme", "model", "chat-default").increment(0.5);
    registry
        .counter(BrokerMetrics.SPEND, "tenant", "acme", "model", "embed-default")
        .increment(0.1);
    registry.counter(BrokerMetrics.SPEND, "tenant", "globex", "model", "chat-default").increment(2);
    data.sample();

    var spend = data.snapshot().spend();

    assertThat(spend.totalUsd()).isCloseTo(2.6, within(1e-9));
    assertThat(spend.byTenant())
        .extracting(Amount::name, Amount::usd)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple("globex", 2.0),
            org.assertj.core.groups.Tuple.tuple("acme", 0.6));
    assertThat(spend.byModel())
        .extracting(Amount::name)
        .containsExactly("chat-default", "embed-default");
    assertThat(spend.byModel().get(0).usd()).isCloseTo(2.5, within(1e-9));
    assertThat(spend.byTenantAndModel()).hasSize(3);
  }

  @Test
  void providerHealthFollowsEachDeploymentsCircuitOverTheWindow() {
    DashboardData data = brokerData(10, 1);
    AtomicInteger circuit = new AtomicInteger(WorkerMetrics.CIRCUIT_CLOSED);
    Gauge.builder(WorkerMetrics.CIRCUIT_STATE, circuit, AtomicInteger::get)
        .tags(WorkerMetrics.TAG_PROVIDER, "bedrock", WorkerMetrics.TAG_DEPLOYMENT, "claude-east")
        .register(registry);
    data.sample();
    circuit.set(WorkerMetrics.CIRCUIT_OPEN);
    registry
        .counter(
            WorkerMetrics.THROTTLES,
            WorkerMetrics.TAG_PROVIDER,
            "bedrock",
            WorkerMetrics.TAG_DEPLOYMENT,
            "claude-east")
        .increment(3);
    tick(data);
    circuit.set(WorkerMetrics.CIRCUIT_HALF_OPEN);
    tick(data);

    ProviderHealth health = data.snapshot().providers().get(0);

    assertThat(data.snapshot().providers()).hasSize(1);
    assertThat(health.provider()).isEqualTo("bedrock");
    assertThat(health.deployment()).isEqualTo("claude-east");
    assertThat(health.state()).isEqualTo("half-open");
    assertThat(health.throttles()).isEqualTo(3);
    assertThat(health.timeline()).extracting(StatePoint::circuit).containsExactly(0, 2, 1);
  }

  @Test
  void aWorkerOnlyProcessCountsProviderOutcomesAndCallDurations() {
    DashboardData data = new DashboardData(registry, clock, false, true, 10, 1);
    data.sample();
    registry
        .counter(
            WorkerMetrics.OUTCOMES,
            WorkerMetrics.TAG_PROVIDER,
            "simulated",
            WorkerMetrics.TAG_RESULT,
            WorkerMetrics.RESULT_SUCCESS)
        .increment(6);
    registry
        .counter(
            WorkerMetrics.OUTCOMES,
            WorkerMetrics.TAG_PROVIDER,
            "simulated",
            WorkerMetrics.TAG_RESULT,
            WorkerMetrics.RESULT_RETRYABLE)
        .increment(2);
    Timer.builder(WorkerMetrics.OPERATION_DURATION)
        .serviceLevelObjectives(Duration.ofMillis(10), Duration.ofMillis(100))
        .register(registry)
        .record(Duration.ofMillis(50));
    results("ignored", "chat-default", "SUCCEEDED", 100); // no broker here: not its numbers
    tick(data);

    var snapshot = data.snapshot();

    assertThat(snapshot.requestsSource()).isEqualTo("worker");
    assertThat(snapshot.components().broker()).isFalse();
    assertThat(snapshot.throughput())
        .singleElement()
        .satisfies(
            p -> {
              assertThat(p.rps()).isEqualTo(8.0);
              assertThat(p.errorsPerSecond()).isEqualTo(2.0);
            });
    assertThat(snapshot.latency().points().get(0).p50()).isBetween(10.0, 100.0);
    assertThat(snapshot.spend().byTenant()).isEmpty();
    assertThat(snapshot.providers()).isEmpty();
  }

  @Test
  void theWindowKeepsOnlyTheNewestSamples() {
    DashboardData data = brokerData(4, 1);
    data.sample();
    for (int i = 0; i < 10; i++) {
      tick(data);
    }

    assertThat(data.snapshot().throughput()).hasSize(3);
  }

  @Test
  void jsonCarriesEveryPanelsData() throws Exception {
    DashboardData data = brokerData(10, 1);
    data.sample();
    results("acme", "chat-default", "SUCCEEDED", 1);
    registry.counter(BrokerMetrics.SPEND, "tenant", "acme", "model", "chat-default").increment(1);
    tick(data);

    JsonNode json = new ObjectMapper().readTree(data.json());

    assertThat(json.path("throughput").get(0).path("rps").asDouble()).isEqualTo(1.0);
    assertThat(json.path("latency").path("points").isArray()).isTrue();
    assertThat(json.path("cache").has("hitRate")).isTrue();
    assertThat(json.path("spend").path("byTenant").get(0).path("name").asText()).isEqualTo("acme");
    assertThat(json.path("providers").isArray()).isTrue();
    assertThat(json.path("components").path("broker").asBoolean()).isTrue();
  }

  @Test
  void tokensTodayAreNullUntilAUsageViewIsShownThenItsCountsByClass() {
    DashboardData data = brokerData(10, 2);
    data.sample();
    assertThat(data.snapshot().tokensToday()).isNull();

    TokenTotals totals = new TokenTotals(3, 1_500, 600, 1_000, 200, 50, 320, 0.25, 0.125);
    data.showTokensFrom(() -> Optional.of(totals));

    assertThat(data.snapshot().tokensToday()).isEqualTo(totals);
    assertThat(data.json())
        .contains(
            "\"tokensToday\":{\"requests\":3,\"input\":1500,\"output\":600,\"cacheRead\":1000,"
                + "\"cacheWrite\":200,\"cacheWrite1h\":50,\"reasoning\":320,\"costUsd\":0.25,"
                + "\"savedVsStandardUsd\":0.125}");
  }
}
