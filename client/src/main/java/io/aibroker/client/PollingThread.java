package io.aibroker.client;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A Kafka consumer polled on a daemon thread of its own until closed: the life cycle every reader
 * of the client shares. {@code prepare} runs first on that thread (assign, seek); the thread is
 * "ready" once it returned. Then each poll's records go to {@code handle}. An exception stops the
 * thread and is handed to {@code onFailure}; the consumer is closed on the thread's way out.
 */
final class PollingThread<V> implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(PollingThread.class);

  private final String name;
  private final KafkaConsumer<String, V> consumer;
  private final Duration pollTimeout;
  private final Consumer<KafkaConsumer<String, V>> prepare;
  private final Consumer<ConsumerRecords<String, V>> handle;
  private final Consumer<RuntimeException> onFailure;
  private final CountDownLatch ready = new CountDownLatch(1);
  private final Thread thread;
  private volatile boolean running = true;
  private volatile RuntimeException failure;

  PollingThread(
      String name,
      KafkaConsumer<String, V> consumer,
      Duration pollTimeout,
      Consumer<KafkaConsumer<String, V>> prepare,
      Consumer<ConsumerRecords<String, V>> handle,
      Consumer<RuntimeException> onFailure) {
    this.name = name;
    this.consumer = consumer;
    this.pollTimeout = pollTimeout;
    this.prepare = prepare;
    this.handle = handle;
    this.onFailure = onFailure;
    this.thread = Thread.ofPlatform().daemon().name(name).start(this::run);
  }

  /**
   * Fetch wait of the readers that wait for answers: a fetch that finds nothing committed waits up
   * to this long on the Kafka broker. A transaction's commit markers did not end the wait of a
   * read_committed fetch here, so with Kafka's default of 500 ms one request alone through the HTTP
   * API took about 550 ms with exactly-once results (86 ms at-least-once). 10 ms costs an idle
   * reader a hundred small fetches a second.
   */
  static final int ANSWER_FETCH_MAX_WAIT_MS = 10;

  /**
   * The settings with the short fetch wait of a reader that waits for answers ({@link
   * #ANSWER_FETCH_MAX_WAIT_MS}), unless the client set its own; returns them.
   */
  static Map<String, Object> awaitingAnswers(Map<String, Object> props) {
    props.putIfAbsent("fetch.max.wait.ms", ANSWER_FETCH_MAX_WAIT_MS);
    return props;
  }

  /** Consumer settings without a group: offsets are chosen by the reader, nothing is committed. */
  static Map<String, Object> withoutGroup(Map<String, Object> client, String offsetReset) {
    Map<String, Object> props = new HashMap<>(client);
    props.remove("group.id");
    props.put("enable.auto.commit", false);
    props.put("auto.offset.reset", offsetReset);
    // The broker writes results in exactly-once transactions; an aborted one is done again, so
    // read_uncommitted could see a result that is then aborted and written a second time.
    props.putIfAbsent("isolation.level", "read_committed");
    return props;
  }

  /** Assigns every partition of the topic at its current end; fails if the topic is missing. */
  static <V> List<TopicPartition> assignAtEnd(KafkaConsumer<String, V> consumer, String topic) {
    List<TopicPartition> partitions =
        consumer.partitionsFor(topic, AiBrokerClient.CONNECT_TIMEOUT).stream()
            .map(p -> new TopicPartition(p.topic(), p.partition()))
            .toList();
    if (partitions.isEmpty()) {
      throw new IllegalStateException("topic " + topic + " does not exist");
    }
    consumer.assign(partitions);
    consumer.seekToEnd(partitions);
    partitions.forEach(consumer::position); // fix the start before anything is sent
    return partitions;
  }

  private void run() {
    try {
      prepare.accept(consumer);
      ready.countDown();
      while (running) {
        handle.accept(consumer.poll(pollTimeout));
      }
    } catch (WakeupException e) {
      // closing
    } catch (RuntimeException e) {
      failure = e;
      LOG.warn("{} stopped: {}", name, e.toString());
      onFailure.accept(e);
    } finally {
      ready.countDown();
      consumer.close();
    }
  }

  /** Waits until {@code prepare} returned; fails if it could not, or the thread has stopped. */
  void awaitReady(String what) {
    try {
      if (!ready.await(AiBrokerClient.CONNECT_TIMEOUT.toSeconds() + 5, TimeUnit.SECONDS)) {
        throw new IllegalStateException(new TimeoutException("could not reach " + what));
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    }
    if (failure != null) {
      throw new IllegalStateException("cannot read " + what + ": " + failure.getMessage(), failure);
    }
    if (!running) {
      throw new IllegalStateException("the client is closed");
    }
  }

  /** Whether the thread is still polling. */
  boolean isRunning() {
    return thread.isAlive();
  }

  /** Why the thread stopped, if an error stopped it. */
  RuntimeException failure() {
    return failure;
  }

  /** Stops polling and waits (up to 10 s) for the thread to close the consumer. */
  @Override
  public void close() {
    running = false;
    consumer.wakeup();
    try {
      thread.join(Duration.ofSeconds(10));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
