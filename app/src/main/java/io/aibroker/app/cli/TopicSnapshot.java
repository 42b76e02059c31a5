package io.aibroker.app.cli;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndTimestamp;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.utils.Utils;

/**
 * Reads a topic as it is at one moment: every partition from a start point up to the end offsets
 * captured when the read begins. Records written meanwhile are not waited for, so a read always
 * ends. Only committed records are read, since the broker writes under exactly-once transactions.
 */
public final class TopicSnapshot {

  /**
   * One record of the snapshot.
   *
   * @param key the record key (may be null)
   * @param value the deserialized value; null for a tombstone
   * @param partition the partition it was read from
   * @param offset its offset in that partition
   * @param <V> the value type
   */
  public record Entry<V>(String key, V value, int partition, long offset) {}

  private final Map<String, Object> clientProperties;
  private final Duration timeout;

  /**
   * A reader using these Kafka client properties (bootstrap servers, security settings).
   *
   * @param clientProperties Kafka client properties
   * @param timeout upper bound for each call to the cluster, and for a read making no progress
   */
  public TopicSnapshot(Map<String, Object> clientProperties, Duration timeout) {
    this.clientProperties = Map.copyOf(clientProperties);
    this.timeout = timeout;
  }

  /**
   * The latest value of every key of a compacted topic, in the order keys were first seen; keys
   * whose latest record is a tombstone are left out.
   */
  public <V> Map<String, V> latestByKey(String topic, Deserializer<V> values) {
    Map<String, V> latest = new LinkedHashMap<>();
    for (Entry<V> entry : read(topic, values, null)) {
      if (entry.value() == null) {
        latest.remove(entry.key());
      } else {
        latest.put(entry.key(), entry.value());
      }
    }
    return latest;
  }

  /**
   * The records of a topic, in offset order within each partition.
   *
   * @param topic the topic to read
   * @param values how to read the values
   * @param from the earliest record timestamp to read, or null to read from the beginning
   * @return the records up to the end offsets captured at the start
   */
  public <V> List<Entry<V>> read(String topic, Deserializer<V> values, Instant from) {
    return read(topic, values, from, null);
  }

  /**
   * The records of the one partition the default partitioner puts {@code key} in, in offset order:
   * everything written with that key (and the other keys sharing its partition), read at a fraction
   * of the cost of the whole topic.
   *
   * @param topic the topic to read
   * @param key the record key whose partition to read
   * @param values how to read the values
   * @param from the earliest record timestamp to read, or null to read from the beginning
   * @return the partition's records up to its end offset captured at the start
   */
  public <V> List<Entry<V>> readPartitionOf(
      String topic, String key, Deserializer<V> values, Instant from) {
    return read(topic, values, from, key);
  }

  private <V> List<Entry<V>> read(String topic, Deserializer<V> values, Instant from, String key) {
    try (var consumer =
        new KafkaConsumer<>(consumerProperties(), new StringDeserializer(), bytes())) {
      List<TopicPartition> partitions = partitions(consumer, topic);
      if (key != null) {
        partitions = List.of(partitions.get(partitionFor(key, partitions.size())));
      }
      consumer.assign(partitions);
      Map<TopicPartition, Long> end = consumer.endOffsets(partitions, timeout);
      seek(consumer, partitions, end, from);
      return drain(consumer, values, end);
    }
  }

  private Map<String, Object> consumerProperties() {
    Map<String, Object> props = new HashMap<>(clientProperties);
    props.put("enable.auto.commit", false);
    props.put("isolation.level", "read_committed");
    // A reader must never create the topic it looks for: it would not be compacted.
    props.put("allow.auto.create.topics", false);
    props.put("default.api.timeout.ms", (int) timeout.toMillis());
    props.put("request.timeout.ms", (int) Math.min(timeout.toMillis(), 30_000));
    return props;
  }

  private List<TopicPartition> partitions(KafkaConsumer<String, byte[]> consumer, String topic) {
    List<PartitionInfo> infos;
    try {
      infos = consumer.partitionsFor(topic, timeout);
    } catch (TimeoutException e) {
      throw new IllegalStateException(
          "cannot reach Kafka at "
              + clientProperties.get("bootstrap.servers")
              + " within "
              + timeout.toSeconds()
              + "s (is 'aibroker run' running, or is --bootstrap-servers right?)",
          e);
    }
    if (infos == null || infos.isEmpty()) {
      throw new IllegalStateException(
          "topic "
              + topic
              + " does not exist; 'aibroker run' creates it on start (check the topic prefix)");
    }
    return infos.stream()
        .map(p -> new TopicPartition(topic, p.partition()))
        .sorted(Comparator.comparingInt(TopicPartition::partition))
        .toList();
  }

  /** The default partitioner's choice for a String key among {@code partitions} partitions. */
  static int partitionFor(String key, int partitions) {
    return Utils.toPositive(Utils.murmur2(key.getBytes(StandardCharsets.UTF_8))) % partitions;
  }

  private void seek(
      KafkaConsumer<String, byte[]> consumer,
      List<TopicPartition> partitions,
      Map<TopicPartition, Long> end,
      Instant from) {
    if (from == null) {
      consumer.seekToBeginning(partitions);
      return;
    }
    Map<TopicPartition, Long> times = new HashMap<>();
    partitions.forEach(p -> times.put(p, from.toEpochMilli()));
    Map<TopicPartition, OffsetAndTimestamp> offsets = consumer.offsetsForTimes(times, timeout);
    for (TopicPartition partition : partitions) {
      OffsetAndTimestamp offset = offsets.get(partition);
      // No record at or after the timestamp: nothing to read in this partition.
      consumer.seek(partition, offset == null ? end.get(partition) : offset.offset());
    }
  }

  private <V> List<Entry<V>> drain(
      KafkaConsumer<String, byte[]> consumer,
      Deserializer<V> values,
      Map<TopicPartition, Long> end) {
    List<Entry<V>> entries = new ArrayList<>();
    // A large topic may take long to read; only a read that stops making progress fails.
    long deadline = System.nanoTime() + timeout.toNanos();
    while (!reachedEnd(consumer, end)) {
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException(
            "reading " + end.keySet().iterator().next().topic() + " stalled for " + timeout);
      }
      var records = consumer.poll(Duration.ofMillis(200));
      if (!records.isEmpty()) {
        deadline = System.nanoTime() + timeout.toNanos();
      }
      for (ConsumerRecord<String, byte[]> record : records) {
        if (record.offset() < end.get(new TopicPartition(record.topic(), record.partition()))) {
          entries.add(
              new Entry<>(
                  record.key(), value(values, record), record.partition(), record.offset()));
        }
      }
    }
    return entries;
  }

  private static <V> V value(Deserializer<V> values, ConsumerRecord<String, byte[]> record) {
    try {
      return values.deserialize(record.topic(), record.value());
    } catch (RuntimeException e) {
      throw new IllegalStateException(
          "cannot read the record at "
              + record.topic()
              + "-"
              + record.partition()
              + " offset "
              + record.offset(),
          e);
    }
  }

  private static boolean reachedEnd(
      KafkaConsumer<String, byte[]> consumer, Map<TopicPartition, Long> end) {
    return end.entrySet().stream().allMatch(e -> consumer.position(e.getKey()) >= e.getValue());
  }

  private static Deserializer<byte[]> bytes() {
    return new ByteArrayDeserializer();
  }
}
