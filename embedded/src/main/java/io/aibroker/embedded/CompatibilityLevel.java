package io.aibroker.embedded;

import java.util.Locale;
import java.util.Optional;

/** Schema Registry compatibility levels, with the same names and meaning as Confluent's. */
public enum CompatibilityLevel {
  /** Any change is accepted. */
  NONE(false, false, false),
  /** The new schema can read data written with the latest schema. */
  BACKWARD(true, false, false),
  /** The new schema can read data written with every earlier schema. */
  BACKWARD_TRANSITIVE(true, false, true),
  /** The latest schema can read data written with the new schema. */
  FORWARD(false, true, false),
  /** Every earlier schema can read data written with the new schema. */
  FORWARD_TRANSITIVE(false, true, true),
  /** BACKWARD and FORWARD against the latest schema. */
  FULL(true, true, false),
  /** BACKWARD and FORWARD against every earlier schema. */
  FULL_TRANSITIVE(true, true, true);

  /** The level a registry uses until configured otherwise, as in Confluent's. */
  public static final CompatibilityLevel DEFAULT = BACKWARD;

  private final boolean backward;
  private final boolean forward;
  private final boolean transitive;

  CompatibilityLevel(boolean backward, boolean forward, boolean transitive) {
    this.backward = backward;
    this.forward = forward;
    this.transitive = transitive;
  }

  /** Whether the new schema must read data written with older ones. */
  public boolean backward() {
    return backward;
  }

  /** Whether older schemas must read data written with the new one. */
  public boolean forward() {
    return forward;
  }

  /** Whether the check covers every earlier version rather than only the latest. */
  public boolean transitive() {
    return transitive;
  }

  /** Parses a level name, ignoring case (clients send both "FULL" and "full"). */
  public static Optional<CompatibilityLevel> parse(String name) {
    if (name == null) {
      return Optional.empty();
    }
    try {
      return Optional.of(valueOf(name.trim().toUpperCase(Locale.ROOT)));
    } catch (IllegalArgumentException e) {
      return Optional.empty();
    }
  }
}
