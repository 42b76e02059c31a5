package io.aibroker.workers;

import io.aibroker.records.BatchOptions;
import io.aibroker.records.DispatchRequest;
import io.aibroker.records.Route;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Pools batch dispatches per deployment and provider model until a job is worth submitting: as soon
 * as a pool holds its route's {@code maxLines}, or when its oldest dispatch waited {@code maxWait}
 * and it holds at least {@code minLines}. The pooled records stay unacknowledged (their locks
 * renewed like any call in flight) until the job that takes them is recorded.
 *
 * <p>Thread-safe; {@link #flushDue()} is called on a timer.
 */
final class BatchPools {

  /** Where a pool's dispatches go together: one provider job per deployment and model. */
  record PoolKey(String provider, String deployment, String providerModel) {

    static PoolKey of(Route route) {
      return new PoolKey(route.getProvider(), route.getDeployment(), route.getProviderModel());
    }
  }

  /** A dispatch waiting in a pool, with the record's processing to acknowledge. */
  record Pooled(DispatchRequest dispatch, Processing processing) {}

  /** Receives each full or due pool's dispatches, to open one job of them. */
  @FunctionalInterface
  interface JobOpener {
    void open(PoolKey key, List<Pooled> lines);
  }

  private static final class Pool {
    final List<Pooled> lines = new ArrayList<>();
    Instant oldest;
  }

  /**
   * A pool short of {@code minLines} is submitted anyway once it waited this many {@code maxWait}s:
   * its requests must not wait for company forever (a provider refusing a small job fails its lines
   * over to real-time calls).
   */
  static final int STARVING_WAITS = 30;

  private final Clock clock;
  private final JobOpener opener;
  private final Map<PoolKey, Pool> pools = new HashMap<>();

  BatchPools(Clock clock, JobOpener opener) {
    this.clock = Objects.requireNonNull(clock, "clock");
    this.opener = Objects.requireNonNull(opener, "opener");
  }

  /** Whether the dispatch is to be pooled into a provider batch job. */
  static boolean isBatch(DispatchRequest dispatch) {
    return dispatch.getRoute().getBatch() != null;
  }

  /** Pools the dispatch; opens a job at once if its pool is full. */
  void add(DispatchRequest dispatch, Processing processing) {
    PoolKey key = PoolKey.of(dispatch.getRoute());
    List<Pooled> full = null;
    synchronized (this) {
      Pool pool = pools.computeIfAbsent(key, k -> new Pool());
      if (pool.lines.isEmpty()) {
        pool.oldest = clock.instant();
      }
      pool.lines.add(new Pooled(dispatch, processing));
      if (pool.lines.size() >= options(dispatch).getMaxLines()) {
        full = take(key);
      }
    }
    if (full != null) {
      opener.open(key, full);
    }
  }

  /** Opens a job of every pool whose oldest dispatch waited long enough. */
  void flushDue() {
    Instant now = clock.instant();
    Map<PoolKey, List<Pooled>> due = new HashMap<>();
    synchronized (this) {
      for (var entry : List.copyOf(pools.entrySet())) {
        Pool pool = entry.getValue();
        pool.lines.removeIf(line -> line.processing().abandoned());
        if (pool.lines.isEmpty()) {
          pools.remove(entry.getKey());
          continue;
        }
        BatchOptions options = options(pool.lines.getLast().dispatch());
        Duration waited = Duration.between(pool.oldest, now);
        Duration maxWait = Duration.ofMillis(options.getMaxWaitMs());
        boolean enoughLines = pool.lines.size() >= options.getMinLines();
        if (waited.compareTo(maxWait) >= 0 && enoughLines
            || waited.compareTo(maxWait.multipliedBy(STARVING_WAITS)) >= 0) {
          due.put(entry.getKey(), take(entry.getKey()));
        }
      }
    }
    due.forEach(opener::open);
  }

  /** Dispatches waiting in pools now. */
  synchronized int size() {
    return pools.values().stream().mapToInt(pool -> pool.lines.size()).sum();
  }

  private List<Pooled> take(PoolKey key) {
    return List.copyOf(pools.remove(key).lines);
  }

  private static BatchOptions options(DispatchRequest dispatch) {
    return dispatch.getRoute().getBatch();
  }
}
