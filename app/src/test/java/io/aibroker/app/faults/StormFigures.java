package io.aibroker.app.faults;

import io.aibroker.records.InferenceResult;
import io.aibroker.records.ProviderOutcome;
import io.aibroker.records.ResultStatus;
import java.time.Instant;
import java.util.Collection;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * What one storm run measured, computed from what the run read back (results and outcomes) and what
 * it recorded (provider calls and their start times).
 *
 * @param storm the storm
 * @param provider the provider under the storm
 * @param requests requests sent
 * @param statuses terminal results by status (the first result of each request)
 * @param missingResults requests without a terminal result
 * @param duplicateResults terminal results beyond the first of a request
 * @param retries provider calls made again by the worker after a failed call of the same dispatch
 * @param failovers dispatches to another route after a retryable outcome (attempts beyond the
 *     first, over all results)
 * @param servedByFallback succeeded requests answered by a fallback route
 * @param breakerTransitions circuit state changes of the stormed deployment, e.g. {@code
 *     closed>open=1}
 * @param calls provider calls started for the run's requests, at the connector boundary
 * @param callsAfterDeadline of those, started at or after their request's deadline
 * @param serverCalls requests the provider (fake server) received, or -1 for the simulated one
 * @param serverCallsAfterDeadline of those, received at or after their request's deadline
 * @param stormedCalls calls to the stormed deployment started while the storm raged
 * @param firstCallDelayP50Ms median time from a request's creation to its first provider call
 * @param firstCallDelayMaxMs longest time from a request's creation to its first provider call
 */
