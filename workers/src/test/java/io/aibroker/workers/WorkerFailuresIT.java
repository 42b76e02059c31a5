package io.aibroker.workers;

import static org.assertj.core.api.Assertions.assertThat;

import io.aibroker.connector.simulated.SimulatedConfig;
import io.aibroker.connector.simulated.SimulatedConnector;
import io.aibroker.records.CircuitState;
import io.aibroker.records.DispatchRequest;
import io.aibroker.records.ErrorClass;
import io.aibroker.records.ProviderHealth;
import io.aibroker.records.ProviderOutcome;
import io.aibroker.records.Route;
import io.aibroker.testing.AnchoredClock;
import io.aibroker.topics.Topics;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

/**
 * Workers on a real embedded Kafka when things go wrong: crashes, throttling, failing providers.
 */
class WorkerFailuresIT extends KafkaItSupport {

  static final String PROVIDER = "simulated";
  static final Route ROUTE = new Route(PROVIDER, "local", "sim-chat-1", "standard", null);
  static final Duration WAIT = Duration.ofSeconds(60);

  static WorkerConfig.Builder config(Topics topics, String group, String workerId) {
    return WorkerConfig.builder(topics, group, workerId, List.of(PROVIDER))
        .consumers(2)
        .maxPollRecords(50)
        .drainTimeout(Duration.ofSeconds(2));
  }

  static List<DispatchRequest> chats(String prefix, int count) {
    return IntStream.range(0, count)
        .mapToObj(i -> Dispatches.chat(prefix + i, "tenant-" + (i % 3), ROUTE))
        .toList();
  }

  /** True once the count is the same on two checks in a row. */
  static final class CountStable implements java.util.concurrent.Callable<Boolean> {
    private final java.util.function.IntSupplier count;
    private int last = -1;

    CountStable(java.util.function.IntSupplier count) {
      this.count = count;
    }

    @Override
    public Boolean call() {
      int now = count.getAsInt();
      boolean stable = now == last;
      last = now;
      return stable;
    }
  }

  static SimulatedConnector simulated(SimulatedConfig config, Clock clock) {
    return new SimulatedConnector(config, clock);
  }

  @Test
  void recordsOfAWorkerStoppedMidFlightAreRedeliveredAndEveryRequestSucceedsOnce()
      throws Exception {
    Topics topics = topics("crash", PROVIDER);
    shareGroup("crash-workers", 0);
    int count = 30;
    dispatch(topics, PROVIDER, chats("req-", count));
    RecordingConnector hanging = RecordingConnector.hanging();
    Worker stuck =
        startWorker(
            config(topics, "crash-workers", "worker-1")
                .drainTimeout(Duration.ofMillis(500))
                .build(),
            PROVIDER,
            hanging);
    // Each consumer takes one poll's worth and waits for it: the worker holds what it polled.
    Awaitility.await().atMost(WAIT).until(() -> hanging.callCount() > 0);
    Awaitility.await()
        .atMost(WAIT)
        .pollInterval(Duration.ofMillis(500))
        .until(new CountStable(hanging::callCount));
    Set<String> heldByFirst =
        hanging.calls().stream()
            .map(RecordingConnector.Call::requestId)
            .collect(Collectors.toSet());

    startWorker(
        config(topics, "crash-workers", "worker-2").build(),
        PROVIDER,
        simulated(SimulatedConfig.defaults(), Clock.systemUTC()));
    stuck.close();
    var outcomes = tail(topics.outcomes(), serdes.outcomes().deserializer());
    outcomes.until(read -> read.size() >= count, WAIT);
    List<ProviderOutcome> read =
        outcomes.readFor(Duration.ofSeconds(1)).stream().map(ConsumerRecord::value).toList();

    assertThat(hanging.hangingCalls()).allSatisfy(call -> assertThat(call).isCancelled());
    assertThat(read).noneMatch(o -> o.getWorkerId().equals("worker-1"));
    Map<String, List<ProviderOutcome>> bySecond =
        read.stream()
            .filter(o -> o.getWorkerId().equals("worker-2"))
            .collect(Collectors.groupingBy(ProviderOutcome::getRequestId));
    assertThat(bySecond).hasSize(count);
    assertThat(bySecond)
        .allSatisfy(
            (id, list) -> assertThat(list.stream().filter(ProviderOutcome::getSuccess)).hasSize(1));
    assertThat(heldByFirst).isNotEmpty();
    assertThat(heldByFirst)
        .allSatisfy(
            id ->
                assertThat(bySecond.get(id).getFirst().getDeliveryCount())
                    .as("%s was released by the first worker", id)
                    .isGreaterThanOrEqualTo(2));
  }

