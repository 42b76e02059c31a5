package io.aibroker.workers;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.AcknowledgeType;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.ShareConsumer;
import org.apache.kafka.common.TopicIdPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One share consumer in explicit acknowledgement mode and the platform thread that polls it. The
 * consumer is touched by that thread only (it is not thread-safe, and acknowledge and commit must
 * happen on the polling thread); the work on the records runs elsewhere and hands its result back
 * through a queue.
 *
 * <h2>Why a worker runs several</h2>
 *
 * Explicit acknowledgement forbids a poll while any record of the last poll is unacknowledged, and
 * (Kafka 4.3) a consumer holding renewed records returns only those on its next polls, never new
 * ones, until each is acknowledged for good. So one consumer holds at most one poll's worth of
 * records at a time, however long its slowest call takes, and a worker runs {@link
 * WorkerConfig#consumers()} of them: records in flight per process are up to {@code consumers *
 * max.poll.records}. The consumers use {@code share.acquire.mode=record_limit}: a poll takes no
 * more than {@code max.poll.records}, and nothing is fetched ahead to wait in a buffer while its
 * acquisition lock runs out.
 *
 * <h2>The loop</h2>
 *
 * <ol>
 *   <li>Take the finished records from the queue and acknowledge each with its decision (ACCEPT,
 *       REJECT or RELEASE), then {@code commitAsync} so the broker hears at once.
 *   <li>While records of the last poll are still in flight, wait on the queue until half the
 *       acquisition lock has passed ({@link WorkerConfig#renewInterval()}, or half the lock the
 *       broker reports if shorter). Then acknowledge the unfinished ones with RENEW (KIP-1222) and
 *       send that with {@code commitAsync}, and keep committing (which hands completed
 *       acknowledgements to the commit callback) until the broker confirmed every renewal. Not with
 *       a poll: a poll while renewals are pending also fetches new records, which would sit in the
 *       consumer's buffer with their locks running out, and be delivered later with some deliveries
 *       used up.
 *   <li>Once nothing of the last poll is unacknowledged and no renewal is pending, poll. The poll
 *       returns the renewed records (KAFKA-20458: a renewed record is delivered to the application
 *       again) or, when there are none, new records. A delivery of a record already in flight in
 *       this worker starts no second call: the record is attached to the work in progress,
 *       whichever consumer received it.
 * </ol>
 *
 * <p>A renewal the broker refused, or one that never comes back, leaves the record {@link
 * HeldRecord.State#LOST}: its work goes on and its outcome is still written, but only another
 * delivery can be acknowledged; the broker dedupes outcomes by request id.
 *
 * <h2>Stopping</h2>
 *
 * {@link #stop} makes the loop take no new work (records still delivered are RELEASEd at once) and
 * keep acknowledging finished work until everything held is done or the drain deadline passes; then
 * unfinished work is abandoned, its records RELEASEd, acknowledgements committed and the consumer
 * closed (which releases whatever it still holds).
 */
final class ConsumerLane {

  private static final Logger LOG = LoggerFactory.getLogger(ConsumerLane.class);

  /** Longest blocking wait, so a stop is noticed quickly. */
  private static final long MAX_WAIT_NANOS = TimeUnit.MILLISECONDS.toNanos(200);

  /** How often to look for the broker's answer to renewals. */
  private static final long RENEWAL_CHECK_NANOS = TimeUnit.MILLISECONDS.toNanos(5);

  private static final Duration POLL_TIMEOUT = Duration.ofMillis(200);
  private static final Duration CLOSE_TIMEOUT = Duration.ofSeconds(5);
  private static final long ERROR_PAUSE_MILLIS = 1000;

  /** Wakes the loop when {@link #stop} is called. */
  private static final Object WAKE = new Object();

  /** A record of the last poll, with the handle this consumer acknowledges it with. */
  private record Delivery(ConsumerRecord<byte[], byte[]> handle, HeldRecord record) {}

  private final String name;
  private final ShareConsumer<byte[], byte[]> consumer;
  private final List<String> topics;
  private final DispatchProcessor processor;
  private final ConcurrentMap<RecordKey, HeldRecord> inWorker;
  private final WorkerMetrics metrics;
  private final long configuredRenewNanos;
  private final BlockingQueue<Object> finished = new LinkedBlockingQueue<>();
  private final Thread thread;

  // Poll thread only.
  private final Map<RecordKey, HeldRecord> held = new HashMap<>();
  private final Map<RecordKey, Delivery> delivered = new LinkedHashMap<>();
  private final Map<RecordKey, HeldRecord> renewalsUnconfirmed = new HashMap<>();
  private long renewAtNanos;
  private long renewalsSentNanos;
  private boolean acknowledgedSinceCommit;

  private volatile boolean stopping;
  private volatile long drainDeadlineNanos;

  /**
   * @param name thread name
   * @param consumer a share consumer in explicit acknowledgement mode, not yet subscribed
   * @param topics the dispatch topics to subscribe to
   * @param processor does the work on each record
   * @param inWorker the records held by every consumer of this worker, shared among them
   * @param renewInterval the longest time between renewals of a record still in flight
   * @param metrics where lane metrics go
   */
  ConsumerLane(
      String name,
      ShareConsumer<byte[], byte[]> consumer,
      List<String> topics,
      DispatchProcessor processor,
      ConcurrentMap<RecordKey, HeldRecord> inWorker,
      Duration renewInterval,
      WorkerMetrics metrics) {
    this.name = name;
    this.consumer = Objects.requireNonNull(consumer, "consumer");
    this.topics = List.copyOf(topics);
    this.processor = Objects.requireNonNull(processor, "processor");
    this.inWorker = Objects.requireNonNull(inWorker, "inWorker");
    this.configuredRenewNanos = renewInterval.toNanos();
    this.metrics = Objects.requireNonNull(metrics, "metrics");
    this.thread = Thread.ofPlatform().name(name).unstarted(this::run);
  }

  /** Starts the poll thread. */
  void start() {
    thread.start();
  }

  /** Asks the loop to stop taking work and to drain until {@code deadlineNanos} (nanoTime). */
  void stop(long deadlineNanos) {
    drainDeadlineNanos = deadlineNanos;
    stopping = true;
    finished.add(WAKE);
  }

  /** Whether the poll thread is running. */
  boolean isAlive() {
    return thread.isAlive();
  }

  /** Closes the consumer of a lane whose thread never started. */
  void closeUnstarted() {
    consumer.close(CLOSE_TIMEOUT);
  }

  /** Waits for the poll thread to end, at most {@code timeout}; true if it did. */
  boolean awaitStopped(Duration timeout) throws InterruptedException {
    return thread.join(timeout);
  }

  /** Called from any thread when the work on {@code record} is done. */
  void completed(HeldRecord record) {
    finished.add(record);
  }

  private void run() {
    try {
      consumer.setAcknowledgementCommitCallback(this::acknowledgementsCommitted);
      consumer.subscribe(topics);
      while (!done()) {
        try {
          step();
        } catch (WakeupException ignored) {
          // wakeup() is not used to stop; nothing to do
        } catch (RuntimeException e) {
          LOG.error("{}: poll loop error; going on in {} ms", name, ERROR_PAUSE_MILLIS, e);
          Thread.sleep(ERROR_PAUSE_MILLIS);
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (RuntimeException e) {
      LOG.error("{}: could not subscribe to {}", name, topics, e);
    } finally {
      shutDown();
    }
  }

  private boolean done() {
    return stopping && (held.isEmpty() || System.nanoTime() - drainDeadlineNanos >= 0);
  }

  private void step() throws InterruptedException {
    acknowledgeFinished(takeFinishedNow());
    if (!renewalsUnconfirmed.isEmpty()) {
      awaitRenewals();
      return;
    }
    if (!delivered.isEmpty()) {
      long now = System.nanoTime();
      if (now - renewAtNanos < 0) {
        commitIfAcknowledged();
        acknowledgeFinished(takeFinished(Math.min(renewAtNanos - now, MAX_WAIT_NANOS)));
        return;
      }
      renewUnfinished(now);
      if (!renewalsUnconfirmed.isEmpty()) {
        // Sent by commit, not by poll: a poll while renewals are pending also fetches new records,
        // which would wait in the consumer's buffer with their locks running out.
        consumer.commitAsync();
        acknowledgedSinceCommit = false;
        renewalsSentNanos = now;
        return;
      }
    }
    // Everything the last poll delivered is acknowledged: the poll sends those acknowledgements.
    acknowledgedSinceCommit = false;
    ConsumerRecords<byte[], byte[]> records = consumer.poll(POLL_TIMEOUT);
    onDelivery(records, System.nanoTime());
  }

  /**
   * Waits for the broker to confirm the renewals sent. Committing hands completed acknowledgements
   * to {@link #acknowledgementsCommitted}, which confirms them; once all are, the next poll returns
   * the renewed records without fetching new ones.
   */
  private void awaitRenewals() throws InterruptedException {
    consumer.commitAsync();
    if (renewalsUnconfirmed.isEmpty()) {
      return;
    }
    long now = System.nanoTime();
    if (now - renewalsSentNanos > renewNanos()) {
      for (HeldRecord record : List.copyOf(renewalsUnconfirmed.values())) {
        lose(record, now);
      }
      renewalsUnconfirmed.clear();
      return;
    }
    acknowledgeFinished(takeFinished(RENEWAL_CHECK_NANOS));
  }

  /** Takes what finished, waiting up to {@code waitNanos} for the first one. */
  private List<HeldRecord> takeFinished(long waitNanos) throws InterruptedException {
    return withRest(finished.poll(waitNanos, TimeUnit.NANOSECONDS));
  }

  /** Takes what finished, without waiting. */
  private List<HeldRecord> takeFinishedNow() {
    return withRest(finished.poll());
  }

  private List<HeldRecord> withRest(Object first) {
    List<Object> items = new ArrayList<>();
    if (first != null) {
      items.add(first);
      finished.drainTo(items);
    }
    List<HeldRecord> records = new ArrayList<>(items.size());
    for (Object item : items) {
      if (item instanceof HeldRecord record) {
        records.add(record);
      }
    }
    return records;
  }

  private void acknowledgeFinished(List<HeldRecord> records) {
    for (HeldRecord record : records) {
      if (record.owner() != this) {
        record.owner().completed(record); // another consumer took it over; it acknowledges
        continue;
      }
      switch (record.state()) {
        case DELIVERED -> {
          Delivery delivery = delivered.remove(record.key());
          if (delivery != null) {
            acknowledge(delivery.handle(), record.decision());
          }
          leave(record);
        }
        case RENEWING -> {
          // acknowledged when the renewal comes back
        }
        case LOST -> leave(record);
      }
    }
  }

  /** RENEWs what is still in flight; what is decided by now is acknowledged with its decision. */
  private void renewUnfinished(long now) {
    int renewed = 0;
    for (Delivery delivery : delivered.values()) {
      HeldRecord record = delivery.record();
      if (record.owner() != this) {
        // Another consumer received it again (our lock had lapsed): our delivery is stale.
        acknowledge(delivery.handle(), AcknowledgeType.RELEASE);
      } else if (record.decision() != null) {
        acknowledge(delivery.handle(), record.decision());
        leave(record);
      } else {
        acknowledge(delivery.handle(), AcknowledgeType.RENEW);
        record.moveTo(HeldRecord.State.RENEWING, now);
        renewalsUnconfirmed.put(record.key(), record);
        renewed++;
      }
    }
    delivered.clear();
    if (renewed > 0) {
      metrics.renewed(renewed);
      LOG.debug("{}: renewing the locks of {} records still in flight", name, renewed);
    }
  }

  private void onDelivery(ConsumerRecords<byte[], byte[]> records, long now) {
    if (LOG.isDebugEnabled() && !records.isEmpty()) {
      LOG.debug(
          "{}: poll delivered {} records, lock {} ms; holding {}",
          name,
          records.count(),
          consumer.acquisitionLockTimeoutMs().orElse(-1),
          held.size());
    }
    forgetRecordsOwnedElsewhere();
    boolean renewalsBack = false;
    boolean newRecords = false;
    for (ConsumerRecord<byte[], byte[]> record : records) {
      RecordKey key = RecordKey.of(record);
      HeldRecord known = inWorker.get(key);
      if (known != null) {
        renewalsBack |= known.owner() == this && known.state() == HeldRecord.State.RENEWING;
        attach(known, record, now);
      } else if (stopping) {
        acknowledge(record, AcknowledgeType.RELEASE);
      } else {
        newRecords = true;
        begin(key, record, now);
      }
    }
    // A consumer fetches new records only once no renewal is pending, so renewals not back by now
    // have failed; and even without new records, one that takes a whole renew interval has.
    for (HeldRecord record : List.copyOf(held.values())) {
      if (record.state() == HeldRecord.State.RENEWING
          && ((newRecords && !renewalsBack) || now - record.stateSinceNanos() > renewNanos())) {
        lose(record, now);
      }
    }
    if (!records.isEmpty()) {
      renewAtNanos = now + renewNanos();
    }
  }

  /** A delivery of a record already in flight here: no second call, just a fresh handle. */
  private void attach(HeldRecord record, ConsumerRecord<byte[], byte[]> handle, long now) {
    metrics.redeliveryInFlight();
    ConsumerLane previous = record.owner();
    if (previous != this) {
      LOG.info(
          "{}: {} was delivered again while in flight on {}; taking it over",
          name,
          record.key(),
          previous.name);
    }
    record.deliveredTo(this, now);
    held.put(record.key(), record);
    if (record.decision() != null) {
      acknowledge(handle, record.decision());
      leave(record);
    } else {
      delivered.put(record.key(), new Delivery(handle, record));
    }
  }

  private void begin(RecordKey key, ConsumerRecord<byte[], byte[]> handle, long now) {
    LOG.trace("{}: new {} delivery {}", name, key, handle.deliveryCount().orElse((short) 1));
    Processing processing = processor.process(handle);
    HeldRecord record = new HeldRecord(key, this, processing, now);
    inWorker.put(key, record);
    held.put(key, record);
    delivered.put(key, new Delivery(handle, record));
    metrics.recordsHeld().incrementAndGet();
    processing.acknowledgement().thenAccept(record::decide);
  }

  /**
   * The lock is gone: the work goes on and its outcome is written, but it cannot be acknowledged.
   */
  private void lose(HeldRecord record, long now) {
    LOG.warn(
        "{}: the lock renewal of {} did not come back; it will be delivered again",
        name,
        record.key());
    record.moveTo(HeldRecord.State.LOST, now);
    held.remove(record.key());
    if (record.decision() != null) {
      leave(record);
    }
  }

  /** Drops records another consumer of this worker took over. */
  private void forgetRecordsOwnedElsewhere() {
    held.values().removeIf(record -> record.owner() != this);
  }

  /** Runs on the poll thread, inside poll or commit. */
  private void acknowledgementsCommitted(
      Map<TopicIdPartition, Set<Long>> offsets, Exception failure) {
    long now = System.nanoTime();
    offsets.forEach(
        (partition, acknowledged) -> {
          for (long offset : acknowledged) {
            HeldRecord renewed =
                renewalsUnconfirmed.remove(
                    new RecordKey(partition.topic(), partition.partition(), offset));
            if (renewed != null && failure != null) {
              lose(renewed, now); // the consumer drops a record whose renewal failed
            }
          }
        });
    if (failure != null) {
      LOG.warn("{}: acknowledgements of {} failed: {}", name, offsets, failure.toString());
    } else if (LOG.isTraceEnabled()) {
      LOG.trace("{}: acknowledged {}", name, offsets);
    }
  }

  private void acknowledge(ConsumerRecord<byte[], byte[]> handle, AcknowledgeType type) {
    LOG.trace("{}: {} {}", name, type, RecordKey.of(handle));
    try {
      consumer.acknowledge(handle, type);
      acknowledgedSinceCommit = true;
    } catch (IllegalStateException notAcknowledgeable) {
      LOG.warn(
          "{}: could not acknowledge {} with {}: {}",
          name,
          RecordKey.of(handle),
          type,
          notAcknowledgeable.getMessage());
    }
  }

  /** The record is acknowledged for good, or cannot be: it leaves this worker. */
  private void leave(HeldRecord record) {
    held.remove(record.key());
    if (inWorker.remove(record.key(), record)) {
      metrics.recordsHeld().decrementAndGet();
    }
  }

  private void commitIfAcknowledged() {
    if (acknowledgedSinceCommit) {
      consumer.commitAsync();
      acknowledgedSinceCommit = false;
    }
  }

  private long renewNanos() {
    long renew = configuredRenewNanos;
    var lock = consumer.acquisitionLockTimeoutMs();
    if (lock.isPresent() && lock.get() > 0) {
      renew = Math.min(renew, TimeUnit.MILLISECONDS.toNanos(lock.get()) / 2);
    }
    return renew;
  }

  /** Gives up what is unfinished, releases its records, commits and closes the consumer. */
  private void shutDown() {
    try {
      acknowledgeFinished(takeFinishedNow());
      for (HeldRecord record : List.copyOf(held.values())) {
        if (record.owner() == this && record.decision() == null) {
          record.processing().abandon(); // decides RELEASE
        }
      }
      for (Delivery delivery : delivered.values()) {
        AcknowledgeType decision = delivery.record().decision();
        acknowledge(delivery.handle(), decision == null ? AcknowledgeType.RELEASE : decision);
        leave(delivery.record());
      }
      delivered.clear();
      // Renewing records cannot be acknowledged; closing the consumer releases them.
      for (HeldRecord record : List.copyOf(held.values())) {
        record.moveTo(HeldRecord.State.LOST, System.nanoTime());
        leave(record);
      }
      if (acknowledgedSinceCommit) {
        consumer.commitSync(CLOSE_TIMEOUT);
      }
    } catch (RuntimeException e) {
      LOG.warn("{}: could not commit the last acknowledgements", name, e);
    } finally {
      try {
        consumer.close(CLOSE_TIMEOUT);
      } catch (RuntimeException e) {
        LOG.warn("{}: error closing the consumer", name, e);
      }
    }
  }
}
