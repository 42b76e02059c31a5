package io.aibroker.registry;

import java.util.Locale;
import java.util.Optional;

/**
 * The schema registry's compatibility levels, with the same names and meaning as Confluent's. The
 * check each one makes when a new schema is registered under a subject is {@link
 * AvroCompatibility#check}.
 *
 * <p>BACKWARD: the new schema can read data written with the previous one. FORWARD: the previous
 * schema can read data written with the new one. FULL: both. The {@code _TRANSITIVE} variants check
 * against every earlier version instead of the latest only.
 */
public enum CompatibilityLevel {
  /** Any change is accepted. */
  NONE(false, false, false),
  /** The new schema reads data of the latest one. The registry default. */
  BACKWARD(true, false, false),
  /** The new schema reads data of every earlier one. */
  BACKWARD_TRANSITIVE(true, false, true),
  /** The latest schema reads data of the new one. */
  FORWARD(false, true, false),
  /** Every earlier schema reads data of the new one. */
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

  /**
   * Parses a level name, case-insensitively (clients send both "FULL" and "full").
   *
   * @throws InvalidCompatibilityLevelException if the name is not a level
   */
  public static CompatibilityLevel parse(String level) {
    return find(level)
        .orElseThrow(
            () -> new InvalidCompatibilityLevelException("Invalid compatibility level: " + level));
  }

  /** The level of that name, case-insensitively; empty if there is none. */
  public static Optional<CompatibilityLevel> find(String level) {
    if (level == null) {
      return Optional.empty();
    }
    try {
      return Optional.of(valueOf(level.strip().toUpperCase(Locale.ROOT)));
    } catch (IllegalArgumentException e) {
      return Optional.empty();
    }
  }
}
