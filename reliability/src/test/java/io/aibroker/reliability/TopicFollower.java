package io.aibroker.reliability;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.StringDeserializer;

/**
 * Reads a topic from its beginning and keeps following it, read_committed (what a downstream
 * consumer of aibroker sees: records of aborted transactions never count), handing each value to a
 * callback. No consumer group: every partition is assigned, so nothing depends on rebalances while
 * Kafka nodes die.
 */
final class TopicFollower<T> implements AutoCloseable {

  private final KafkaConsumer<String, byte[]> consumer;
  private final String topic;
  private final Deserializer<T> deserializer;
  private final Consumer<T> onValue;
  private final AtomicBoolean running = new AtomicBoolean(true);
  private final List<Throwable> failures = new CopyOnWriteArrayList<>();
  private final Thread thread;

  TopicFollower(
      Map<String, Object> kafka, String topic, Deserializer<T> deserializer, Consumer<T> onValue) {
    Map<String, Object> props = new HashMap<>(kafka);
    props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
    this.consumer =
        new KafkaConsumer<>(props, new StringDeserializer(), new ByteArrayDeserializer());
    this.topic = topic;
    this.deserializer = deserializer;
    this.onValue = onValue;
    this.thread = Thread.ofPlatform().daemon().name("follow-" + topic).start(this::follow);
  }

  private void follow() {
    try {
      List<TopicPartition> partitions =
          consumer.partitionsFor(topic, Duration.ofSeconds(60)).stream()
              .map(p -> new TopicPartition(topic, p.partition()))
              .toList();
      consumer.assign(partitions);
      consumer.seekToBeginning(partitions);
      while (running.get()) {
        for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofMillis(200))) {
          if (record.value() != null) {
            onValue.accept(deserializer.deserialize(topic, record.value()));
          }
        }
      }
    } catch (org.apache.kafka.common.errors.WakeupException stopping) {
      // closed
    } catch (RuntimeException e) {
      failures.add(e);
    } finally {
      consumer.close(Duration.ofSeconds(5));
    }
  }

  /** Errors that stopped the follower (none expected). */
  List<Throwable> failures() {
    return List.copyOf(failures);
  }

  @Override
  public void close() throws InterruptedException {
    running.set(false);
    consumer.wakeup();
    thread.join(10_000);
  }
}
