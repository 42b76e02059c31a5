package io.aibroker.reliability;

import io.aibroker.connector.simulated.CallLog;
import io.aibroker.records.InferenceResult;
import io.aibroker.records.ResultStatus;
import io.aibroker.records.TenantPolicy;
import io.aibroker.records.UsageEvent;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * What a crash-matrix run proves, computed from what an outsider can see: the requests Kafka
 * acknowledged, every result and usage event on the output topics (read_committed), the tenants'
 * policies, and the call logs of the simulated provider in each worker run.
 *
 * <p>The overshoot checks never report a false positive. Admission time is not on the result, but
 * it lies between the request's creation and the start of its provider call ({@code createdAt +
 * queuedMs}): a request whose whole interval falls in one UTC minute was certainly admitted in that
 * minute, and RPM/TPM are checked over those. A request is certainly in flight from the start of
 * its provider call to its completion, so two such intervals that overlap are two requests in
 * flight at once. Budgets are checked exactly: the day's (month's) billed cost against the budget.
 */
final class CrashMatrixCheck {

  /** One worker run's call log, and whether that run was killed (its log ends at the kill). */
  /** The calls one worker process made; {@code killedAtMillis} is -1 if it was not killed. */
  record WorkerRun(String name, List<CallLog.Entry> calls, long killedAtMillis) {
    boolean killed() {
      return killedAtMillis >= 0;
    }
  }

  /** From a Kafka broker's kill to the moment all its replicas were in sync again. */
  record Outage(long fromMillis, long toMillis) {}

  /** The figures of one run; see the report for what each means. */
  record Figures(
      int requestsSent,
      int requestsWithResult,
      int lost,
      int duplicateResults,
      Map<ResultStatus, Integer> byStatus,
      Map<String, Integer> byStatusAndReason,
      int billableResults,
      int usageEvents,
      int usageTwice,
      int billableWithoutUsage,
      int usageWithoutBillableResult,
      int rpmOvershoot,
      int tpmOvershoot,
      int concurrencyOvershoot,
      int budgetOvershoot,
      BigDecimal billedUsd,
      int providerCalls,
      int requestsCalledTwice,
      int callsInFlightAtKills,
      int twiceInFlightAtKill,
      int twiceUnacknowledgedAtKill,
      int twiceAckLostInKafkaOutage,
      int twiceOtherwise) {

    /** Every property the system promises: nothing lost, nothing twice, no overshoot. */
    boolean promisesKept() {
      return lost == 0
          && duplicateResults == 0
          && usageTwice == 0
          && billableWithoutUsage == 0
          && usageWithoutBillableResult == 0
          && rpmOvershoot == 0
          && tpmOvershoot == 0
          && concurrencyOvershoot == 0
          && budgetOvershoot == 0;
    }
  }

  private CrashMatrixCheck() {}

