package io.aibroker.testing;

import java.time.Instant;

/**
 * Real time, counted from the moment {@link #anchor()} is first called (epoch 0 then), so that a
 * periodic schedule driven by this clock starts its period exactly then. Before that, the time of
 * day.
 */
public final class AnchoredClock extends UtcClock {

  private volatile long anchorMillis = -1;

  /** Sets time zero to now, unless it is already set. */
  public synchronized void anchor() {
    if (anchorMillis < 0) {
      anchorMillis = System.currentTimeMillis();
    }
  }

  @Override
  public Instant instant() {
    long anchor = anchorMillis;
    long now = System.currentTimeMillis();
    return Instant.ofEpochMilli(anchor < 0 ? now : now - anchor);
  }
}
