package io.aibroker.app.dashboard;

import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Samples {@link DashboardData} every {@link DashboardData#INTERVAL} on a daemon thread, so the
 * page has a history to draw as soon as it opens, whoever is watching.
 */
public final class DashboardSampler implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(DashboardSampler.class);

  private final ScheduledExecutorService scheduler =
      Executors.newSingleThreadScheduledExecutor(
          Thread.ofPlatform().name("aibroker-dashboard-sampler").daemon().factory());

  /** Starts sampling {@code data} now and every interval after. */
  public DashboardSampler(DashboardData data) {
    long interval = DashboardData.INTERVAL.toMillis();
    scheduler.scheduleAtFixedRate(
        () -> {
          try {
            data.sample();
          } catch (RuntimeException e) {
            // A failed reading leaves a gap in the charts; the next one may well succeed.
            LOG.warn("dashboard sample failed", e);
          }
        },
        0,
        interval,
        TimeUnit.MILLISECONDS);
  }

  @Override
  public void close() {
    scheduler.shutdownNow();
  }
}
