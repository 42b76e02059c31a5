package io.aibroker.broker;

import java.util.concurrent.atomic.AtomicLong;

/**
 * Change count of the prices global table, shared by its loader (on the global thread) and the
 * catalogs that read it (on the stream threads): a reader rebuilds its catalog only when the count
 * moved, so a completion costs one volatile read, not a scan of the table.
 */
final class PriceTable {

  private final AtomicLong changes = new AtomicLong();

  /** The loader put or deleted a version. */
  void changed() {
    changes.incrementAndGet();
  }

  /** How many changes the loader made so far. */
  long changes() {
    return changes.get();
  }
}
