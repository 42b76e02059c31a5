package io.aibroker.workers;

import static io.aibroker.workers.ScriptedConnector.answers;
import static io.aibroker.workers.ScriptedConnector.streams;
import static org.assertj.core.api.Assertions.assertThat;

import io.aibroker.connector.Connector;
import io.aibroker.records.DispatchRequest;
import io.aibroker.records.ErrorClass;
import io.aibroker.records.ProviderOutcome;
import io.aibroker.records.ResultChunk;
import io.aibroker.records.Route;
import io.aibroker.registry.InMemorySchemaRegistryClient;
import io.aibroker.schemas.RecordSerdes;
import io.aibroker.testing.MutableClock;
import io.aibroker.topics.DeadLetterHeaders;
import io.aibroker.topics.Topics;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.kafka.clients.consumer.AcknowledgeType;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.MockProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.record.TimestampType;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.Test;

class DispatchProcessorTest {

  static final Topics TOPICS = Topics.defaults();
  static final Route ROUTE = new Route("scripted", "eu-1", "model-1", "standard", null);
  static final String TOPIC = TOPICS.dispatch("scripted");

  final MutableClock clock = new MutableClock(Instant.parse("2026-11-01T10:00:00Z"));
  final RecordSerdes serdes = new RecordSerdes(new InMemorySchemaRegistryClient());
  final WorkerMetrics metrics = new WorkerMetrics(new SimpleMeterRegistry());
  final WorkerConfig config =
      WorkerConfig.builder(TOPICS, "group", "worker-1", List.of("scripted")).build();

  DispatchProcessor processor(MockProducer<byte[], byte[]> producer, Connector connector) {
    Map<Deployment, DeploymentPermits> permits = new ConcurrentHashMap<>();
    var caller =
        new ProviderCaller(
            new RetryPolicy(config.retry(), new FixedFractionRandom(0.5)),
            new DeploymentBreakers(config.breaker(), clock, metrics, (d, b) -> {}),
            d -> permits.computeIfAbsent(d, x -> new DeploymentPermits(4)),
            delay -> {
              clock.advance(delay);
              return java.util.concurrent.CompletableFuture.completedFuture(null);
            },
            clock,
            Duration.ofSeconds(30),
            metrics);
    return new DispatchProcessor(
        config,
        Map.of("scripted", connector),
        serdes.dispatches().deserializer(),
        caller,
        new RecordSink(producer, TOPICS, serdes),
        Runnable::run,
        clock,
        metrics,
        new ReportedOutcomes(clock, Duration.ofMinutes(15), 1000),
        null);
  }

  static MockProducer<byte[], byte[]> producer(boolean autoComplete) {
    return new MockProducer<>(
        autoComplete, null, new ByteArraySerializer(), new ByteArraySerializer());
  }

  ConsumerRecord<byte[], byte[]> record(byte[] value, int deliveryCount) {
    var headers = new RecordHeaders();
    headers.add("traceparent", "00-abc".getBytes(StandardCharsets.UTF_8));
    return new ConsumerRecord<>(
        TOPIC,
        2,
        41L,
        0L,
        TimestampType.CREATE_TIME,
        -1,
        -1,
        "req-1".getBytes(StandardCharsets.UTF_8),
        value,
        headers,
        Optional.empty(),
        Optional.of((short) deliveryCount));
  }

  byte[] bytes(DispatchRequest dispatch) {
    return serdes.dispatches().serializer().serialize(TOPIC, dispatch);
  }

  ProviderOutcome outcome(ProducerRecord<byte[], byte[]> record) {
    return serdes.outcomes().deserializer().deserialize(record.topic(), record.value());
  }

  static String header(ProducerRecord<byte[], byte[]> record, String name) {
    return new String(record.headers().lastHeader(name).value(), StandardCharsets.UTF_8);
  }

  @Test
  void acceptsOnlyAfterTheOutcomeIsWritten() {
    var producer = producer(false);
    var connector = new ScriptedConnector(clock, Duration.ofMillis(40), answers("hello"));
    Processing processing =
        processor(producer, connector)
            .process(record(bytes(Dispatches.chat("req-1", "tenant-1", ROUTE)), 1));

    assertThat(producer.history()).hasSize(1);
    assertThat(processing.acknowledgement()).as("not before the write is acknowledged").isNotDone();

    producer.completeNext();

    assertThat(processing.acknowledgement()).isCompletedWithValue(AcknowledgeType.ACCEPT);
    ProducerRecord<byte[], byte[]> written = producer.history().get(0);
    assertThat(written.topic()).isEqualTo(TOPICS.outcomes());
    assertThat(new String(written.key(), StandardCharsets.UTF_8)).isEqualTo("tenant-1");
    ProviderOutcome outcome = outcome(written);
    assertThat(outcome.getSuccess()).isTrue();
    assertThat(outcome.getOutput().getText()).isEqualTo("hello");
    assertThat(outcome.getCalls()).isEqualTo(1);
    assertThat(outcome.getProviderMs()).isEqualTo(40);
    assertThat(outcome.getDeliveryCount()).isEqualTo(1);
    assertThat(outcome.getWorkerId()).isEqualTo("worker-1");
  }