  static Figures check(
      Collection<String> sent,
      List<InferenceResult> results,
      List<UsageEvent> usage,
      Map<String, TenantPolicy> policies,
      List<WorkerRun> workerRuns,
      List<Outage> kafkaOutages) {
    Map<String, InferenceResult> first = new HashMap<>();
    int duplicates = 0;
    for (InferenceResult r : results) {
      if (first.putIfAbsent(r.getRequestId(), r) != null) {
        duplicates++;
      }
    }
    int lost = (int) sent.stream().filter(id -> !first.containsKey(id)).count();
    Map<ResultStatus, Integer> byStatus = new EnumMap<>(ResultStatus.class);
    first.values().forEach(r -> byStatus.merge(r.getStatus(), 1, Integer::sum));
    Map<String, Integer> byStatusAndReason = new TreeMap<>();
    first.values().stream()
        .filter(r -> r.getStatus() != ResultStatus.SUCCEEDED)
        .forEach(r -> byStatusAndReason.merge(reasonKey(r), 1, Integer::sum));

    Set<String> billable = new HashSet<>();
    first.values().stream()
        .filter(r -> r.getStatus() == ResultStatus.SUCCEEDED)
        .forEach(r -> billable.add(r.getRequestId()));
    Map<String, Integer> usagePerRequest = new HashMap<>();
    usage.forEach(u -> usagePerRequest.merge(u.getRequestId(), 1, Integer::sum));
    int usageTwice =
        usagePerRequest.values().stream().mapToInt(n -> n - 1).filter(n -> n > 0).sum();
    int billableWithoutUsage =
        (int) billable.stream().filter(id -> !usagePerRequest.containsKey(id)).count();
    int usageWithoutBillable =
        (int) usagePerRequest.keySet().stream().filter(id -> !billable.contains(id)).count();
    BigDecimal billed =
        usage.stream().map(UsageEvent::getCost).reduce(BigDecimal.ZERO, BigDecimal::add);

    List<InferenceResult> admitted =
        first.values().stream()
            .filter(
                r ->
                    (r.getStatus() == ResultStatus.SUCCEEDED
                            || r.getStatus() == ResultStatus.FAILED)
                        && r.getTimings() != null
                        && !r.getCached())
            .toList();
    Map<String, List<InferenceResult>> admittedByTenant = new HashMap<>();
    admitted.forEach(
        r -> admittedByTenant.computeIfAbsent(r.getTenantId(), t -> new ArrayList<>()).add(r));

    int rpm = 0;
    int tpm = 0;
    int concurrency = 0;
    for (var entry : admittedByTenant.entrySet()) {
      TenantPolicy policy = policies.get(entry.getKey());
      if (policy == null) {
        continue;
      }
      rpm += minuteOvershoot(entry.getValue(), policy.getRequestsPerMinute(), r -> 1L);
      tpm +=
          minuteOvershoot(
              entry.getValue(),
              policy.getTokensPerMinute() == null ? null : policy.getTokensPerMinute().intValue(),
              r ->
                  r.getUsage() == null
                      ? 0L
                      : r.getUsage().getInputTokens() + r.getUsage().getOutputTokens());
      if (policy.getMaxConcurrent() != null) {
        concurrency += Math.max(0, maxOverlap(entry.getValue()) - policy.getMaxConcurrent());
      }
    }
    int budget = budgetOvershoot(usage, policies);

    CallCounts calls = CallCounts.of(workerRuns, kafkaOutages);
    return new Figures(
        sent.size(),
        first.size(),
        lost,
        duplicates,
        byStatus,
        byStatusAndReason,
        billable.size(),
        usage.size(),
        usageTwice,
        billableWithoutUsage,
        usageWithoutBillable,
        rpm,
        tpm,
        concurrency,
        budget,
        billed,
        calls.calls,
        calls.calledTwice,
        calls.inFlightAtKills,
        calls.twiceInFlight,
        calls.twiceUnacknowledged,
        calls.twiceInOutage,
        calls.twiceOtherwise);
  }

  private static Instant callStart(InferenceResult r) {
    return r.getCompletedAt()
        .minusMillis(r.getTimings().getTotalMs())
        .plusMillis(r.getTimings().getQueuedMs());
  }

  private static Instant created(InferenceResult r) {
    return r.getCompletedAt().minusMillis(r.getTimings().getTotalMs());
  }

  /** Units beyond the limit in minutes where requests were certainly admitted. */
  private static int minuteOvershoot(
      List<InferenceResult> admitted,
      Integer limit,
      java.util.function.ToLongFunction<InferenceResult> units) {
    if (limit == null) {
      return 0;
    }
    Map<Instant, Long> perMinute = new HashMap<>();
    for (InferenceResult r : admitted) {
      Instant from = created(r).truncatedTo(ChronoUnit.MINUTES);
      Instant to = callStart(r).truncatedTo(ChronoUnit.MINUTES);
      if (from.equals(to)) {
        perMinute.merge(from, units.applyAsLong(r), Long::sum);
      }
    }
    return (int) perMinute.values().stream().mapToLong(n -> Math.max(0, n - limit)).sum();
  }

  /** The most intervals [call start, completion) that overlap at one instant. */
  static int maxOverlap(List<InferenceResult> admitted) {
    List<long[]> edges = new ArrayList<>();
    for (InferenceResult r : admitted) {
      long start = callStart(r).toEpochMilli();
      long end = r.getCompletedAt().toEpochMilli();
      if (end > start) {
        edges.add(new long[] {start, 1});
        edges.add(new long[] {end, -1});
      }
    }
    // At equal times ends come first: a slot freed at t may be taken at t.
    edges.sort(Comparator.<long[]>comparingLong(e -> e[0]).thenComparingLong(e -> e[1]));
    int open = 0;
    int max = 0;
    for (long[] e : edges) {
      open += (int) e[1];
      max = Math.max(max, open);
    }
    return max;
  }

  /** Tenants whose billed cost in a UTC day (month) went over their daily (monthly) budget. */
  private static int budgetOvershoot(List<UsageEvent> usage, Map<String, TenantPolicy> policies) {
    Map<String, BigDecimal> perDay = new HashMap<>();
    Map<String, BigDecimal> perMonth = new HashMap<>();
    for (UsageEvent u : usage) {
      var date = u.getOccurredAt().atZone(ZoneOffset.UTC).toLocalDate();
      perDay.merge(u.getTenantId() + "|" + date, u.getCost(), BigDecimal::add);
      perMonth.merge(u.getTenantId() + "|" + date.withDayOfMonth(1), u.getCost(), BigDecimal::add);
    }
    int over = 0;
    for (var e : perDay.entrySet()) {
      TenantPolicy p = policies.get(e.getKey().substring(0, e.getKey().indexOf('|')));
      if (p != null
          && p.getDailyBudgetUsd() != null
          && e.getValue().compareTo(p.getDailyBudgetUsd()) > 0) {
        over++;
      }
    }
    for (var e : perMonth.entrySet()) {
      TenantPolicy p = policies.get(e.getKey().substring(0, e.getKey().indexOf('|')));
      if (p != null
          && p.getMonthlyBudgetUsd() != null
          && e.getValue().compareTo(p.getMonthlyBudgetUsd()) > 0) {
        over++;
      }
    }
    return over;
  }

