package io.aibroker.workers;

import static org.assertj.core.api.Assertions.assertThat;

import io.aibroker.connector.ConnectorMetrics;
import io.aibroker.connector.simulated.SimulatedConfig;
import io.aibroker.connector.simulated.SimulatedConnector;
import io.aibroker.records.DispatchRequest;
import io.aibroker.records.ProviderOutcome;
import io.aibroker.records.ResultChunk;
import io.aibroker.records.Route;
import io.aibroker.topics.DeadLetterHeaders;
import io.aibroker.topics.Topics;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.junit.jupiter.api.Test;

/** A worker on a real embedded Kafka: dispatch records in, one outcome per request out. */
class WorkerIT extends KafkaItSupport {

  static final String PROVIDER = "simulated";
  static final Route ROUTE = new Route(PROVIDER, "local", "sim-chat-1", "standard", null);
  static final Duration WAIT = Duration.ofSeconds(60);

  static SimulatedConnector simulated(Duration latency) {
    return new SimulatedConnector(
        SimulatedConfig.builder().latency(latency).build(), Clock.systemUTC());
  }

  static WorkerConfig.Builder config(Topics topics, String group, String workerId) {
    return WorkerConfig.builder(topics, group, workerId, List.of(PROVIDER))
        .consumers(2)
        .maxPollRecords(50)
        .drainTimeout(Duration.ofSeconds(2));
  }

  static List<DispatchRequest> chats(String prefix, int count, boolean stream) {
    return IntStream.range(0, count)
        .mapToObj(i -> Dispatches.chat(prefix + i, "tenant-" + (i % 7), ROUTE, stream, null))
        .toList();
  }

  static Map<String, List<ProviderOutcome>> byRequest(List<ProviderOutcome> outcomes) {
    return outcomes.stream().collect(Collectors.groupingBy(ProviderOutcome::getRequestId));
  }

  @Test
  void reportsExactlyOneSuccessfulOutcomePerDispatchedRequest() throws Exception {
    Topics topics = topics("basic", PROVIDER);
    shareGroup("basic-workers", 0);
    int count = 200;
    dispatch(topics, PROVIDER, chats("req-", count, false));
    var registry = new SimpleMeterRegistry();

    startWorker(
        config(topics, "basic-workers", "worker-1").build(),
        PROVIDER,
        simulated(Duration.ofMillis(10)),
        registry);
    var outcomes = tail(topics.outcomes(), serdes.outcomes().deserializer());
    outcomes.until(read -> read.size() >= count, WAIT);
    List<ProviderOutcome> read =
        outcomes.readFor(Duration.ofMillis(500)).stream().map(ConsumerRecord::value).toList();

    assertThat(byRequest(read))
        .hasSize(count)
        .allSatisfy((id, list) -> assertThat(list).hasSize(1));
    assertThat(read).allSatisfy(o -> assertThat(o.getSuccess()).isTrue());
    ProviderOutcome first = byRequest(read).get("req-0").get(0);
    assertThat(first.getTenantId()).isEqualTo("tenant-0");
    assertThat(first.getOutput().getText()).isNotBlank();
    assertThat(first.getUsage().getOutputTokens()).isPositive();
    assertThat(first.getWorkerId()).isEqualTo("worker-1");
    assertThat(first.getCalls()).isEqualTo(1);
    assertThat(first.getDeliveryCount()).isEqualTo(1);
    assertThat(registry.get(WorkerMetrics.OUTCOMES).counter().count()).isEqualTo(count);
    assertThat(registry.get(ConnectorMetrics.TOKENS).counters()).isNotEmpty();
  }

  @Test
  void callsLongerThanTheLockAreRenewedAndNotDeliveredAgain() throws Exception {
    Topics topics = topics("renew", PROVIDER);
    int lockMs = MIN_LOCK_MS;
    shareGroup("renew-workers", lockMs);
    int count = 10;
    dispatch(topics, PROVIDER, chats("long-", count, false));
    var calls = new RecordingConnector(simulated(Duration.ofMillis(5 * lockMs / 2)));
    var registry = new SimpleMeterRegistry();

    startWorker(config(topics, "renew-workers", "worker-1").build(), PROVIDER, calls, registry);
    // A second worker in the group gets whatever lock lapses.
    startWorker(
        config(topics, "renew-workers", "worker-2").build(),
        PROVIDER,
        calls,
        new SimpleMeterRegistry());
    var outcomes = tail(topics.outcomes(), serdes.outcomes().deserializer());
    outcomes.until(read -> read.size() >= count, WAIT);
    List<ProviderOutcome> read =
        outcomes.readFor(Duration.ofSeconds(2)).stream().map(ConsumerRecord::value).toList();

    assertThat(calls.callCount()).as("one call per request: no lock lapsed").isEqualTo(count);
    assertThat(byRequest(read))
        .hasSize(count)
        .allSatisfy((id, list) -> assertThat(list).hasSize(1));
    assertThat(read)
        .allSatisfy(
            o -> {
              assertThat(o.getSuccess()).isTrue();
              assertThat(o.getDeliveryCount()).isEqualTo(1);
            });
    assertThat(registry.get(WorkerMetrics.LOCK_RENEWALS).counter().count()).isPositive();
  }

