package io.aibroker.bench;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Something the benchmark sends to and reads answers from: one thread reads the answer topic from
 * its end, and each answer is matched to its send by run id and sequence number.
 *
 * @param <K> answer key type
 * @param <V> answer value type
 */
abstract class LoadTarget<K, V> implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(LoadTarget.class);
  private static final AtomicInteger RUNS = new AtomicInteger();

  /**
   * The producer linger of a client measured for throughput (raw Kafka's and the pipeline's): 5 ms,
   * the Java producer's default since Kafka 4.0 (KIP-1030), so many records share a produce
   * request. Latency points send with linger 0, one produce request per record.
   */
  static final int BATCHING_LINGER_MS = 5;

  /** An answer: which send it belongs to, and how it ended. */
  record Answer(String runId, long sequence, boolean ok, boolean cached) {}

  private final Consumer<K, V> consumer;
  private final Map<String, Tracker> trackers = new ConcurrentHashMap<>();
  private final Thread reader;
  private volatile boolean closing;

  LoadTarget(Consumer<K, V> consumer, String answerTopic) {
    this.consumer = consumer;
    List<TopicPartition> partitions = partitionsOf(consumer, answerTopic);
    consumer.assign(partitions);
    consumer.seekToEnd(partitions);
    partitions.forEach(consumer::position); // the end now, before anything is sent
    reader = Thread.ofPlatform().daemon().name("bench-answers-" + answerTopic).start(this::read);
  }

  /**
   * The topic's partitions, waiting for a topic just created to show up in the metadata: until then
   * {@code partitionsFor} returns none, and a consumer assigned none reads nothing (the raw
   * baseline of smoke runs counted every record missing and waited out its 2-minute drain).
   */
  private static <K, V> List<TopicPartition> partitionsOf(Consumer<K, V> consumer, String topic) {
    long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
    while (true) {
      List<TopicPartition> partitions =
          consumer.partitionsFor(topic, Duration.ofSeconds(30)).stream()
              .map(p -> new TopicPartition(p.topic(), p.partition()))
              .toList();
      if (!partitions.isEmpty()) {
        return partitions;
      }
      if (System.nanoTime() - deadline > 0) {
        throw new IllegalStateException("topic " + topic + " has no partitions after 30 s");
      }
      try {
        Thread.sleep(100);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("interrupted waiting for topic " + topic, e);
      }
    }
  }

  /** Sends number {@code sequence} of run {@code runId}. */
  abstract void send(String runId, long sequence);

  /** Which send an answer belongs to, or null if it is none of ours. */
  abstract Answer answer(K key, V value);

  /** Sends buffered records now. */
  abstract void flush();

  /** A fresh run id: answers of earlier runs arriving late are not counted in later ones. */
  static String newRunId() {
    return "b"
        + Long.toString(System.currentTimeMillis() % 100_000_000, 36)
        + RUNS.incrementAndGet();
  }

  /**
   * One load point: open loop at {@code rate} for warm-up and duration, then waits up to {@code
   * drain} for the answers still missing.
   */
  PointResult point(String label, double rate, Duration warmup, Duration duration, Duration drain)
      throws InterruptedException {
    long capacity = OpenLoop.sends(rate, warmup, duration);
    Tracker tracker = begin(capacity);
    OpenLoop.Run run =
        OpenLoop.run(
            rate,
            warmup,
            duration,
            (seq, due) -> {
              tracker.sent(seq, due);
              send(tracker.runId(), seq);
            });
    flush();
    tracker.awaitAnswers(run.sent(), drain);
    long giveUp = System.nanoTime();
    trackers.remove(tracker.runId());
    return tracker.result(label, rate, run, giveUp);
  }

  /**
   * Sends {@code count} at {@code rate} and waits up to {@code drain} for every answer; returns the
   * run (no warm-up) and the answers seen.
   */
  PointResult burst(String label, double rate, long count, Duration drain)
      throws InterruptedException {
    Tracker tracker = begin(count);
    OpenLoop.Run run =
        OpenLoop.count(
            rate,
            count,
            (seq, due) -> {
              tracker.sent(seq, due);
              send(tracker.runId(), seq);
            });
    flush();
    tracker.awaitAnswers(run.sent(), drain);
    long giveUp = System.nanoTime();
    trackers.remove(tracker.runId());
    return tracker.result(label, rate, run, giveUp, true);
  }

  private Tracker begin(long capacity) {
    if (capacity > Integer.MAX_VALUE - 8) {
      throw new IllegalArgumentException("too many sends for one point: " + capacity);
    }
    Tracker tracker = new Tracker(newRunId(), (int) capacity);
    trackers.put(tracker.runId(), tracker);
    return tracker;
  }

  private void read() {
    try {
      while (!closing) {
        ConsumerRecords<K, V> records = consumer.poll(Duration.ofMillis(100));
        long now = System.nanoTime();
        for (var record : records) {
          Answer answer;
          try {
            answer = answer(record.key(), record.value());
          } catch (RuntimeException e) {
            LOG.warn("unreadable answer at {}: {}", record.offset(), e.toString());
            continue;
          }
          if (answer != null) {
            Tracker tracker = trackers.get(answer.runId());
            if (tracker != null) {
              tracker.answered(answer.sequence(), now, answer.ok(), answer.cached());
            }
          }
        }
      }
    } catch (WakeupException e) {
      // closing
    } finally {
      consumer.close(Duration.ofSeconds(5));
    }
  }

  /** Parses {@code "<runId>-<sequence>"} ids. */
  static Answer parseId(String id, boolean ok, boolean cached) {
    if (id == null) {
      return null;
    }
    int dash = id.lastIndexOf('-');
    if (dash <= 0) {
      return null;
    }
    try {
      return new Answer(
          id.substring(0, dash), Long.parseLong(id, dash + 1, id.length(), 10), ok, cached);
    } catch (NumberFormatException e) {
      return null;
    }
  }

  @Override
  public void close() throws InterruptedException {
    closing = true;
    consumer.wakeup();
    reader.join(10_000);
  }
}