  @Test
  void releasesTheRecordWhenTheOutcomeCannotBeWritten() {
    var producer = producer(false);
    var connector = new ScriptedConnector(clock, Duration.ZERO, answers("hello"));
    Processing processing =
        processor(producer, connector)
            .process(record(bytes(Dispatches.chat("req-1", "tenant-1", ROUTE)), 1));

    producer.errorNext(new org.apache.kafka.common.errors.TimeoutException("no broker"));

    assertThat(processing.acknowledgement()).isCompletedWithValue(AcknowledgeType.RELEASE);
  }

  @Test
  void aRedeliveryOfADispatchWhoseOutcomeIsWrittenIsAcceptedWithoutASecondCall() {
    // The acknowledgement was lost (its share-partition leader died): the outcome is durable.
    var producer = producer(true);
    var connector = new ScriptedConnector(clock, Duration.ZERO, answers("hello"));
    DispatchProcessor processor = processor(producer, connector);
    byte[] value = bytes(Dispatches.chat("req-1", "tenant-1", ROUTE));

    assertThat(processor.process(record(value, 1)).acknowledgement())
        .isCompletedWithValue(AcknowledgeType.ACCEPT);
    assertThat(processor.process(record(value, 2)).acknowledgement())
        .isCompletedWithValue(AcknowledgeType.ACCEPT);

    assertThat(connector.calls()).isEqualTo(1);
    assertThat(producer.history()).as("one outcome").hasSize(1);
  }

  @Test
  void aRedeliveryWithDeliveryCountOneAfterALeaderMoveIsAcceptedWithoutASecondCall() {
    // A new share-partition leader forgets acquisitions it was never told of: the record comes
    // back as a first delivery (found by the crash matrix at a preferred-leader election).
    var producer = producer(true);
    var connector = new ScriptedConnector(clock, Duration.ZERO, answers("hello"));
    DispatchProcessor processor = processor(producer, connector);
    byte[] value = bytes(Dispatches.chat("req-1", "tenant-1", ROUTE));

    processor.process(record(value, 1));
    assertThat(processor.process(record(value, 1)).acknowledgement())
        .isCompletedWithValue(AcknowledgeType.ACCEPT);

    assertThat(connector.calls()).isEqualTo(1);
    assertThat(producer.history()).as("one outcome").hasSize(1);
  }

  @Test
  void aRedeliveryAfterAFailedOutcomeWriteCallsAgain() {
    var producer = producer(false);
    var connector = new ScriptedConnector(clock, Duration.ZERO, answers("hello"));
    DispatchProcessor processor = processor(producer, connector);
    byte[] value = bytes(Dispatches.chat("req-1", "tenant-1", ROUTE));

    Processing first = processor.process(record(value, 1));
    producer.errorNext(new org.apache.kafka.common.errors.TimeoutException("no broker"));
    assertThat(first.acknowledgement()).isCompletedWithValue(AcknowledgeType.RELEASE);

    Processing second = processor.process(record(value, 2));
    producer.completeNext();
    assertThat(second.acknowledgement()).isCompletedWithValue(AcknowledgeType.ACCEPT);
    assertThat(connector.calls()).isEqualTo(2);
  }

  @Test
  void aFailoverAttemptOfTheSameRequestIsCalledAlthoughAnEarlierAttemptWasReported() {
    var producer = producer(true);
    var connector = new ScriptedConnector(clock, Duration.ZERO, answers("hello"));
    DispatchProcessor processor = processor(producer, connector);
    var first = Dispatches.chat("req-1", "tenant-1", ROUTE);
    var failover = DispatchRequest.newBuilder(first).setAttempt(2).build();

    processor.process(record(bytes(first), 1));
    processor.process(record(bytes(failover), 2));

    assertThat(connector.calls()).isEqualTo(2);
  }

  @Test
  void aRecordAtItsDeliveryLimitGetsATerminalOutcomeAndADeadLetterInsteadOfACall() {
    var producer = producer(true);
    var connector = new ScriptedConnector(clock, Duration.ZERO, answers("never"));
    byte[] value = bytes(Dispatches.chat("req-1", "tenant-1", ROUTE));
    Processing processing = processor(producer, connector).process(record(value, 5));

    assertThat(processing.acknowledgement()).isCompletedWithValue(AcknowledgeType.REJECT);
    assertThat(connector.calls()).isZero();
    ProducerRecord<byte[], byte[]> outcomeRecord =
        producer.history().stream()
            .filter(r -> r.topic().equals(TOPICS.outcomes()))
            .findFirst()
            .orElseThrow();
    ProviderOutcome outcome = outcome(outcomeRecord);
    assertThat(outcome.getSuccess()).isFalse();
    assertThat(outcome.getError().getCode()).isEqualTo(Outcomes.DELIVERY_LIMIT);
    assertThat(outcome.getError().getErrorClass()).isEqualTo(ErrorClass.TERMINAL);
    assertThat(outcome.getCalls()).isZero();
    assertThat(outcome.getDeliveryCount()).isEqualTo(5);
    ProducerRecord<byte[], byte[]> letter =
        producer.history().stream()
            .filter(r -> r.topic().equals(TOPICS.dlq()))
            .findFirst()
            .orElseThrow();
    assertThat(letter.value()).isEqualTo(value);
    assertThat(header(letter, DeadLetterHeaders.CAUSE))
        .isEqualTo(DeadLetterHeaders.CAUSE_DELIVERY_LIMIT);
    assertThat(header(letter, DeadLetterHeaders.DELIVERY_COUNT)).isEqualTo("5");
  }

