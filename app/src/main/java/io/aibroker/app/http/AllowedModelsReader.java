package io.aibroker.app.http;

import io.aibroker.records.TenantPolicy;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one reader of the compacted tenants topic that keeps a process's {@link AllowedModels}
 * current: a plain consumer (no group, nothing committed) on a daemon thread, assigned every
 * partition from the beginning and following changes until closed, so a policy set with {@code
 * aibroker tenants set --allowed-models} shows in {@code GET /v1/models} without a restart. The
 * view is marked caught up once the reader reached the end offsets the topic had when it began.
 */
public final class AllowedModelsReader implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(AllowedModelsReader.class);
  private static final Duration POLL = Duration.ofMillis(200);
  private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(30);

  private final KafkaConsumer<String, byte[]> consumer;
  private final String topic;
  private final Deserializer<TenantPolicy> policies;
  private final AllowedModels view;
  private final Thread thread;
  private volatile boolean running = true;

  /**
   * Starts reading.
   *
   * @param client Kafka connection settings of the process
   * @param topic the tenants topic
   * @param policies how to read its values
   * @param view the view to keep current
   */
  public AllowedModelsReader(
      Map<String, Object> client,
      String topic,
      Deserializer<TenantPolicy> policies,
      AllowedModels view) {
    this.consumer =
        new KafkaConsumer<>(
            TopicReaderProperties.of(client, "aibroker-allowed-models"),
            new StringDeserializer(),
            new ByteArrayDeserializer());
    this.topic = topic;
    this.policies = policies;
    this.view = view;
    this.thread = Thread.ofPlatform().daemon().name("aibroker-allowed-models").start(this::run);
  }

  private void run() {
    try (consumer) {
      List<TopicPartition> partitions =
          consumer.partitionsFor(topic, CONNECT_TIMEOUT).stream()
              .map(p -> new TopicPartition(topic, p.partition()))
              .toList();
      if (partitions.isEmpty()) {
        throw new IllegalStateException("topic " + topic + " does not exist");
      }
      consumer.assign(partitions);
      consumer.seekToBeginning(partitions);
      Map<TopicPartition, Long> end = consumer.endOffsets(partitions, CONNECT_TIMEOUT);
      while (running) {
        for (ConsumerRecord<String, byte[]> record : consumer.poll(POLL)) {
          apply(record);
        }
        if (!view.caughtUp()
            && end.entrySet().stream()
                .allMatch(e -> consumer.position(e.getKey()) >= e.getValue())) {
          view.markCaughtUp();
          LOG.debug("allowed models caught up with {}", topic);
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
    LOG.error("stopped following {}; /v1/models answers 503", topic, e);
  }

  private void apply(ConsumerRecord<String, byte[]> record) {
    if (record.key() == null) {
      return;
    }
    if (record.value() == null) {
      view.apply(record.key(), null);
      return;
    }
    try {
      view.apply(record.key(), policies.deserialize(record.topic(), record.value()));
    } catch (RuntimeException e) {
      // The broker sends such a record to the DLQ and keeps the tenant's previous policy; so do we.
      LOG.warn(
          "skipping the unreadable policy at {}-{} offset {}",
          record.topic(),
          record.partition(),
          record.offset(),
          e);
    }
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
