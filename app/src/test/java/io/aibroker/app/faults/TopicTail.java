package io.aibroker.app.faults;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.Deserializer;

/** Reads a topic's committed records from its end at creation on, every partition. */
public final class TopicTail<T> implements AutoCloseable {

  private final KafkaConsumer<byte[], byte[]> consumer;
  private final Deserializer<T> values;
  private final String topic;
  private final List<T> records = new ArrayList<>();

  public TopicTail(String bootstrapServers, String topic, Deserializer<T> values) {
    this.topic = topic;
    this.values = values;
    this.consumer =
        new KafkaConsumer<>(
            Map.of(
                "bootstrap.servers",
                bootstrapServers,
                "enable.auto.commit",
                false,
                "isolation.level",
                "read_committed"),
            new ByteArrayDeserializer(),
            new ByteArrayDeserializer());
    List<TopicPartition> partitions =
        consumer.partitionsFor(topic, Duration.ofSeconds(10)).stream()
            .map(p -> new TopicPartition(topic, p.partition()))
            .toList();
    consumer.assign(partitions);
    consumer.seekToEnd(partitions);
    partitions.forEach(consumer::position); // fixes "the end" now, not at the first poll
  }

  /** Reads what arrived since the last call (waiting up to {@code wait}) and returns all so far. */
  public List<T> poll(Duration wait) {
    consumer.poll(wait).forEach(r -> records.add(values.deserialize(topic, r.value())));
    return List.copyOf(records);
  }

  @Override
  public void close() {
    consumer.close();
  }
}
