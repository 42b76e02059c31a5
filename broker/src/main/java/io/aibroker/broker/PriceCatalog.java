package io.aibroker.broker;

import io.aibroker.records.PriceList;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The price catalog: versions of prices, each in effect from its {@code effectiveFrom} until a
 * later one takes over. A completed request is priced by the version in effect when it completed,
 * and its usage event names that version, so finance can audit or reprice it.
 *
 * <p>Lookups run on the stream thread for every admission and completion: the versions are kept
 * sorted by effectiveFrom with their instants in an array, so finding the one in effect is a binary
 * search, and each version's prices are a hash map ({@link PriceVersion}).
 */
public final class PriceCatalog {

  /** Id named by usage events when no version is configured at all. */
  public static final String NO_VERSION = "none";

  private static final Comparator<PriceVersion> ORDER =
      Comparator.comparing(PriceVersion::effectiveFrom).thenComparing(PriceVersion::version);

  private final List<PriceVersion> versions;
  private final long[] effectiveFromMillis;

  private PriceCatalog(Collection<PriceVersion> versions) {
    List<PriceVersion> sorted = new ArrayList<>(versions);
    sorted.sort(ORDER);
    if (sorted.isEmpty()) {
      sorted.add(PriceVersion.empty(NO_VERSION));
    }
    this.versions = List.copyOf(sorted);
    this.effectiveFromMillis = new long[sorted.size()];
    for (int i = 0; i < sorted.size(); i++) {
      effectiveFromMillis[i] = sorted.get(i).effectiveFrom().toEpochMilli();
    }
  }

  /** A catalog of these versions (their ids must differ). */
  public static PriceCatalog of(Collection<PriceVersion> versions) {
    Map<String, PriceVersion> byId = new LinkedHashMap<>();
    for (PriceVersion v : versions) {
      if (byId.put(v.version(), v) != null) {
        throw new IllegalArgumentException("price version " + v.version() + " is listed twice");
      }
    }
    return new PriceCatalog(byId.values());
  }

  /** A catalog of these {@code PriceList} records, as configured or read from the prices topic. */
  public static PriceCatalog ofLists(Collection<PriceList> lists) {
    return of(lists.stream().map(PriceVersion::of).toList());
  }

  /** This catalog with other versions laid over it: a version with the same id replaces ours. */
  public PriceCatalog overlaidWith(Collection<PriceVersion> others) {
    Map<String, PriceVersion> byId = new LinkedHashMap<>();
    for (PriceVersion v : versions) {
      if (!v.version().equals(NO_VERSION) || !v.prices().isEmpty()) {
        byId.put(v.version(), v);
      }
    }
    for (PriceVersion v : others) {
      byId.put(v.version(), v);
    }
    return new PriceCatalog(byId.values());
  }

  /**
   * The version in effect at an instant: the one with the latest effectiveFrom at or before it (on
   * a tie, the greater id). Before the first version, the first one: a request is always priced.
   */
  public PriceVersion at(Instant instant) {
    return versions.get(indexAt(instant.toEpochMilli()));
  }

  /** The version in effect at an instant and every later one, oldest first. */
  public List<PriceVersion> fromOn(Instant instant) {
    return versions.subList(indexAt(instant.toEpochMilli()), versions.size());
  }

  /** Every version, oldest effective first. */
  public List<PriceVersion> versions() {
    return versions;
  }

  private int indexAt(long millis) {
    int low = 0;
    int high = effectiveFromMillis.length - 1;
    int found = 0;
    while (low <= high) {
      int mid = (low + high) >>> 1;
      if (effectiveFromMillis[mid] <= millis) {
        found = mid;
        low = mid + 1;
      } else {
        high = mid - 1;
      }
    }
    return found;
  }

  @Override
  public String toString() {
    return "PriceCatalog"
        + versions.stream().map(v -> v.version() + "@" + v.effectiveFrom()).toList();
  }
}