  @Test
  void theDeliveryBeforeTheLimitStillCalls() {
    var producer = producer(true);
    var connector = new ScriptedConnector(clock, Duration.ZERO, answers("hello"));
    Processing processing =
        processor(producer, connector)
            .process(record(bytes(Dispatches.chat("req-1", "tenant-1", ROUTE)), 4));

    assertThat(processing.acknowledgement()).isCompletedWithValue(AcknowledgeType.ACCEPT);
    assertThat(connector.calls()).isEqualTo(1);
  }

  @Test
  void unreadableBytesGoToTheDlqWithTheirCauseAndOrigin() {
    var producer = producer(true);
    var connector = new ScriptedConnector(clock, Duration.ZERO, answers("never"));
    byte[] garbage = "not avro at all".getBytes(StandardCharsets.UTF_8);
    Processing processing = processor(producer, connector).process(record(garbage, 1));

    assertThat(processing.acknowledgement()).isCompletedWithValue(AcknowledgeType.REJECT);
    assertThat(connector.calls()).isZero();
    assertThat(producer.history()).hasSize(1);
    ProducerRecord<byte[], byte[]> letter = producer.history().get(0);
    assertThat(letter.topic()).isEqualTo(TOPICS.dlq());
    assertThat(letter.value()).isEqualTo(garbage);
    assertThat(new String(letter.key(), StandardCharsets.UTF_8)).isEqualTo("req-1");
    assertThat(header(letter, DeadLetterHeaders.CAUSE))
        .isEqualTo(DeadLetterHeaders.CAUSE_UNREADABLE);
    assertThat(header(letter, DeadLetterHeaders.SOURCE_TOPIC)).isEqualTo(TOPIC);
    assertThat(header(letter, DeadLetterHeaders.SOURCE_PARTITION)).isEqualTo("2");
    assertThat(header(letter, DeadLetterHeaders.SOURCE_OFFSET)).isEqualTo("41");
    assertThat(header(letter, DeadLetterHeaders.ERROR)).isNotBlank();
    assertThat(header(letter, "traceparent")).as("original headers kept").isEqualTo("00-abc");
  }

  @Test
  void streamedChunksAreWrittenInOrderBeforeTheOutcome() {
    var producer = producer(true);
    var connector = new ScriptedConnector(clock, Duration.ZERO, streams("Hel", "", "lo", "!"));
    Processing processing =
        processor(producer, connector)
            .process(record(bytes(Dispatches.chat("req-1", "tenant-1", ROUTE, true, null)), 1));

    assertThat(processing.acknowledgement()).isCompletedWithValue(AcknowledgeType.ACCEPT);
    List<ProducerRecord<byte[], byte[]>> history = producer.history();
    assertThat(history)
        .extracting(ProducerRecord::topic)
        .containsExactly(
            TOPICS.resultsStream(),
            TOPICS.resultsStream(),
            TOPICS.resultsStream(),
            TOPICS.outcomes());
    List<ResultChunk> chunks =
        history.subList(0, 3).stream()
            .map(r -> serdes.chunks().deserializer().deserialize(r.topic(), r.value()))
            .toList();
    assertThat(chunks).extracting(ResultChunk::getSequence).containsExactly(0, 1, 2);
    assertThat(chunks).extracting(ResultChunk::getDelta).containsExactly("Hel", "lo", "!");
    assertThat(new String(history.get(0).key(), StandardCharsets.UTF_8)).isEqualTo("req-1");
    assertThat(outcome(history.get(3)).getOutput().getText()).isEqualTo("Hello!");
  }

  @Test
  void anAbandonedRecordIsReleasedAndNothingIsWritten() {
    var producer = producer(true);
    var connector = new ScriptedConnector(clock, Duration.ZERO, ScriptedConnector.waits());
    Processing processing =
        processor(producer, connector)
            .process(record(bytes(Dispatches.chat("req-1", "tenant-1", ROUTE)), 1));

    processing.abandon();

    assertThat(processing.acknowledgement()).isCompletedWithValue(AcknowledgeType.RELEASE);
    assertThat(connector.pending().get(0)).isCancelled();
    assertThat(producer.history()).isEmpty();
  }
}
