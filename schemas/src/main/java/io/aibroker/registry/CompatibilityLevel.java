package io.aibroker.registry;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.apache.avro.Schema;
import org.apache.avro.SchemaCompatibility;
import org.apache.avro.SchemaCompatibility.Incompatibility;

/**
 * The schema registry's compatibility levels, with the Avro check each one makes when a new schema
 * is registered under a subject.
 *
 * <p>BACKWARD: the new schema can read data written with the previous one. FORWARD: the previous
 * schema can read data written with the new one. FULL: both. The {@code _TRANSITIVE} variants check
 * against every earlier version instead of the latest only.
 */
public enum CompatibilityLevel {
  /** No check. */
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

  private final boolean backward;
  private final boolean forward;
  private final boolean transitive;

  CompatibilityLevel(boolean backward, boolean forward, boolean transitive) {
    this.backward = backward;
    this.forward = forward;
    this.transitive = transitive;
  }

  /**
   * Parses a level name, case-insensitively.
   *
   * @throws InvalidCompatibilityLevelException if the name is not a level
   */
  public static CompatibilityLevel parse(String level) {
    if (level != null) {
      try {
        return valueOf(level.strip().toUpperCase(Locale.ROOT));
      } catch (IllegalArgumentException e) {
        // fall through to the registry's own error
      }
    }
    throw new InvalidCompatibilityLevelException("Invalid compatibility level: " + level);
  }

  /**
   * The reasons the candidate may not be registered after the given schemas; empty when it may.
   *
   * @param candidate the schema to register
   * @param previous the subject's existing schemas, oldest first
   */
  public List<String> incompatibilities(Schema candidate, List<Schema> previous) {
    List<String> problems = new ArrayList<>();
    if (previous.isEmpty()) {
      return problems;
    }
    List<Schema> targets =
        transitive ? previous : previous.subList(previous.size() - 1, previous.size());
    for (Schema existing : targets) {
      if (backward) {
        collect(problems, "cannot read data written with an earlier schema", candidate, existing);
      }
      if (forward) {
        collect(
            problems, "an earlier schema cannot read data written with it", existing, candidate);
      }
    }
    return problems;
  }

  /** Whether the candidate may be registered after the given schemas (oldest first). */
  public boolean isCompatible(Schema candidate, List<Schema> previous) {
    return incompatibilities(candidate, previous).isEmpty();
  }

  private static void collect(List<String> problems, String what, Schema reader, Schema writer) {
    var result = SchemaCompatibility.checkReaderWriterCompatibility(reader, writer).getResult();
    for (Incompatibility incompatibility : result.getIncompatibilities()) {
      problems.add(
          what
              + ": "
              + incompatibility.getType()
              + " at "
              + incompatibility.getLocation()
              + ": "
              + incompatibility.getMessage());
    }
  }
}