  @Test
  void streamsChunksInSequenceThatAddUpToTheOutcomeText() throws Exception {
    Topics topics = topics("stream", PROVIDER);
    shareGroup("stream-workers", 0);
    int count = 3;
    dispatch(topics, PROVIDER, chats("stream-", count, true));

    startWorker(
        config(topics, "stream-workers", "worker-1").build(),
        PROVIDER,
        simulated(Duration.ofMillis(80)));
    var outcomes = tail(topics.outcomes(), serdes.outcomes().deserializer());
    Map<String, ProviderOutcome> outcome =
        outcomes.until(read -> read.size() >= count, WAIT).stream()
            .collect(Collectors.toMap(r -> r.value().getRequestId(), ConsumerRecord::value));
    var chunks = tail(topics.resultsStream(), serdes.chunks().deserializer());
    List<ConsumerRecord<String, ResultChunk>> read = chunks.readFor(Duration.ofSeconds(1));

    assertThat(outcome).hasSize(count);
    for (String requestId : outcome.keySet()) {
      List<ConsumerRecord<String, ResultChunk>> ofRequest =
          read.stream().filter(r -> r.key().equals(requestId)).toList();
      assertThat(ofRequest).as("chunks of %s", requestId).hasSizeGreaterThan(1);
      assertThat(ofRequest)
          .extracting(r -> r.value().getSequence())
          .containsExactlyElementsOf(IntStream.range(0, ofRequest.size()).boxed().toList());
      assertThat(ofRequest).allSatisfy(r -> assertThat(r.value().getAttempt()).isEqualTo(1));
      String text = ofRequest.stream().map(r -> r.value().getDelta()).collect(Collectors.joining());
      assertThat(text).isEqualTo(outcome.get(requestId).getOutput().getText());
      assertThat(outcome.get(requestId).getUsage().getOutputTokens()).isPositive();
    }
  }

  @Test
  void poisonRecordsGoToTheDlqWithTheirCauseAndTheWorkerKeepsGoing() throws Exception {
    Topics topics = topics("poison", PROVIDER);
    shareGroup("poison-workers", 0);
    String topic = topics.dispatch(PROVIDER);
    byte[] notAvro = "{\"requestId\": \"json, not avro\"}".getBytes(StandardCharsets.UTF_8);
    byte[] unknownSchema = ByteBuffer.allocate(9).put((byte) 0).putInt(987654).putInt(42).array();
    RecordMetadata first = produceBytes(topic, "poison-1", notAvro);
    RecordMetadata second = produceBytes(topic, "poison-2", unknownSchema);
    int valid = 5;
    dispatch(topics, PROVIDER, chats("fine-", valid, false));

    startWorker(
        config(topics, "poison-workers", "worker-1").build(),
        PROVIDER,
        simulated(Duration.ofMillis(10)));
    var outcomes = tail(topics.outcomes(), serdes.outcomes().deserializer());
    outcomes.until(read -> read.size() >= valid, WAIT);
    var dlq = tail(topics.dlq(), new ByteArrayDeserializer());
    dlq.until(read -> read.size() >= 2, WAIT);
    List<ConsumerRecord<String, byte[]>> letters = dlq.readFor(Duration.ofSeconds(2));

    assertThat(outcomes.values())
        .hasSize(valid)
        .allSatisfy(o -> assertThat(o.getSuccess()).isTrue());
    assertThat(letters).as("rejected, so not delivered again").hasSize(2);
    Map<String, ConsumerRecord<String, byte[]>> byKey =
        letters.stream().collect(Collectors.toMap(ConsumerRecord::key, Function.identity()));
    assertThat(byKey.get("poison-1").value()).isEqualTo(notAvro);
    assertThat(byKey.get("poison-2").value()).isEqualTo(unknownSchema);
    assertDeadLetterHeaders(byKey.get("poison-1"), topic, first);
    assertDeadLetterHeaders(byKey.get("poison-2"), topic, second);
  }

  private static void assertDeadLetterHeaders(
      ConsumerRecord<String, byte[]> letter, String topic, RecordMetadata source) {
    assertThat(header(letter, DeadLetterHeaders.CAUSE))
        .isEqualTo(DeadLetterHeaders.CAUSE_UNREADABLE);
    assertThat(header(letter, DeadLetterHeaders.SOURCE_TOPIC)).isEqualTo(topic);
    assertThat(header(letter, DeadLetterHeaders.SOURCE_PARTITION))
        .isEqualTo(Integer.toString(source.partition()));
    assertThat(header(letter, DeadLetterHeaders.SOURCE_OFFSET))
        .isEqualTo(Long.toString(source.offset()));
    assertThat(header(letter, DeadLetterHeaders.ERROR)).contains("Exception");
    assertThat(header(letter, DeadLetterHeaders.WORKER)).isEqualTo("worker-1");
  }

  private static String header(ConsumerRecord<String, byte[]> record, String name) {
    var header = record.headers().lastHeader(name);
    return header == null ? null : new String(header.value(), StandardCharsets.UTF_8);
  }
}
