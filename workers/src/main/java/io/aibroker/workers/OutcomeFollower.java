package io.aibroker.workers;

import io.aibroker.records.ProviderOutcome;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.OffsetAndTimestamp;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.Deserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads the outcomes topic, as written by every worker, into {@link ReportedOutcomes}, so that a
 * dispatch whose outcome another worker already wrote is accepted without a second provider call.
 *
 * <p>That happens when a worker dies (or its acknowledgement is lost with a share-partition leader)
 * after writing an outcome but before its ACCEPT reached Kafka: the record is delivered again, most
 * often to another worker (found by the crash matrix, docs/RELIABILITY.md). On start it reads back
 * the last {@code lookBack} of outcomes, so a restarted worker knows them too.
 *
 * <p>It reads with a plain consumer that belongs to no group and commits nothing: every worker
 * reads every partition. That costs each worker the outcomes topic's bytes once more; {@code
 * workers.follow-outcomes: false} turns it off. Records it cannot read are skipped (the broker
 * dead-letters them). It is best effort: an outcome not read yet when its record comes back still
 * leads to a second call, which the broker's outcome dedupe makes harmless to results and billing.
 */
final class OutcomeFollower implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(OutcomeFollower.class);
  private static final Duration POLL_TIMEOUT = Duration.ofMillis(500);
  private static final Duration METADATA_TIMEOUT = Duration.ofSeconds(30);
  private static final long ERROR_PAUSE_MILLIS = 1000;

  private final Consumer<byte[], byte[]> consumer;
  private final String topic;
  private final Deserializer<ProviderOutcome> reader;
  private final ReportedOutcomes reported;
  private final Duration lookBack;
  private final Clock clock;
  private final Thread thread;
  private volatile boolean running = true;
  private volatile boolean started;

  /**
   * @param consumer a consumer without a group; the follower owns and closes it
   * @param topic the outcomes topic
   * @param reader reads outcome records
   * @param reported where the dispatches with a written outcome go
   * @param lookBack how far back to read on start
   * @param clock where "now" comes from for the look-back
   */
  OutcomeFollower(
      Consumer<byte[], byte[]> consumer,
      String topic,
      Deserializer<ProviderOutcome> reader,
      ReportedOutcomes reported,
      Duration lookBack,
      Clock clock) {
    this.consumer = Objects.requireNonNull(consumer, "consumer");
    this.topic = Objects.requireNonNull(topic, "topic");
    this.reader = Objects.requireNonNull(reader, "reader");
    this.reported = Objects.requireNonNull(reported, "reported");
    this.lookBack = Objects.requireNonNull(lookBack, "lookBack");
    this.clock = Objects.requireNonNull(clock, "clock");
    this.thread =
        Thread.ofPlatform().name("aibroker-outcome-follower").daemon().unstarted(this::run);
  }

  /** Starts reading, on a thread of its own. */
  synchronized void start() {
    if (!started && running) {
      started = true;
      thread.start();
    }
  }

  private void run() {
    try {
      while (running && !assignAndSeek()) {
        Thread.sleep(ERROR_PAUSE_MILLIS);
      }
      while (running) {
        try {
          for (ConsumerRecord<byte[], byte[]> record : consumer.poll(POLL_TIMEOUT)) {
            remember(record);
          }
        } catch (WakeupException stop) {
          return;
        } catch (RuntimeException e) {
          LOG.warn("could not read the outcomes topic {}; going on: {}", topic, e.toString());
          Thread.sleep(ERROR_PAUSE_MILLIS);
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (WakeupException stop) {
      // closing
    } finally {
      consumer.close(Duration.ofSeconds(5));
    }
  }

  /** Assigns every partition and seeks to {@code lookBack} ago; false if Kafka did not answer. */
  private boolean assignAndSeek() {
    try {
      List<TopicPartition> partitions =
          consumer.partitionsFor(topic, METADATA_TIMEOUT).stream()
              .map(p -> new TopicPartition(p.topic(), p.partition()))
              .toList();
      if (partitions.isEmpty()) {
        return false;
      }
      consumer.assign(partitions);
      long since = clock.millis() - lookBack.toMillis();
      Map<TopicPartition, Long> times = new HashMap<>();
      partitions.forEach(p -> times.put(p, since));
      Map<TopicPartition, OffsetAndTimestamp> offsets =
          consumer.offsetsForTimes(times, METADATA_TIMEOUT);
      for (TopicPartition p : partitions) {
        OffsetAndTimestamp at = offsets.get(p);
        if (at != null) {
          consumer.seek(p, at.offset());
        } else {
          consumer.seekToEnd(List.of(p));
        }
      }
      LOG.debug("following {} partitions of {} from {} ago", partitions.size(), topic, lookBack);
      return true;
    } catch (WakeupException stop) {
      throw stop;
    } catch (RuntimeException e) {
      LOG.warn("could not assign the outcomes topic {}; trying again: {}", topic, e.toString());
      return false;
    }
  }

  private void remember(ConsumerRecord<byte[], byte[]> record) {
    try {
      ProviderOutcome outcome =
          reader.deserialize(record.topic(), record.headers(), record.value());
      if (outcome != null) {
        reported.add(ReportedOutcomes.key(outcome.getRequestId(), outcome.getAttempt()));
      }
    } catch (RuntimeException unreadable) {
      LOG.debug(
          "skipping an unreadable outcome at {}-{}@{}", topic, record.partition(), record.offset());
    }
  }

  /** Stops reading and closes the consumer (waits up to 10 s). */
  @Override
  public synchronized void close() {
    if (!running) {
      return;
    }
    running = false;
    if (!started) {
      consumer.close(Duration.ZERO);
      return;
    }
    consumer.wakeup();
    try {
      thread.join(Duration.ofSeconds(10));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
