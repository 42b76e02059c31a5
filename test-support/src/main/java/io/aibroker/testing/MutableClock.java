package io.aibroker.testing;

import java.time.Duration;
import java.time.Instant;
import java.util.Objects;

/**
 * A UTC clock a test moves by hand: it stands still until the test {@linkplain #advance advances}
 * it or {@linkplain #set sets} it. Safe to read from other threads than the one moving it.
 */
public final class MutableClock extends UtcClock {

  private volatile Instant now;

  /** A clock standing at {@code start}. */
  public MutableClock(Instant start) {
    this.now = Objects.requireNonNull(start, "start");
  }

  /** Moves the clock to {@code instant} (also backwards). */
  public synchronized void set(Instant instant) {
    now = Objects.requireNonNull(instant, "instant");
  }

  /** Moves the clock on by {@code duration} (back, if it is negative). */
  public synchronized void advance(Duration duration) {
    now = now.plus(duration);
  }

  @Override
  public Instant instant() {
    return now;
  }
}
