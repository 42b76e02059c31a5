package io.aibroker.client;

import io.aibroker.records.InferenceResult;
import io.aibroker.records.ResultChunk;
import io.aibroker.schemas.RecordSerdes;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.utils.Utils;

/**
 * Reads the results-stream topic from its end and feeds each watched request's chunks to its
 * publisher. A publisher completes only after the final result arrived <em>and</em> this reader has
 * caught up with the chunk partition as it was at that moment, so no trailing chunk is lost even
 * though chunks and results travel on different topics.
 */
final class ChunkSource implements AutoCloseable {

  private final String topic;
  private final Map<String, Stream> streams = new ConcurrentHashMap<>();
  private final ConcurrentLinkedQueue<Finish> finishing = new ConcurrentLinkedQueue<>();
  private final PollingThread<ResultChunk> poller;
  private KafkaConsumer<String, ResultChunk> consumer; // used on the poller's thread only
  private volatile int partitionCount;

  private record Finish(String requestId, InferenceResult result, Throwable error) {}

  /** One streaming request: its publisher and the chunks seen so far (by attempt, sequence). */
  private static final class Stream {
    final ReplayPublisher<ResultChunk> publisher = new ReplayPublisher<>();
    final Set<Long> seen = new HashSet<>();
    int attempt;
    TopicPartition partition;
    long catchUpTo = -1;
  }

  ChunkSource(Map<String, Object> client, RecordSerdes serdes, String topic) {
    this.topic = topic;
    var chunks =
        new KafkaConsumer<>(
            PollingThread.awaitingAnswers(PollingThread.withoutGroup(client, "latest")),
            new StringDeserializer(),
            serdes.chunks().deserializer());
    this.poller =
        new PollingThread<>(
            "aibroker-client-" + topic,
            chunks,
            Duration.ofMillis(50),
            this::assign,
            this::publish,
            e -> streams.values().forEach(s -> s.publisher.fail(e)));
  }

  /** Starts watching a request's chunks; call before the request is sent. */
  ReplayPublisher<ResultChunk> watch(String requestId) {
    poller.awaitReady(topic);
    return streams.computeIfAbsent(requestId, id -> new Stream()).publisher;
  }

  /** The request ended: complete its publisher once every chunk written before now was read. */
  void finish(String requestId, InferenceResult result, Throwable error) {
    finishing.add(new Finish(requestId, result, error));
  }

  private void assign(KafkaConsumer<String, ResultChunk> chunks) {
    consumer = chunks;
    partitionCount = PollingThread.assignAtEnd(chunks, topic).size();
  }

  private void publish(ConsumerRecords<String, ResultChunk> records) {
    for (ConsumerRecord<String, ResultChunk> record : records) {
      ResultChunk chunk = record.value();
      Stream stream = chunk == null ? null : streams.get(chunk.getRequestId());
      if (stream != null) {
        accept(stream, chunk);
      }
    }
    finishDue();
  }

  /**
   * Publishes a chunk unless it is a redelivery; a chunk of a later attempt (after a failover)
   * starts over, and chunks of earlier attempts are then dropped.
   */
  private static void accept(Stream stream, ResultChunk chunk) {
    if (chunk.getAttempt() < stream.attempt) {
      return;
    }
    stream.attempt = chunk.getAttempt();
    long id = ((long) chunk.getAttempt() << 32) | (chunk.getSequence() & 0xffffffffL);
    if (stream.seen.add(id)) {
      stream.publisher.publish(chunk);
    }
  }

  private void finishDue() {
    Finish finish;
    while ((finish = finishing.poll()) != null) {
      Stream stream = streams.get(finish.requestId());
      if (stream == null) {
        continue;
      }
      if (finish.error() != null) {
        streams.remove(finish.requestId());
        stream.publisher.fail(finish.error());
        continue;
      }
      TopicPartition partition = partitionOf(finish.requestId());
      stream.partition = partition;
      stream.catchUpTo = consumer.endOffsets(List.of(partition)).get(partition);
    }
    for (var entry : streams.entrySet()) {
      Stream stream = entry.getValue();
      if (stream.partition != null && consumer.position(stream.partition) >= stream.catchUpTo) {
        streams.remove(entry.getKey());
        stream.publisher.complete();
      }
    }
  }

  /** The partition the default partitioner chose for a requestId key. */
  private TopicPartition partitionOf(String requestId) {
    return new TopicPartition(topic, partitionFor(requestId, partitionCount));
  }

  /** The default partitioner's choice for a String key among {@code partitions} partitions. */
  static int partitionFor(String key, int partitions) {
    return Utils.toPositive(Utils.murmur2(key.getBytes(StandardCharsets.UTF_8))) % partitions;
  }

  @Override
  public void close() {
    poller.close();
    IllegalStateException closed = new IllegalStateException("the client was closed");
    streams.values().forEach(s -> s.publisher.fail(closed));
  }
}
