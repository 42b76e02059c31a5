package io.aibroker.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import io.aibroker.connector.simulated.CallLog;
import io.aibroker.money.Usd;
import io.aibroker.records.InferenceResult;
import io.aibroker.records.ResultStatus;
import io.aibroker.records.TenantPolicy;
import io.aibroker.records.Timings;
import io.aibroker.records.TokenUsage;
import io.aibroker.records.UsageEvent;
import io.aibroker.reliability.CrashMatrixCheck.WorkerRun;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The checks find what they are meant to find, and nothing else. */
class CrashMatrixCheckTest {

  static final Instant T0 = Instant.parse("2026-11-22T10:00:10Z");

  final List<InferenceResult> results = new ArrayList<>();
  final List<UsageEvent> usage = new ArrayList<>();

  @Test
  void aCleanRunKeepsEveryPromise() {
    succeeded("r1", "t", 0, 100, 300);
    succeeded("r2", "t", 1000, 1100, 1300);
    var f = check(List.of("r1", "r2"), Map.of(), List.of());
    assertThat(f.promisesKept()).isTrue();
    assertThat(f.billableResults()).isEqualTo(2).isEqualTo(f.usageEvents());
  }

  @Test
  void findsLostRequestsDuplicateResultsAndUsageBilledTwice() {
    succeeded("r1", "t", 0, 100, 300);
    results.add(results.getFirst()); // the same result twice
    usage.add(usage.getFirst()); // and billed twice
    var f = check(List.of("r1", "r-lost"), Map.of(), List.of());
    assertThat(f.lost()).isEqualTo(1);
    assertThat(f.duplicateResults()).isEqualTo(1);
    assertThat(f.usageTwice()).isEqualTo(1);
    assertThat(f.promisesKept()).isFalse();
  }

  @Test
  void findsRequestsInFlightTogetherOverTheTenantsLimit() {
    succeeded("r1", "t", 0, 100, 1_000);
    succeeded("r2", "t", 200, 500, 700); // inside r1's call
    succeeded("r3", "t", 1_000, 1_000, 1_200); // starts as r1 ends: not together
    var policy = policy("t").setMaxConcurrent(1).build();
    assertThat(
            check(List.of("r1", "r2", "r3"), Map.of("t", policy), List.of()).concurrencyOvershoot())
        .isEqualTo(1);
  }

  @Test
  void countsRequestsPerMinuteOnlyWhenTheirAdmissionMinuteIsCertain() {
    succeeded("r1", "t", 0, 100, 300);
    succeeded("r2", "t", 1_000, 1_100, 1_300);
    succeeded("r3", "t", 2_000, 2_100, 2_300);
    var rpm2 = Map.of("t", policy("t").setRequestsPerMinute(2).build());
    assertThat(check(List.of("r1", "r2", "r3"), rpm2, List.of()).rpmOvershoot()).isEqualTo(1);

    results.clear();
    usage.clear();
    succeeded("r1", "t", 0, 100, 300);
    succeeded("r2", "t", 1_000, 1_100, 1_300);
    // created in minute 10:00, called in 10:01: its admission minute is unknown, so not counted
    succeeded("r3", "t", 49_000, 51_000, 52_000);
    assertThat(check(List.of("r1", "r2", "r3"), rpm2, List.of()).rpmOvershoot()).isZero();
  }

  @Test
  void findsATenantBilledOverItsDailyBudget() {
    succeeded("r1", "t", 0, 100, 300);
    succeeded("r2", "t", 1_000, 1_100, 1_300);
    var budget = policy("t").setDailyBudgetUsd(Usd.of(new BigDecimal("0.00003"))).build();
    assertThat(check(List.of("r1", "r2"), Map.of("t", budget), List.of()).budgetOvershoot())
        .isEqualTo(1);
  }

