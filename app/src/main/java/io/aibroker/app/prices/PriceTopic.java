package io.aibroker.app.prices;

import io.aibroker.records.PriceList;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * The price catalog on the compacted prices topic: {@link PriceList} versions keyed by version id.
 * Reads it to the end offsets of the moment, and writes versions (Avro through the registry, like
 * every producer of the app). Reading then writing is not atomic: two writers of the same version
 * id at once leave the last one.
 */
public final class PriceTopic {

  /**
   * What the topic holds.
   *
   * @param versions the current versions by id, oldest effective first
   * @param withdrawn ids whose latest record is a tombstone (still known while the tombstone lasts)
   */
  public record Snapshot(Map<String, PriceList> versions, Set<String> withdrawn) {

    /** Whether the topic holds, or recently held, this version id. */
    public boolean knows(String versionId) {
      return versions.containsKey(versionId) || withdrawn.contains(versionId);
    }

    /** The version in effect at {@code instant}: the latest effective-from at or before it. */
    public Optional<PriceList> inEffectAt(Instant instant) {
      return versions.values().stream()
          .filter(v -> !v.getEffectiveFrom().isAfter(instant))
          .max(ORDER);
    }

    /** The version with the latest effective-from (the base of a change). */
    public Optional<PriceList> latest() {
      return versions.values().stream().max(ORDER);
    }
  }

  /** By effective-from, then by version id, so that ties have one answer. */
  public static final Comparator<PriceList> ORDER =
      Comparator.comparing(PriceList::getEffectiveFrom).thenComparing(PriceList::getVersion);

  private final Map<String, Object> client;
  private final String topic;
  private final Serde<PriceList> serde;
  private final Duration timeout;

  /**
   * The catalog on {@code topic}.
   *
   * @param client Kafka client properties (bootstrap servers, security settings)
   * @param serde the PriceList serde, on the app's registry client
   * @param timeout bound of each call to the cluster and of a read making no progress
   */
  public PriceTopic(
      Map<String, Object> client, String topic, Serde<PriceList> serde, Duration timeout) {
    this.client = Map.copyOf(client);
    this.topic = topic;
    this.serde = serde;
    this.timeout = timeout;
  }

  /** The topic's name. */
  public String topic() {
    return topic;
  }

  /** Reads the topic from the beginning to its end offsets of now. */
  public Snapshot read() {
    Map<String, PriceList> latest = new LinkedHashMap<>();
    Set<String> withdrawn = new LinkedHashSet<>();
    try (var consumer =
        new KafkaConsumer<>(
            consumerProperties(), new StringDeserializer(), new ByteArrayDeserializer())) {
      List<PartitionInfo> infos = consumer.partitionsFor(topic, timeout);
      if (infos == null || infos.isEmpty()) {
        throw new IllegalStateException(
            "topic " + topic + " does not exist; 'aibroker run' or 'aibroker broker' creates it");
      }
      List<TopicPartition> partitions =
          infos.stream().map(p -> new TopicPartition(topic, p.partition())).toList();
      consumer.assign(partitions);
      consumer.seekToBeginning(partitions);
      Map<TopicPartition, Long> end = consumer.endOffsets(partitions, timeout);
      long deadline = System.nanoTime() + timeout.toNanos();
      while (!end.entrySet().stream()
          .allMatch(e -> consumer.position(e.getKey()) >= e.getValue())) {
        if (System.nanoTime() > deadline) {
          throw new IllegalStateException("reading " + topic + " stalled for " + timeout);
        }
        var records = consumer.poll(Duration.ofMillis(200));
        if (!records.isEmpty()) {
          deadline = System.nanoTime() + timeout.toNanos();
        }
        for (ConsumerRecord<String, byte[]> record : records) {
          if (record.key() == null
              || record.offset() >= end.get(new TopicPartition(topic, record.partition()))) {
            continue;
          }
          if (record.value() == null) {
            latest.remove(record.key());
            withdrawn.add(record.key());
          } else {
            latest.put(record.key(), value(record));
            withdrawn.remove(record.key());
          }
        }
      }
    }
    Map<String, PriceList> ordered = new LinkedHashMap<>();
    latest.values().stream().sorted(ORDER).forEach(v -> ordered.put(v.getVersion(), v));
    return new Snapshot(ordered, withdrawn);
  }

  /** Writes versions keyed by their id and waits until every one is acknowledged. */
  public void write(Collection<PriceList> versions) {
    Map<String, Object> props = new HashMap<>(client);
    props.put("acks", "all");
    props.put("enable.idempotence", true);
    props.put("max.block.ms", (int) timeout.toMillis());
    props.put("delivery.timeout.ms", (int) Math.max(timeout.toMillis() * 2, 30_000));
    props.put("request.timeout.ms", (int) Math.min(timeout.toMillis(), 30_000));
    try (var producer = new KafkaProducer<>(props, new StringSerializer(), serde.serializer())) {
      List<Future<RecordMetadata>> sent =
          versions.stream()
              .map(v -> producer.send(new ProducerRecord<>(topic, v.getVersion(), v)))
              .toList();
      for (Future<RecordMetadata> f : sent) {
        f.get();
      }
    } catch (ExecutionException e) {
      throw new IllegalStateException("could not write price versions to " + topic, e.getCause());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while writing to " + topic, e);
    }
  }

  private PriceList value(ConsumerRecord<String, byte[]> record) {
    try {
      return serde.deserializer().deserialize(topic, record.value());
    } catch (RuntimeException e) {
      throw new IllegalStateException(
          "cannot read the price version at "
              + topic
              + "-"
              + record.partition()
              + " offset "
              + record.offset(),
          e);
    }
  }

  private Map<String, Object> consumerProperties() {
    Map<String, Object> props = new HashMap<>(client);
    props.put("enable.auto.commit", false);
    props.put("isolation.level", "read_committed");
    // A reader must never create the topic it looks for: it would not be compacted.
    props.put("allow.auto.create.topics", false);
    props.put("default.api.timeout.ms", (int) timeout.toMillis());
    props.put("request.timeout.ms", (int) Math.min(timeout.toMillis(), 30_000));
    return props;
  }
}
