package io.aibroker.workers;

import java.util.random.RandomGenerator;

/** Draws the same fraction of every bound: 0 gives the least value, 1 the greatest. */
final class FixedFractionRandom implements RandomGenerator {

  private final double fraction;

  FixedFractionRandom(double fraction) {
    this.fraction = fraction;
  }

  @Override
  public long nextLong() {
    return (long) (fraction * Long.MAX_VALUE);
  }

  @Override
  public long nextLong(long bound) {
    return Math.min(bound - 1, (long) Math.floor(fraction * bound));
  }
}
