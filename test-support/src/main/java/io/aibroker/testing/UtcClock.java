package io.aibroker.testing;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;

/**
 * What the clocks of this package share: they tell UTC, and {@link #withZone} gives a view in
 * another zone that reads the same (moving) instant.
 */
abstract class UtcClock extends Clock {

  @Override
  public final ZoneId getZone() {
    return ZoneOffset.UTC;
  }

  @Override
  public final Clock withZone(ZoneId zone) {
    return ZoneOffset.UTC.equals(zone) ? this : new InZone(this, zone);
  }

  /** A clock reading another clock's instant in a zone of its own. */
  private static final class InZone extends Clock {
    private final Clock source;
    private final ZoneId zone;

    InZone(Clock source, ZoneId zone) {
      this.source = source;
      this.zone = zone;
    }

    @Override
    public Instant instant() {
      return source.instant();
    }

    @Override
    public ZoneId getZone() {
      return zone;
    }

    @Override
    public Clock withZone(ZoneId zone) {
      return source.withZone(zone);
    }
  }
}
