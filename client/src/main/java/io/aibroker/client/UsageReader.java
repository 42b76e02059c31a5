package io.aibroker.client;

import io.aibroker.records.UsageEvent;
import io.aibroker.records.UsageRollup;
import io.aibroker.schemas.RecordSerdes;
import io.aibroker.topics.Topics;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndTimestamp;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.StringDeserializer;

/**
 * Reads the finance ledger: usage events and usage rollups, on every partition, from a start time
 * (by record timestamp) onwards, and keeps following new records until closed. No consumer group:
 * each reader sees everything, and a reader that restarts starts again from its start time. Only
 * committed records are read ({@code isolation.level=read_committed}), since the broker writes the
 * ledger in transactions. A rollup supersedes earlier rollups of the same window (tenant, model,
 * provider, provider model, window, window start): {@link Builder#rollupsInto} keeps only the
 * current ones, in a {@link RollupTable}.
 *
 * <pre>{@code
 * try (UsageReader reader =
 *     UsageReader.builder(Map.of("bootstrap.servers", "localhost:9092"), serdes)
 *         .from(Instant.now().minus(Duration.ofDays(1)))
 *         .onEvent(e -> System.out.println(e.getTenantId() + " " + Usd.of(e.getCost())))
 *         .onRollup(r -> System.out.println(r.getTenantId() + " " + r.getWindow() + " " + r.getRequests()))
 *         .start()) {
 *   ...
 * }
 * }</pre>
 */
public final class UsageReader extends TopicFollower<byte[]> {

  private final Topics topics;
  private final Instant from;
  private final Deserializer<UsageEvent> events;
  private final Deserializer<UsageRollup> rollups;
  private final Consumer<UsageEvent> onEvent;
  private final Consumer<UsageRollup> onRollup;
  private final RollupTable rollupTable;

  private UsageReader(Builder b) {
    Map<String, Object> props = PollingThread.withoutGroup(b.kafka, "earliest");
    props.put("isolation.level", "read_committed");
    var consumer =
        new KafkaConsumer<>(props, new StringDeserializer(), new ByteArrayDeserializer());
    this.topics = b.topics;
    this.from = b.from;
    this.events = b.serdes.usage().deserializer();
    this.rollups = b.serdes.rollups().deserializer();
    this.onEvent = b.onEvent;
    this.onRollup = b.onRollup;
    this.rollupTable = b.rollupTable;
    follow("aibroker-usage-reader", consumer, this::seek, this::deliver);
  }

  /**
   * A builder of a reader.
   *
   * @param kafka Kafka connection settings
   * @param serdes Avro serdes bound to the Schema Registry
   */
  public static Builder builder(Map<String, Object> kafka, RecordSerdes serdes) {
    return new Builder(kafka, serdes);
  }

  private void seek(KafkaConsumer<String, byte[]> consumer) {
    List<String> names = new ArrayList<>();
    if (onEvent != null) {
      names.add(topics.usage());
    }
    if (onRollup != null || rollupTable != null) {
      names.add(topics.usageRollups());
    }
    List<TopicPartition> partitions =
        names.stream()
            .flatMap(
                t ->
                    consumer.partitionsFor(t, AiBrokerClient.CONNECT_TIMEOUT).stream()
                        .map(p -> new TopicPartition(t, p.partition())))
            .toList();
    consumer.assign(partitions);
    Map<TopicPartition, Long> times = new HashMap<>();
    partitions.forEach(p -> times.put(p, from.toEpochMilli()));
    Map<TopicPartition, OffsetAndTimestamp> offsets = consumer.offsetsForTimes(times);
    for (TopicPartition p : partitions) {
      OffsetAndTimestamp at = offsets.get(p);
      if (at == null) {
        consumer.seekToEnd(List.of(p));
      } else {
        consumer.seek(p, at.offset());
      }
    }
  }

  private void deliver(ConsumerRecords<String, byte[]> records) {
    for (ConsumerRecord<String, byte[]> record : records) {
      if (record.value() == null) {
        continue;
      }
      if (record.topic().equals(topics.usage())) {
        onEvent.accept(events.deserialize(record.topic(), record.value()));
      } else {
        UsageRollup rollup = rollups.deserialize(record.topic(), record.value());
        if (rollupTable != null) {
          rollupTable.apply(rollup, record.partition(), record.offset());
        }
        if (onRollup != null) {
          onRollup.accept(rollup);
        }
      }
    }
  }

  /** Settings of a reader. */
  public static final class Builder extends ClientSettings<Builder> {
    private Instant from = Instant.EPOCH;
    private Consumer<UsageEvent> onEvent;
    private Consumer<UsageRollup> onRollup;
    private RollupTable rollupTable;

    private Builder(Map<String, Object> kafka, RecordSerdes serdes) {
      super(kafka, serdes);
    }

    @Override
    Builder self() {
      return this;
    }

    /** Read records written at or after this time (default: everything retained). */
    public Builder from(Instant from) {
      this.from = Objects.requireNonNull(from, "from");
      return this;
    }

    /** Called with each usage event. */
    public Builder onEvent(Consumer<UsageEvent> onEvent) {
      this.onEvent = onEvent;
      return this;
    }

    /** Called with each usage rollup. */
    public Builder onRollup(Consumer<UsageRollup> onRollup) {
      this.onRollup = onRollup;
      return this;
    }

    /**
     * Applies every rollup read to {@code table} (before {@link #onRollup}, if set, sees it), so
     * that the table holds the latest rollup of each window.
     */
    public Builder rollupsInto(RollupTable table) {
      this.rollupTable = table;
      return this;
    }

    /** Starts reading. At least one callback (or a {@link #rollupsInto} table) is required. */
    public UsageReader start() {
      if (onEvent == null && onRollup == null && rollupTable == null) {
        throw new IllegalStateException("set onEvent, onRollup and/or rollupsInto");
      }
      return new UsageReader(this);
    }
  }
}
