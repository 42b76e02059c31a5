package io.aibroker.app.http;

import io.aibroker.records.UsageRollup;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndTimestamp;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one reader of the usage rollups topic that keeps a process's {@link UsageView} current: a
 * plain consumer (no group, nothing committed) on a daemon thread, assigned every partition from
 * the view's horizon (by record timestamp) and following new records until closed. Only committed
 * records are read ({@code read_committed}): the broker writes rollups in exactly-once
 * transactions, and an aborted one is written again. The view is marked caught up once the reader
 * reached the end offsets the topic had when reading began.
 */
public final class UsageViewReader implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(UsageViewReader.class);
  private static final Duration POLL = Duration.ofMillis(200);
  private static final Duration EVICT_EVERY = Duration.ofMinutes(1);
  private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(30);

  private final KafkaConsumer<String, byte[]> consumer;
  private final String topic;
  private final Deserializer<UsageRollup> rollups;
  private final UsageView view;
  private final Clock clock;
  private final Thread thread;
  private volatile boolean running = true;

  /**
   * Starts reading.
   *
   * @param client Kafka connection settings of the process
   * @param topic the usage rollups topic
   * @param rollups how to read its values
   * @param view the view to keep current
   * @param clock when windows expire
   */
  public UsageViewReader(
      Map<String, Object> client,
      String topic,
      Deserializer<UsageRollup> rollups,
      UsageView view,
      Clock clock) {
    this.consumer =
        new KafkaConsumer<>(
            TopicReaderProperties.of(client, "aibroker-usage-view"),
            new StringDeserializer(),
            new ByteArrayDeserializer());
    this.topic = topic;
    this.rollups = rollups;
    this.view = view;
    this.clock = clock;
    this.thread = Thread.ofPlatform().daemon().name("aibroker-usage-view").start(this::run);
  }

  private void run() {
    try (consumer) {
      Map<TopicPartition, Long> end = assignFromHorizon();
      Instant nextEviction = clock.instant().plus(EVICT_EVERY);
      while (running) {
        for (ConsumerRecord<String, byte[]> record : consumer.poll(POLL)) {
          apply(record);
        }
        if (!view.caughtUp() && reached(end)) {
          view.markCaughtUp();
          LOG.info("usage view caught up with {} ({} windows)", topic, view.size());
        }
        if (clock.instant().isAfter(nextEviction)) {
          view.evictExpired();
          nextEviction = clock.instant().plus(EVICT_EVERY);
        }
      }
    } catch (WakeupException e) {
      if (running) {
        failed(e);
      }
    } catch (RuntimeException e) {
      failed(e);
    }
  }

  private void failed(RuntimeException e) {
    view.markStopped();
    LOG.error("the usage view stopped following {}; /v1/usage answers 503", topic, e);
  }

  private Map<TopicPartition, Long> assignFromHorizon() {
    List<TopicPartition> partitions =
        consumer.partitionsFor(topic, CONNECT_TIMEOUT).stream()
            .map(p -> new TopicPartition(topic, p.partition()))
            .toList();
    if (partitions.isEmpty()) {
      throw new IllegalStateException("topic " + topic + " does not exist");
    }
    consumer.assign(partitions);
    Map<TopicPartition, Long> end = consumer.endOffsets(partitions, CONNECT_TIMEOUT);
    Map<TopicPartition, Long> from = new HashMap<>();
    partitions.forEach(p -> from.put(p, view.readFrom().toEpochMilli()));
    Map<TopicPartition, OffsetAndTimestamp> offsets =
        consumer.offsetsForTimes(from, CONNECT_TIMEOUT);
    for (TopicPartition partition : partitions) {
      OffsetAndTimestamp offset = offsets.get(partition);
      // Nothing at or after the horizon: only new records matter.
      consumer.seek(partition, offset == null ? end.get(partition) : offset.offset());
    }
    return end;
  }

  private void apply(ConsumerRecord<String, byte[]> record) {
    if (record.value() == null) {
      return;
    }
    UsageRollup rollup;
    try {
      rollup = rollups.deserialize(record.topic(), record.value());
    } catch (RuntimeException e) {
      LOG.warn(
          "skipping the unreadable rollup at {}-{} offset {}",
          record.topic(),
          record.partition(),
          record.offset(),
          e);
      return;
    }
    view.apply(rollup, record.partition(), record.offset());
  }

  private boolean reached(Map<TopicPartition, Long> end) {
    return end.entrySet().stream().allMatch(e -> consumer.position(e.getKey()) >= e.getValue());
  }

  /** Whether the reader is still following the topic. */
  public boolean isRunning() {
    return thread.isAlive();
  }

  @Override
  public void close() {
    running = false;
    try {
      consumer.wakeup();
    } catch (IllegalStateException alreadyClosed) {
      // the thread already stopped and closed it
    }
    try {
      thread.join(Duration.ofSeconds(30));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
