package io.aibroker.workers;

import java.util.ArrayDeque;
import java.util.Queue;
import java.util.concurrent.CompletableFuture;

/**
 * Bounds the provider calls in flight to one deployment without blocking a thread: {@link
 * #acquire()} returns a future that completes when a permit is free, first come first served.
 * Waiters that gave up (their future was cancelled) are skipped.
 */
final class DeploymentPermits {

  private final int limit;
  private final Queue<CompletableFuture<Void>> waiters = new ArrayDeque<>();
  private int inUse;

  /** Permits for at most {@code limit} concurrent calls. */
  DeploymentPermits(int limit) {
    if (limit < 1) {
      throw new IllegalArgumentException("limit must be >= 1, was " + limit);
    }
    this.limit = limit;
  }

  /** Completes when the caller holds a permit; it must then {@link #release()} it exactly once. */
  CompletableFuture<Void> acquire() {
    synchronized (this) {
      if (inUse < limit) {
        inUse++;
        return CompletableFuture.completedFuture(null);
      }
      CompletableFuture<Void> waiter = new CompletableFuture<>();
      waiters.add(waiter);
      return waiter;
    }
  }

  /** Returns a permit, handing it to the longest waiter if there is one. */
  void release() {
    CompletableFuture<Void> next;
    synchronized (this) {
      do {
        next = waiters.poll();
      } while (next != null && next.isDone());
      if (next == null) {
        inUse--;
        return;
      }
    }
    // Completed outside the lock: the waiter's continuation runs on this thread.
    if (!next.complete(null)) {
      release(); // cancelled between the check and now
    }
  }

  /** Permits held right now. */
  synchronized int inUse() {
    return inUse;
  }

  /** Callers waiting for a permit right now. */
  synchronized int waiting() {
    return (int) waiters.stream().filter(w -> !w.isDone()).count();
  }
}