  @Test
  void aDispatchWhoseOutcomeAnotherWorkerWroteIsAcceptedWithoutASecondCall() throws Exception {
    Topics topics = topics("written", PROVIDER);
    shareGroup("written-workers", 0);
    List<DispatchRequest> dispatches = chats("req-", 4);
    // A worker wrote the outcomes of the first two and died before its ACCEPTs reached Kafka.
    try (var producer =
        new org.apache.kafka.clients.producer.KafkaProducer<>(
            client(),
            new org.apache.kafka.common.serialization.StringSerializer(),
            serdes.outcomes().serializer())) {
      for (DispatchRequest written : dispatches.subList(0, 2)) {
        producer.send(
            new org.apache.kafka.clients.producer.ProducerRecord<>(
                topics.outcomes(), written.getTenantId(), writtenBy("worker-gone", written)));
      }
    }
    var registry = new io.micrometer.core.instrument.simple.SimpleMeterRegistry();
    RecordingConnector connector =
        new RecordingConnector(simulated(SimulatedConfig.defaults(), Clock.systemUTC()));
    startWorker(
        config(topics, "written-workers", "worker-2").build(), PROVIDER, connector, registry);
    // It reads back what was written before it started.
    Awaitility.await()
        .atMost(WAIT)
        .until(() -> registry.get(WorkerMetrics.OUTCOMES_REMEMBERED).gauge().value() >= 2);

    dispatch(topics, PROVIDER, dispatches);
    var outcomes = tail(topics.outcomes(), serdes.outcomes().deserializer());
    outcomes.until(read -> read.size() >= 4, WAIT);

    assertThat(outcomes.readFor(Duration.ofSeconds(1))).hasSize(4);
    assertThat(connector.calls())
        .extracting(RecordingConnector.Call::requestId)
        .containsExactlyInAnyOrder("req-2", "req-3");
    assertThat(registry.get(WorkerMetrics.REDELIVERIES_ANSWERED).counter().count()).isEqualTo(2);
  }

  private static ProviderOutcome writtenBy(String workerId, DispatchRequest dispatch) {
    return ProviderOutcome.newBuilder()
        .setRequestId(dispatch.getRequestId())
        .setTenantId(dispatch.getTenantId())
        .setRoute(dispatch.getRoute())
        .setAttempt(dispatch.getAttempt())
        .setSuccess(true)
        .setWorkerId(workerId)
        .setCompletedAt(java.time.Instant.now())
        .build();
  }

