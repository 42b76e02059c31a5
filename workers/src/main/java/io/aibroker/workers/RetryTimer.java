package io.aibroker.workers;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/** Waits without holding a thread: the seam that lets tests run backoffs in no time. */
@FunctionalInterface
interface RetryTimer {

  /** Completes after {@code delay}; dependent stages run on the timer's thread. */
  CompletableFuture<Void> after(Duration delay);

  /** A timer on {@code scheduler}. */
  static RetryTimer on(ScheduledExecutorService scheduler) {
    return delay -> {
      CompletableFuture<Void> done = new CompletableFuture<>();
      try {
        scheduler.schedule(() -> done.complete(null), delay.toNanos(), TimeUnit.NANOSECONDS);
      } catch (RejectedExecutionException shutDown) {
        done.completeExceptionally(shutDown);
      }
      return done;
    };
  }
}
