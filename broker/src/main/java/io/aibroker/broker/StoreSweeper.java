package io.aibroker.broker;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * Deletes the expired entries of a store a slice at a time: each {@link #sweep} looks at no more
 * than a fixed number of entries, starting after the last key the previous one looked at, and wraps
 * around at the end. A store of millions of entries is then swept in many short steps instead of
 * stopping the stream thread for seconds while every value is read.
 *
 * @param <V> value type
 */
final class StoreSweeper<V> {

  private final KeyValueStore<String, V> store;
  private final Predicate<V> expired;
  private final int budget;
  private String resumeAfter;

  /**
   * @param store the store
   * @param expired whether an entry is to be deleted
   * @param budget entries looked at per sweep
   */
  StoreSweeper(KeyValueStore<String, V> store, Predicate<V> expired, int budget) {
    if (budget < 1) {
      throw new IllegalArgumentException("budget must be >= 1");
    }
    this.store = store;
    this.expired = expired;
    this.budget = budget;
  }

  /** Looks at the next slice of entries and deletes the expired ones; returns how many. */
  int sweep() {
    List<String> doomed = new ArrayList<>();
    int seen = 0;
    String last = null;
    try (KeyValueIterator<String, V> entries =
        resumeAfter == null ? store.all() : store.range(resumeAfter, null)) {
      while (seen < budget && entries.hasNext()) {
        var entry = entries.next();
        if (entry.key.equals(resumeAfter)) {
          continue; // range() starts at the key itself, which the last slice already looked at
        }
        seen++;
        last = entry.key;
        if (expired.test(entry.value)) {
          doomed.add(entry.key);
        }
      }
      // a slice that reached the end starts over from the first key next time
      resumeAfter = entries.hasNext() ? last : null;
    }
    doomed.forEach(store::delete);
    return doomed.size();
  }
}
