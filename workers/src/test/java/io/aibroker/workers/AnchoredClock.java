package io.aibroker.workers;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;

/**
 * Real time, counted from the moment {@link #anchor()} is first called (epoch 0 then), so that a
 * periodic schedule driven by this clock starts its period exactly then.
 */
final class AnchoredClock extends Clock {

  private volatile long anchorMillis = -1;

  /** Sets time zero to now, unless it is already set. */
  synchronized void anchor() {
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

  @Override
  public ZoneId getZone() {
    return ZoneOffset.UTC;
  }

  @Override
  public Clock withZone(ZoneId zone) {
    return this;
  }
}
