package io.aibroker.app.faults;

import static org.assertj.core.api.Assertions.assertThat;

import io.aibroker.records.InferenceResult;
import io.aibroker.records.ProviderOutcome;
import io.aibroker.records.ResultStatus;
import io.aibroker.records.Route;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class StormFiguresTest {

  private static final Instant T0 = Instant.parse("2030-01-01T00:00:00Z");
  private static final Route STORMED = new Route("bedrock", "hang-bedrock", "m", "standard", null);
  private static final Route CALM =
      new Route("simulated", "calm-hang-bedrock", "sim-chat-1", "standard", null);

  private final Map<String, Instant> deadlines =
      Map.of("a", T0.plusSeconds(8), "b", T0.plusSeconds(8), "c", T0.plusSeconds(9));

  @Test
  void countsCompletionFailoversRetriesAndCallsAfterTheirDeadline() {
    List<InferenceResult> results =
        List.of(
            result("a", ResultStatus.SUCCEEDED, 1),
            result("b", ResultStatus.SUCCEEDED, 2),
            result("c", ResultStatus.EXPIRED, 1),
            result("other-run", ResultStatus.FAILED, 1));
    List<ProviderOutcome> outcomes =
        List.of(
            outcome("a", STORMED, 1, 3, true),
            outcome("b", STORMED, 1, 4, false),
            outcome("b", STORMED, 1, 4, false), // redelivered: counted once
            outcome("b", CALM, 2, 1, true),
            outcome("c", STORMED, 1, 2, false));
    List<StormFigures.CallStart> calls =
        List.of(
            new StormFigures.CallStart("a", "hang-bedrock", T0.plusMillis(100)),
            new StormFigures.CallStart("b", "hang-bedrock", T0.plusSeconds(2)),
            new StormFigures.CallStart("c", "hang-bedrock", T0.plusSeconds(9)),
            new StormFigures.CallStart("other-run", "x", T0.plusSeconds(99)));

    StormFigures figures =
        StormFigures.of(
            Storm.HANG,
            "bedrock",
            deadlines,
            results,
            outcomes,
            STORMED.getDeployment(),
            Map.of("closed>open", 1L, "open>half_open", 1L),
            calls,
            List.of(new StormFigures.CallStart("a", null, T0.plusSeconds(8))),
            T0,
            T0.plusSeconds(5),
            Map.of("a", T0, "b", T0, "c", T0.plusSeconds(1)));

    assertThat(figures.requests()).isEqualTo(3);
    assertThat(figures.completionPercent())
        .isCloseTo(66.67, org.assertj.core.data.Offset.offset(0.01));
    assertThat(figures.statuses()).containsEntry(ResultStatus.EXPIRED, 1);
    assertThat(figures.exactlyOneResultEach()).isTrue();
    assertThat(figures.retries()).isEqualTo(2 + 3 + 1);
    assertThat(figures.failovers()).isEqualTo(1);
    assertThat(figures.servedByFallback()).isEqualTo(1);
    assertThat(figures.breakerOpened()).isTrue();
    assertThat(figures.transitionCount()).isEqualTo(2);
    assertThat(figures.calls()).isEqualTo(3);
    assertThat(figures.callsAfterDeadline()).as("c started at its deadline").isEqualTo(1);
    assertThat(figures.serverCallsAfterDeadline()).as("a arrived at its deadline").isEqualTo(1);
    assertThat(figures.stormedCalls()).as("calls inside the 5 s storm").isEqualTo(2);
    assertThat(figures.firstCallDelayP50Ms()).isEqualTo(2_000);
    assertThat(figures.firstCallDelayMaxMs()).isEqualTo(8_000);
  }

  @Test
  void missingAndDuplicateResultsAreNotExactlyOneEach() {
    StormFigures figures =
        StormFigures.of(
            Storm.RATE_LIMITED,
            "simulated",
            deadlines,
            List.of(
                result("a", ResultStatus.SUCCEEDED, 1),
                result("a", ResultStatus.SUCCEEDED, 1),
                result("b", ResultStatus.SUCCEEDED, 1)),
            List.of(),
            "x",
            Map.of(),
            List.of(),
            null,
            T0,
            T0.plusSeconds(5),
            Map.of());

    assertThat(figures.missingResults()).isEqualTo(1);
    assertThat(figures.duplicateResults()).isEqualTo(1);
    assertThat(figures.exactlyOneResultEach()).isFalse();
    assertThat(figures.serverCalls()).as("no fake server").isEqualTo(-1);
    assertThat(new StormReport().markdown("t")).contains("| storm | provider |");
  }

  private static InferenceResult result(String id, ResultStatus status, int attempts) {
    return InferenceResult.newBuilder()
        .setRequestId(id)
        .setTenantId("t")
        .setStatus(status)
        .setAttempts(attempts)
        .setCompletedAt(T0)
        .build();
  }

  private static ProviderOutcome outcome(
      String id, Route route, int attempt, int calls, boolean success) {
    return ProviderOutcome.newBuilder()
        .setRequestId(id)
        .setTenantId("t")
        .setRoute(route)
        .setAttempt(attempt)
        .setSuccess(success)
        .setCalls(calls)
        .setCompletedAt(T0)
        .build();
  }
}
