package io.aibroker.workers;

import java.util.concurrent.CompletableFuture;
import org.apache.kafka.clients.consumer.AcknowledgeType;

/**
 * One delivered record being worked on. {@link #acknowledgement()} completes with how the record is
 * to be acknowledged once everything the worker writes for it is durable: {@link
 * AcknowledgeType#ACCEPT} after its outcome is written, {@link AcknowledgeType#REJECT} after a dead
 * letter, {@link AcknowledgeType#RELEASE} when a write failed and another delivery should try
 * again.
 */
final class Processing {

  private final CompletableFuture<AcknowledgeType> acknowledgement = new CompletableFuture<>();
  private volatile Runnable onAbandon = () -> {};
  private volatile boolean abandoned;

  /** How to acknowledge the record, once known. */
  CompletableFuture<AcknowledgeType> acknowledgement() {
    return acknowledgement;
  }

  /**
   * Gives up on the record (the worker is shutting down): calls in flight are cancelled, nothing
   * more is written for it, and the acknowledgement becomes {@link AcknowledgeType#RELEASE} unless
   * it was already decided.
   */
  void abandon() {
    abandoned = true;
    onAbandon.run();
    acknowledgement.complete(AcknowledgeType.RELEASE);
  }

  /** Whether {@link #abandon()} was called; checked before each write. */
  boolean abandoned() {
    return abandoned;
  }

  /** Runs {@code action} on {@link #abandon()}, at once if that already happened. */
  void onAbandon(Runnable action) {
    onAbandon = action;
    if (abandoned) {
      action.run();
    }
  }

  /** Decides the acknowledgement; later decisions are ignored. */
  void acknowledge(AcknowledgeType type) {
    acknowledgement.complete(type);
  }
}
