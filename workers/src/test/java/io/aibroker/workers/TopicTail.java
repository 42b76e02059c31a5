package io.aibroker.workers;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.awaitility.Awaitility;

/** Reads a whole topic from its beginning, without a group, collecting what it reads. */
final class TopicTail<T> implements AutoCloseable {

  private final KafkaConsumer<String, T> consumer;
  private final List<ConsumerRecord<String, T>> records = new ArrayList<>();

  TopicTail(Map<String, Object> client, String topic, Deserializer<T> values) {
    Map<String, Object> props = new HashMap<>(client);
    props.put("enable.auto.commit", false);
    consumer = new KafkaConsumer<>(props, new StringDeserializer(), values);
    List<TopicPartition> partitions =
        consumer.partitionsFor(topic).stream()
            .map(p -> new TopicPartition(topic, p.partition()))
            .toList();
    consumer.assign(partitions);
    consumer.seekToBeginning(partitions);
  }

  /** Polls until {@code done} holds for what was read so far; returns all of it. */
  List<ConsumerRecord<String, T>> until(
      Predicate<List<ConsumerRecord<String, T>>> done, Duration timeout) {
    Awaitility.await()
        .atMost(timeout)
        .pollInterval(Duration.ofMillis(10))
        .until(
            () -> {
              consumer.poll(Duration.ofMillis(100)).forEach(records::add);
              return done.test(records);
            });
    return List.copyOf(records);
  }

  /** Polls for {@code period} and returns everything read. */
  List<ConsumerRecord<String, T>> readFor(Duration period) {
    long end = System.nanoTime() + period.toNanos();
    while (System.nanoTime() < end) {
      consumer.poll(Duration.ofMillis(100)).forEach(records::add);
    }
    return List.copyOf(records);
  }

  /** Values read so far. */
  List<T> values() {
    return records.stream().map(ConsumerRecord::value).toList();
  }

  @Override
  public void close() {
    consumer.close();
  }
}
