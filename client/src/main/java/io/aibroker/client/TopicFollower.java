package io.aibroker.client;

import java.time.Duration;
import java.util.function.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;

/**
 * What the client's public readers that follow topics until closed share ({@link ResultSubscriber},
 * {@link UsageReader}): a consumer polled on a {@link PollingThread}, whether it still runs, why it
 * stopped, and closing it. A failing callback stops it.
 *
 * @param <V> the consumer's value type
 */
abstract class TopicFollower<V> implements AutoCloseable {

  private static final Duration POLL = Duration.ofMillis(200);

  private PollingThread<V> poller;

  /**
   * Starts polling; called last by the subclass's constructor, once the fields {@code handle} uses
   * are set.
   *
   * @param name the thread's name
   * @param consumer the consumer, closed when the thread ends
   * @param prepare subscribes or assigns and seeks, on the thread
   * @param handle takes each poll's records, on the thread
   */
  final void follow(
      String name,
      KafkaConsumer<String, V> consumer,
      Consumer<KafkaConsumer<String, V>> prepare,
      Consumer<ConsumerRecords<String, V>> handle) {
    poller = new PollingThread<>(name, consumer, POLL, prepare, handle, e -> {});
  }

  /** Whether it is still reading. */
  public boolean isRunning() {
    return poller.isRunning();
  }

  /** Why it stopped (a failing callback stops it), if it did. */
  public Throwable failure() {
    return poller.failure();
  }

  /** Stops reading (and leaves the consumer group, if there is one). */
  @Override
  public void close() {
    poller.close();
  }
}
