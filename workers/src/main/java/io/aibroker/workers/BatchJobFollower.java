package io.aibroker.workers;

import io.aibroker.records.BatchJobEntry;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.Deserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads the batch-jobs topic as a consumer group: each partition, so each job, belongs to one
 * worker at a time. On assignment a partition is read from its beginning (it is compacted: what is
 * left is every open job's header and members); once it is read up to where it ended at assignment,
 * its jobs are handed to the driver -- a job found there after a crash is resumed, not submitted
 * again. Afterwards new jobs (opened by any worker) arrive as they are written.
 *
 * <p>Nothing is committed: every assignment reads the partition again, which is the state.
 */
final class BatchJobFollower {

  private static final Logger LOG = LoggerFactory.getLogger(BatchJobFollower.class);
  private static final Duration POLL_TIMEOUT = Duration.ofMillis(200);

  private final org.apache.kafka.clients.consumer.Consumer<byte[], byte[]> consumer;
  private final String topic;
  private final Deserializer<BatchJobEntry> reader;
  private final Consumer<OpenBatchJob> ready;
  private final Map<String, OpenBatchJob> jobs = new ConcurrentHashMap<>();
  private final Thread thread;

  // Poll thread only.
  private final Map<TopicPartition, Long> catchUpTo = new HashMap<>();
  private volatile boolean stopping;

  /**
   * @param consumer a consumer of the batch-jobs group, not subscribed, auto commit off
   * @param topic the batch-jobs topic
   * @param reader decodes entries
   * @param ready called with each job whose partition is read up and whose header arrived or
   *     changed
   * @param name thread name
   */
  BatchJobFollower(
      org.apache.kafka.clients.consumer.Consumer<byte[], byte[]> consumer,
      String topic,
      Deserializer<BatchJobEntry> reader,
      Consumer<OpenBatchJob> ready,
      String name) {
    this.consumer = Objects.requireNonNull(consumer, "consumer");
    this.topic = Objects.requireNonNull(topic, "topic");
    this.reader = Objects.requireNonNull(reader, "reader");
    this.ready = Objects.requireNonNull(ready, "ready");
    this.thread = Thread.ofPlatform().name(name).daemon().unstarted(this::run);
  }

  void start() {
    thread.start();
  }

  /** The open jobs of the partitions this worker owns and has read up. */
  Collection<OpenBatchJob> jobs() {
    return jobs.values();
  }

  /** Whether the request (in this attempt) is a member of an open job known here. */
  boolean isMember(String requestId) {
    return jobs.values().stream().anyMatch(job -> job.hasMember(requestId));
  }

  /** Forgets a finished job. */
  void finished(OpenBatchJob job) {
    jobs.remove(job.key(), job);
  }

  private void run() {
    try {
      consumer.subscribe(List.of(topic), new Rebalance());
      while (!stopping) {
        try {
          for (ConsumerRecord<byte[], byte[]> record : consumer.poll(POLL_TIMEOUT)) {
            apply(record);
          }
          markCaughtUp();
        } catch (WakeupException stop) {
          break;
        } catch (RuntimeException e) {
          if (stopping) {
            break;
          }
          LOG.warn("reading {} failed; going on", topic, e);
          sleepQuietly(1000);
        }
      }
    } finally {
      consumer.close(Duration.ofSeconds(5));
    }
  }

  private void apply(ConsumerRecord<byte[], byte[]> record) {
    String key = new String(record.key(), StandardCharsets.UTF_8);
    if (record.value() == null) {
      if (!key.contains("/")) {
        OpenBatchJob gone = jobs.remove(key);
        if (gone != null) {
          gone.drop();
        }
      }
      return;
    }
    BatchJobEntry entry;
    try {
      entry = reader.deserialize(record.topic(), record.headers(), record.value());
    } catch (RuntimeException unreadable) {
      LOG.warn(
          "unreadable batch-jobs record {}-{}@{}; skipping it: {}",
          record.topic(),
          record.partition(),
          record.offset(),
          unreadable.toString());
      return;
    }
    OpenBatchJob job =
        jobs.computeIfAbsent(entry.getJobKey(), k -> new OpenBatchJob(k, record.partition()));
    if (entry.getMember() != null) {
      job.member(entry.getMember());
    }
    if (entry.getJob() != null) {
      job.header(entry.getJob());
      if (caughtUp(record.partition())) {
        ready.accept(job);
      }
    }
  }

  private boolean caughtUp(int partition) {
    return !catchUpTo.containsKey(new TopicPartition(topic, partition));
  }

  private void markCaughtUp() {
    if (catchUpTo.isEmpty()) {
      return;
    }
    Set<Integer> done = new HashSet<>();
    for (var entry : List.copyOf(catchUpTo.entrySet())) {
      if (consumer.position(entry.getKey()) >= entry.getValue()) {
        catchUpTo.remove(entry.getKey());
        done.add(entry.getKey().partition());
      }
    }
    if (!done.isEmpty()) {
      List<OpenBatchJob> resumed =
          jobs.values().stream()
              .filter(job -> done.contains(job.partition()) && job.header() != null)
              .toList();
      if (!resumed.isEmpty()) {
        LOG.info("resuming {} open batch jobs of partitions {}", resumed.size(), done);
      }
      resumed.forEach(ready);
    }
  }

  /** Stops the poll thread and closes the consumer. */
  void close() {
    stopping = true;
    consumer.wakeup();
    try {
      thread.join(Duration.ofSeconds(10));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private static void sleepQuietly(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private final class Rebalance implements ConsumerRebalanceListener {

    @Override
    public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
      forget(partitions);
    }

    @Override
    public void onPartitionsLost(Collection<TopicPartition> partitions) {
      forget(partitions);
    }

    @Override
    public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
      if (partitions.isEmpty()) {
        return;
      }
      consumer.seekToBeginning(partitions);
      catchUpTo.putAll(consumer.endOffsets(partitions));
    }

    private void forget(Collection<TopicPartition> partitions) {
      Set<Integer> numbers = new HashSet<>();
      partitions.forEach(p -> numbers.add(p.partition()));
      partitions.forEach(catchUpTo::remove);
      jobs.values()
          .removeIf(
              job -> {
                if (numbers.contains(job.partition())) {
                  job.drop();
                  return true;
                }
                return false;
              });
    }
  }
}