  /**
   * Status and reason of a result; for FAILED ones also the message, with numbers and ids blanked
   * so that results failing the same way count together.
   */
  static String reasonKey(InferenceResult r) {
    String key = r.getStatus() + " " + r.getReason();
    if (r.getStatus() == ResultStatus.FAILED && r.getMessage() != null) {
      String message =
          r.getMessage().replaceAll("req-[A-Za-z0-9-]+", "<id>").replaceAll("\\d+", "#");
      key += ": " + (message.length() > 80 ? message.substring(0, 80) + "…" : message);
    }
    return key;
  }

  /** Provider calls per request across worker runs, and why a request was called twice. */
  private record CallCounts(
      int calls,
      int calledTwice,
      int inFlightAtKills,
      int twiceInFlight,
      int twiceUnacknowledged,
      int twiceInOutage,
      int twiceOtherwise) {

    /**
     * An acknowledgement sent to a share-partition leader that dies is lost and the record comes
     * back; a call that ended while a Kafka broker was out (or shortly after: clients learn of new
     * leaders late) may be repeated, by another worker or after the first one forgot it.
     */
    private static final long OUTAGE_GRACE_MILLIS = 60_000;

    /**
     * A call that ended this shortly before its worker was killed may have had its outcome written
     * but not its acknowledgement sent (the ACCEPT follows the outcome's write by milliseconds;
     * this allows for a loaded machine).
     */
    private static final long UNACKNOWLEDGED_WINDOW_MILLIS = 5_000;

    /** One provider call: when it started and ended (-1: never, its worker was killed). */
    private record Call(long startMillis, long endMillis, WorkerRun run) {}

    static CallCounts of(List<WorkerRun> runs, List<Outage> outages) {
      Map<String, List<Call>> byRequest = new HashMap<>();
      int inFlight = 0;
      for (WorkerRun run : runs) {
        Map<String, java.util.Deque<Long>> open = new HashMap<>();
        for (CallLog.Entry e : run.calls()) {
          if (e.start()) {
            open.computeIfAbsent(e.requestId(), id -> new java.util.ArrayDeque<>())
                .add(e.epochMillis());
          } else {
            Long started = open.getOrDefault(e.requestId(), new java.util.ArrayDeque<>()).poll();
            if (started != null) {
              byRequest
                  .computeIfAbsent(e.requestId(), id -> new ArrayList<>())
                  .add(new Call(started, e.epochMillis(), run));
            }
          }
        }
        for (var entry : open.entrySet()) {
          for (long started : entry.getValue()) {
            byRequest
                .computeIfAbsent(entry.getKey(), id -> new ArrayList<>())
                .add(new Call(started, -1, run));
            if (run.killed()) {
              inFlight++;
            }
          }
        }
      }
      int calls = byRequest.values().stream().mapToInt(List::size).sum();
      int twice = 0;
      int becauseInFlight = 0;
      int becauseUnacknowledged = 0;
      int inOutage = 0;
      int otherwise = 0;
      for (List<Call> requestCalls : byRequest.values()) {
        if (requestCalls.size() < 2) {
          continue;
        }
        twice++;
        requestCalls.sort(Comparator.comparingLong(Call::startMillis));
        // The call before the first repeat says why the record came back.
        Call before = requestCalls.get(0);
        long ended = before.endMillis();
        long killedAt = before.run().killedAtMillis();
        if (ended < 0 && before.run().killed()) {
          becauseInFlight++;
        } else if (before.run().killed()
            && ended <= killedAt
            && killedAt - ended <= UNACKNOWLEDGED_WINDOW_MILLIS) {
          becauseUnacknowledged++;
        } else if (ended >= 0
            && outages.stream()
                .anyMatch(
                    o -> ended >= o.fromMillis() && ended <= o.toMillis() + OUTAGE_GRACE_MILLIS)) {
          inOutage++;
        } else {
          otherwise++;
        }
      }
      return new CallCounts(
          calls, twice, inFlight, becauseInFlight, becauseUnacknowledged, inOutage, otherwise);
    }
  }
}