  @Test
  void aThrottleStormCompletesAfterBackoffWithCallsSpacedAsRetryAfterAsked() throws Exception {
    Topics topics = topics("storm", PROVIDER);
    shareGroup("storm-workers", 0);
    Duration retryAfter = Duration.ofMillis(400);
    // Every call in the first second after the first call gets a 429 with Retry-After 400 ms.
    AnchoredClock providerTime = new AnchoredClock();
    var config =
        SimulatedConfig.builder()
            .latency(Duration.ofMillis(10))
            .throttleEvery(Duration.ofSeconds(30))
            .throttleFor(Duration.ofSeconds(1))
            .retryAfter(retryAfter)
            .build();
    var calls = new RecordingConnector(simulated(config, providerTime), providerTime::anchor);
    int count = 20;
    dispatch(topics, PROVIDER, chats("storm-", count));

    startWorker(
        config(topics, "storm-workers", "worker-1")
            .retry(
                new WorkerConfig.RetrySettings(8, Duration.ofMillis(200), Duration.ofSeconds(10)))
            .build(),
        PROVIDER,
        calls);
    var outcomes = tail(topics.outcomes(), serdes.outcomes().deserializer());
    Map<String, ProviderOutcome> byRequest =
        outcomes.until(read -> read.size() >= count, WAIT).stream()
            .collect(Collectors.toMap(r -> r.value().getRequestId(), ConsumerRecord::value));

    assertThat(byRequest).hasSize(count);
    assertThat(byRequest.values()).allSatisfy(o -> assertThat(o.getSuccess()).isTrue());
    Map<String, List<Long>> times = calls.callTimesByRequest();
    long throttled = times.values().stream().filter(t -> t.size() > 1).count();
    assertThat(throttled).as("requests caught in the storm").isGreaterThanOrEqualTo(count / 4);
    times.forEach(
        (requestId, starts) -> {
          assertThat(byRequest.get(requestId).getCalls()).isEqualTo(starts.size());
          for (int i = 1; i < starts.size(); i++) {
            assertThat(TimeUnit.NANOSECONDS.toMillis(starts.get(i) - starts.get(i - 1)))
                .as("call %d of %s after Retry-After", i + 1, requestId)
                .isGreaterThanOrEqualTo(retryAfter.toMillis());
          }
        });
  }

  @Test
  void aFailingDeploymentOpensItsCircuitReportsItAndIsNoLongerCalled() throws Exception {
    Topics topics = topics("broken", PROVIDER);
    shareGroup("broken-workers", 0);
    var calls =
        new RecordingConnector(
            simulated(SimulatedConfig.builder().failureRate(1.0).build(), Clock.systemUTC()));
    var breaker = new WorkerConfig.BreakerSettings(50, 10, 5, Duration.ofMinutes(5), 1);
    startWorker(
        config(topics, "broken-workers", "worker-1")
            .retry(
                new WorkerConfig.RetrySettings(1, Duration.ofMillis(200), Duration.ofSeconds(10)))
            .breaker(breaker)
            .build(),
        PROVIDER,
        calls);
    dispatch(topics, PROVIDER, chats("fail-", 10));

    var health = tail(topics.providerHealth(), serdes.health().deserializer());
    List<ConsumerRecord<String, ProviderHealth>> reports =
        health.until(
            read -> read.stream().anyMatch(r -> r.value().getState() == CircuitState.OPEN), WAIT);
    var outcomes = tail(topics.outcomes(), serdes.outcomes().deserializer());
    outcomes.until(read -> read.size() >= 10, WAIT);
    int callsWhenOpen = calls.callCount();
    dispatch(topics, PROVIDER, chats("after-", 10));
    List<ProviderOutcome> read =
        outcomes.until(r -> r.size() >= 20, WAIT).stream().map(ConsumerRecord::value).toList();

    ConsumerRecord<String, ProviderHealth> open =
        reports.stream()
            .filter(r -> r.value().getState() == CircuitState.OPEN)
            .findFirst()
            .orElseThrow();
    assertThat(open.key()).isEqualTo("local");
    assertThat(open.value().getProvider()).isEqualTo(PROVIDER);
    assertThat(open.value().getFailureRate()).isGreaterThanOrEqualTo(0.5);
    assertThat(open.value().getWorkerId()).isEqualTo("worker-1");
    List<ProviderOutcome> afterOpen =
        read.stream().filter(o -> o.getRequestId().startsWith("after-")).toList();
    assertThat(afterOpen)
        .hasSize(10)
        .allSatisfy(
            o -> {
              assertThat(o.getSuccess()).isFalse();
              assertThat(o.getError().getCode()).isEqualTo(Outcomes.CIRCUIT_OPEN);
              assertThat(o.getError().getErrorClass()).isEqualTo(ErrorClass.RETRYABLE);
              assertThat(o.getCalls()).isZero();
            });
    assertThat(calls.callCount()).as("no calls while the circuit is open").isEqualTo(callsWhenOpen);
  }
}
