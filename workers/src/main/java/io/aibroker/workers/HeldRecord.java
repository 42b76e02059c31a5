package io.aibroker.workers;

import org.apache.kafka.clients.consumer.AcknowledgeType;

/**
 * A dispatch record this worker acquired and has not acknowledged yet, with the work on it. The
 * poll thread of its {@link #owner()} consumer moves it between states; the work sets {@link
 * #decision()} from another thread when it is done and tells the owner.
 */
final class HeldRecord {

  /** Where the record is, as far as the owning consumer knows. */
  enum State {
    /** Delivered by the owner's last poll: it must be acknowledged before the owner polls again. */
    DELIVERED,
    /**
     * Acknowledged with RENEW; the consumer returns it on a later poll once the lock is renewed.
     */
    RENEWING,
    /** Its renewal never came back: the lock is gone, and the record cannot be acknowledged. */
    LOST
  }

  private final RecordKey key;
  private final Processing processing;
  private volatile ConsumerLane owner;
  private volatile AcknowledgeType decision;
  private volatile State state = State.DELIVERED;
  private volatile long stateSinceNanos;

  HeldRecord(RecordKey key, ConsumerLane owner, Processing processing, long nowNanos) {
    this.key = key;
    this.owner = owner;
    this.processing = processing;
    this.stateSinceNanos = nowNanos;
  }

  RecordKey key() {
    return key;
  }

  Processing processing() {
    return processing;
  }

  /** The consumer whose poll thread acknowledges this record. */
  ConsumerLane owner() {
    return owner;
  }

  /** Called by a poll thread whose consumer delivered this record (again). */
  void deliveredTo(ConsumerLane lane, long nowNanos) {
    owner = lane;
    moveTo(State.DELIVERED, nowNanos);
  }

  State state() {
    return state;
  }

  /** When the record entered its current state (System.nanoTime). */
  long stateSinceNanos() {
    return stateSinceNanos;
  }

  void moveTo(State next, long nowNanos) {
    state = next;
    stateSinceNanos = nowNanos;
  }

  /** How to acknowledge the record, once the work on it is done; {@code null} until then. */
  AcknowledgeType decision() {
    return decision;
  }

  /** Records the work's decision and tells the owner. */
  void decide(AcknowledgeType type) {
    decision = type;
    owner.completed(this);
  }
}
