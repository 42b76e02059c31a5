package io.aibroker.broker;

import io.aibroker.records.PriceList;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The catalog in effect for one task: the configured versions overlaid by those on the compacted
 * prices topic (a version there replaces a configured one of the same id; a tombstone withdraws
 * it). A version written to the topic prices the next completion: the catalog is rebuilt when the
 * table changed, and only then.
 */
final class LivePrices {

  private static final Logger LOG = LoggerFactory.getLogger(LivePrices.class);

  private final PriceCatalog configured;
  private final ReadOnlyKeyValueStore<String, PriceList> table;
  private final PriceTable changes;
  private long seen = -1;
  private PriceCatalog current;

  LivePrices(
      PriceCatalog configured, ReadOnlyKeyValueStore<String, PriceList> table, PriceTable changes) {
    this.configured = configured;
    this.table = table;
    this.changes = changes;
    this.current = configured;
  }

  /** Prices that never change: the configured ones alone (tests, benchmarks). */
  static LivePrices fixed(PriceCatalog catalog) {
    return new LivePrices(catalog, null, null);
  }

  /** The catalog in effect now. */
  PriceCatalog catalog() {
    if (table == null) {
      return current;
    }
    long now = changes.changes();
    if (now != seen) {
      seen = now;
      current = rebuild();
    }
    return current;
  }

  private PriceCatalog rebuild() {
    List<PriceVersion> versions = new ArrayList<>();
    try (var all = table.all()) {
      all.forEachRemaining(
          entry -> {
            try {
              versions.add(PriceVersion.of(entry.value));
            } catch (IllegalArgumentException e) {
              // a bad version must not stop billing: the others still price
              LOG.warn("price version {} on the prices topic is ignored: {}", entry.key, e);
            }
          });
    } catch (RuntimeException e) {
      LOG.warn("could not read the prices table, keeping the catalog {}: {}", current, e);
      return current;
    }
    PriceCatalog catalog = configured.overlaidWith(versions);
    LOG.info("price catalog now {}", catalog);
    return catalog;
  }
}