  @Test
  void attributesEachRepeatedProviderCallToItsCause() {
    List<WorkerRun> runs =
        List.of(
            new WorkerRun(
                "w1-run1",
                List.of(
                    start("acked-long-before", 10),
                    end("acked-long-before", 20),
                    start("unacked", 5_000),
                    end("unacked", 5_500),
                    start("in-flight", 5_900)),
                6_000),
            new WorkerRun(
                "w1-run2",
                List.of(
                    start("in-flight", 6_100),
                    end("in-flight", 6_110),
                    start("unacked", 6_100),
                    end("unacked", 6_110),
                    start("acked-long-before", 6_200),
                    end("acked-long-before", 6_210),
                    start("in-outage", 8_000),
                    end("in-outage", 8_010),
                    start("in-outage", 9_000),
                    end("in-outage", 9_010)),
                -1));
    var f =
        CrashMatrixCheck.check(
            List.of(),
            List.of(),
            List.of(),
            Map.of(),
            runs,
            List.of(new CrashMatrixCheck.Outage(7_000, 8_500)));
    assertThat(f.providerCalls()).isEqualTo(8);
    assertThat(f.requestsCalledTwice()).isEqualTo(4);
    assertThat(f.callsInFlightAtKills()).isEqualTo(1);
    assertThat(f.twiceInFlightAtKill()).isEqualTo(1);
    assertThat(f.twiceUnacknowledgedAtKill()).isEqualTo(1);
    assertThat(f.twiceAckLostInKafkaOutage()).isEqualTo(1);
    assertThat(f.twiceOtherwise()).as("acked 6 s before its worker was killed").isEqualTo(1);
  }

  @Test
  void aCallRepeatedWithNoCrashAroundIsUnexplained() {
    var runs =
        List.of(
            new WorkerRun(
                "w1",
                List.of(start("r", 10), end("r", 20), start("r", 100_000), end("r", 100_010)),
                -1));
    var f =
        CrashMatrixCheck.check(
            List.of(),
            List.of(),
            List.of(),
            Map.of(),
            runs,
            List.of(new CrashMatrixCheck.Outage(500_000, 510_000)));
    assertThat(f.twiceOtherwise()).isEqualTo(1);
  }

  private CrashMatrixCheck.Figures check(
      List<String> sent, Map<String, TenantPolicy> policies, List<WorkerRun> runs) {
    return CrashMatrixCheck.check(sent, results, usage, policies, runs, List.of());
  }

  private static TenantPolicy.Builder policy(String tenant) {
    return TenantPolicy.newBuilder().setTenantId(tenant).setUpdatedAt(T0);
  }

  /** A SUCCEEDED result created, called and completed at these offsets (ms) from T0. */
  private void succeeded(String id, String tenant, long created, long called, long completed) {
    results.add(
        InferenceResult.newBuilder()
            .setRequestId(id)
            .setTenantId(tenant)
            .setStatus(ResultStatus.SUCCEEDED)
            .setUsage(new TokenUsage(10L, 20L, 0L, 0L, 0L, 0L))
            .setTimings(new Timings(called - created, completed - called, completed - created))
            .setCompletedAt(T0.plusMillis(completed))
            .build());
    usage.add(
        UsageEvent.newBuilder()
            .setEventId("usage:" + tenant + ":" + id)
            .setRequestId(id)
            .setTenantId(tenant)
            .setModel("chat-default")
            .setProvider("simulated")
            .setProviderModel("sim-chat-1")
            .setInputTokens(10)
            .setOutputTokens(20)
            .setCost(Usd.of(new BigDecimal("0.0000225")))
            .setPriceVersion("2026-03")
            .setSavedCost(Usd.ZERO)
            .setStatus(ResultStatus.SUCCEEDED)
            .setOccurredAt(T0.plusMillis(completed))
            .build());
  }

  private static CallLog.Entry start(String id, long at) {
    return new CallLog.Entry(true, at, id, "local");
  }

  private static CallLog.Entry end(String id, long at) {
    return new CallLog.Entry(false, at, id, "ok");
  }
}