record StormFigures(
    Storm storm,
    String provider,
    int requests,
    Map<ResultStatus, Integer> statuses,
    int missingResults,
    int duplicateResults,
    long retries,
    long failovers,
    long servedByFallback,
    Map<String, Long> breakerTransitions,
    int calls,
    int callsAfterDeadline,
    int serverCalls,
    int serverCallsAfterDeadline,
    int stormedCalls,
    long firstCallDelayP50Ms,
    long firstCallDelayMaxMs) {

  /**
   * One call start of a request, wherever it was recorded.
   *
   * @param requestId the request
   * @param deployment the deployment called, or {@code null} if not known (fake server)
   * @param started when the call started (or arrived)
   */
  record CallStart(String requestId, String deployment, Instant started) {}

  /**
   * Computes the figures of a run.
   *
   * @param deadlines every request sent, with its deadline
   * @param results terminal results read back (any request; others are ignored)
   * @param outcomes worker outcomes read back (duplicates of one dispatch attempt count once)
   * @param primaryDeployment the stormed route's deployment, to tell fallback answers apart
   * @param transitions circuit transitions of the stormed deployment by "from>to"
   * @param connectorCalls call starts at the connector boundary
   * @param serverCalls call arrivals at the fake server, or {@code null} for the simulated provider
   * @param stormStart when the storm began
   * @param stormEnd when it ended
   * @param sent when each request was created
   */
  static StormFigures of(
      Storm storm,
      String provider,
      Map<String, Instant> deadlines,
      Collection<InferenceResult> results,
      Collection<ProviderOutcome> outcomes,
      String primaryDeployment,
      Map<String, Long> transitions,
      List<CallStart> connectorCalls,
      List<CallStart> serverCalls,
      Instant stormStart,
      Instant stormEnd,
      Map<String, Instant> sent) {
    Map<String, InferenceResult> first = new HashMap<>();
    int duplicates = 0;
    for (InferenceResult result : results) {
      if (!deadlines.containsKey(result.getRequestId())) {
        continue;
      }
      if (first.putIfAbsent(result.getRequestId(), result) != null) {
        duplicates++;
      }
    }
    Map<ResultStatus, Integer> statuses = new EnumMap<>(ResultStatus.class);
    first.values().forEach(r -> statuses.merge(r.getStatus(), 1, Integer::sum));
    long failovers = first.values().stream().mapToLong(r -> Math.max(0, r.getAttempts() - 1)).sum();
    Set<String> stormedAttempts = new HashSet<>();
    long retries = 0;
    for (ProviderOutcome outcome : outcomes) {
      if (deadlines.containsKey(outcome.getRequestId())
          && stormedAttempts.add(outcome.getRequestId() + "#" + outcome.getAttempt())) {
        retries += Math.max(0, outcome.getCalls() - 1);
      }
    }
    long byFallback =
        first.values().stream()
            .filter(r -> r.getStatus() == ResultStatus.SUCCEEDED)
            .filter(r -> !answeredByPrimary(r, outcomes, primaryDeployment))
            .count();
    return new StormFigures(
        storm,
        provider,
        deadlines.size(),
        statuses,
        (int) deadlines.keySet().stream().filter(id -> !first.containsKey(id)).count(),
        duplicates,
        retries,
        failovers,
        byFallback,
        new TreeMap<>(transitions),
        countOwn(connectorCalls, deadlines),
        afterDeadline(connectorCalls, deadlines),
        serverCalls == null ? -1 : countOwn(serverCalls, deadlines),
        serverCalls == null ? 0 : afterDeadline(serverCalls, deadlines),
        (int)
            connectorCalls.stream()
                .filter(c -> deadlines.containsKey(c.requestId()))
                .filter(c -> primaryDeployment.equals(c.deployment()))
                .filter(c -> !c.started().isBefore(stormStart) && c.started().isBefore(stormEnd))
                .count(),
        percentile(firstCallDelays(connectorCalls, sent), 0.5),
        percentile(firstCallDelays(connectorCalls, sent), 1.0));
  }

  private static List<Long> firstCallDelays(List<CallStart> calls, Map<String, Instant> sent) {
    Map<String, Instant> first = new HashMap<>();
    for (CallStart call : calls) {
      if (sent.containsKey(call.requestId())) {
        first.merge(call.requestId(), call.started(), (a, b) -> a.isBefore(b) ? a : b);
      }
    }
    return first.entrySet().stream()
        .map(e -> java.time.Duration.between(sent.get(e.getKey()), e.getValue()).toMillis())
        .sorted()
        .toList();
  }

  private static long percentile(List<Long> sorted, double share) {
    if (sorted.isEmpty()) {
      return 0;
    }
    int index = (int) Math.ceil(share * sorted.size()) - 1;
    return sorted.get(Math.max(0, Math.min(sorted.size() - 1, index)));
  }

  private static boolean answeredByPrimary(
      InferenceResult result, Collection<ProviderOutcome> outcomes, String primaryDeployment) {
    return outcomes.stream()
        .anyMatch(
            o ->
                o.getRequestId().equals(result.getRequestId())
                    && o.getSuccess()
                    && o.getRoute().getDeployment().equals(primaryDeployment));
  }

  private static int countOwn(List<CallStart> calls, Map<String, Instant> deadlines) {
    return (int) calls.stream().filter(c -> deadlines.containsKey(c.requestId())).count();
  }

  private static int afterDeadline(List<CallStart> calls, Map<String, Instant> deadlines) {
    return (int)
        calls.stream()
            .filter(c -> deadlines.containsKey(c.requestId()))
            .filter(c -> !c.started().isBefore(deadlines.get(c.requestId())))
            .count();
  }

  /** SUCCEEDED results per request sent, in percent. */
  double completionPercent() {
    return requests == 0 ? 0 : 100.0 * statuses.getOrDefault(ResultStatus.SUCCEEDED, 0) / requests;
  }

  /** Worker retries per request sent. */
  double retriesPerRequest() {
    return requests == 0 ? 0 : (double) retries / requests;
  }

  /** All circuit transitions of the stormed deployment. */
  long transitionCount() {
    return breakerTransitions.values().stream().mapToLong(Long::longValue).sum();
  }

  /** Whether the circuit of the stormed deployment opened at least once. */
  boolean breakerOpened() {
    return breakerTransitions.keySet().stream().anyMatch(t -> t.endsWith(">open"));
  }

  /** Every request got exactly one terminal result. */
  boolean exactlyOneResultEach() {
    return missingResults == 0 && duplicateResults == 0;
  }
}
