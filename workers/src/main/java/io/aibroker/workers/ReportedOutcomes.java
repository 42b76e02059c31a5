package io.aibroker.workers;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * Dispatches whose outcome this worker wrote recently, so that a redelivery of one does not call
 * the provider again.
 *
 * <p>A record is redelivered although its outcome is written when the acknowledgement did not reach
 * the share-partition leader, e.g. because the Kafka broker leading it was just killed (found by
 * the crash matrix, docs/RELIABILITY.md). The outcome is durable, so the redelivered record only
 * needs its ACCEPT. Kept for a limited time and number of entries; a redelivery to another worker,
 * or after a worker restart, still calls again, and the broker drops the duplicate outcome.
 *
 * <p>Thread-safe.
 */
final class ReportedOutcomes {

  private final Clock clock;
  private final Duration keepFor;
  private final int maxEntries;
  private final LinkedHashMap<String, Instant> reported = new LinkedHashMap<>();

  ReportedOutcomes(Clock clock, Duration keepFor, int maxEntries) {
    this.clock = Objects.requireNonNull(clock, "clock");
    this.keepFor = Objects.requireNonNull(keepFor, "keepFor");
    if (maxEntries < 1) {
      throw new IllegalArgumentException("maxEntries must be positive: " + maxEntries);
    }
    this.maxEntries = maxEntries;
  }

  /** The key of one dispatch: a request's attempt (each failover is a dispatch of its own). */
  static String key(String requestId, int attempt) {
    return requestId + "#" + attempt;
  }

  /** Remembers that the outcome of {@code key} is written. */
  synchronized void add(String key) {
    Instant now = clock.instant();
    reported.remove(key);
    reported.put(key, now);
    expire(now);
    while (reported.size() > maxEntries) {
      Iterator<Map.Entry<String, Instant>> oldest = reported.entrySet().iterator();
      oldest.next();
      oldest.remove();
    }
  }

  /** Whether the outcome of {@code key} was written within the time kept. */
  synchronized boolean contains(String key) {
    expire(clock.instant());
    return reported.containsKey(key);
  }

  synchronized int size() {
    return reported.size();
  }

  /** Entries are in insertion order, so expired ones are at the front. */
  private void expire(Instant now) {
    Instant cutoff = now.minus(keepFor);
    Iterator<Map.Entry<String, Instant>> it = reported.entrySet().iterator();
    while (it.hasNext()) {
      if (!it.next().getValue().isBefore(cutoff)) {
        return;
      }
      it.remove();
    }
  }
}
