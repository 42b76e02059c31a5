package io.aibroker.connector.simulated;

/**
 * A 64-bit hash (FNV-1a, finished with the SplitMix64 mixer) of a sequence of values, stable across
 * JVMs and runs, so the simulated model answers the same input the same way everywhere. Strings are
 * length-prefixed so ("ab", "c") and ("a", "bc") differ.
 */
final class Fingerprint {

  private static final long OFFSET_BASIS = 0xcbf29ce484222325L;
  private static final long PRIME = 0x100000001b3L;

  private long hash = OFFSET_BASIS;

  Fingerprint add(String value) {
    if (value == null) {
      return add(-1L);
    }
    add(value.length());
    for (int i = 0; i < value.length(); i++) {
      hash = (hash ^ value.charAt(i)) * PRIME;
    }
    return this;
  }

  Fingerprint add(long value) {
    for (int shift = 0; shift < Long.SIZE; shift += Byte.SIZE) {
      hash = (hash ^ ((value >>> shift) & 0xff)) * PRIME;
    }
    return this;
  }

  Fingerprint add(Double value) {
    return value == null ? add(Long.MIN_VALUE) : add(Double.doubleToLongBits(value));
  }

  long value() {
    long z = hash;
    z = (z ^ (z >>> 30)) * 0xbf58476d1ce4e5b9L;
    z = (z ^ (z >>> 27)) * 0x94d049bb133111ebL;
    return z ^ (z >>> 31);
  }

  /** The hash as a number uniformly spread over [0, 1). */
  double unitValue() {
    return (value() >>> 11) * 0x1.0p-53;
  }
}
