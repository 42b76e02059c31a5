package io.aibroker.registry;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Objects;
import java.util.stream.Collectors;
import org.apache.avro.Schema;
import org.apache.avro.SchemaCompatibility;
import org.apache.avro.SchemaCompatibility.Incompatibility;

/**
 * The one Avro compatibility checker: whether a new schema may follow earlier ones under a {@link
 * CompatibilityLevel} (the schema registries: the embedded one and {@link
 * InMemorySchemaRegistryClient}), and whether one schema can read data written with another (the
 * serdes), using Avro's own reader/writer rules ({@link SchemaCompatibility}).
 *
 * <p>The registries' messages follow the shape of Confluent's so that tools that print them read
 * alike.
 */
public final class AvroCompatibility {
  private AvroCompatibility() {}

  /**
   * Checks {@code candidate} against earlier schemas.
   *
   * @param level the rule to apply; transitive levels check every entry of {@code previous}, the
   *     others only the latest one
   * @param candidate the schema about to be registered
   * @param previous earlier schemas by version number (soft-deleted versions left out)
   * @return human-readable incompatibilities; empty when compatible
   */
  public static List<String> check(
      CompatibilityLevel level, Schema candidate, NavigableMap<Integer, Schema> previous) {
    Objects.requireNonNull(level, "level");
    Objects.requireNonNull(candidate, "candidate");
    if (level == CompatibilityLevel.NONE || previous.isEmpty()) {
      return List.of();
    }
    Collection<Map.Entry<Integer, Schema>> against =
        level.transitive() ? previous.entrySet() : List.of(previous.lastEntry());
    List<String> messages = new ArrayList<>();
    // Newest first, as a reader most likely cares about the latest conflict.
    List<Map.Entry<Integer, Schema>> ordered = new ArrayList<>(against);
    ordered.sort(Map.Entry.<Integer, Schema>comparingByKey().reversed());
    for (Map.Entry<Integer, Schema> old : ordered) {
      List<String> found = new ArrayList<>();
      if (level.backward()) {
        found.addAll(describe(candidate, old.getValue(), "new", "old"));
      }
      if (level.forward()) {
        found.addAll(describe(old.getValue(), candidate, "old", "new"));
      }
      if (!found.isEmpty()) {
        messages.addAll(found);
        messages.add("{oldSchemaVersion: " + old.getKey() + "}");
        messages.add("{oldSchema: '" + old.getValue() + "'}");
      }
    }
    if (!messages.isEmpty()) {
      messages.add("{compatibility: '" + level + "'}");
    }
    return messages;
  }

  /** Whether {@code reader} can decode everything written with {@code writer}. */
  public static boolean canRead(Schema reader, Schema writer) {
    return incompatibilities(reader, writer).isEmpty();
  }

  /**
   * Why {@code reader} cannot read data written with {@code writer}, one {@code TYPE at location:
   * message} per problem, or null if it can.
   */
  public static String cannotRead(Schema reader, Schema writer) {
    List<Incompatibility> incompatibilities = incompatibilities(reader, writer);
    if (incompatibilities.isEmpty()) {
      return null;
    }
    return incompatibilities.stream()
        .map(i -> i.getType() + " at " + i.getLocation() + ": " + i.getMessage())
        .collect(Collectors.joining("; "));
  }

  private static List<Incompatibility> incompatibilities(Schema reader, Schema writer) {
    return SchemaCompatibility.checkReaderWriterCompatibility(reader, writer)
        .getResult()
        .getIncompatibilities();
  }

  private static List<String> describe(
      Schema reader, Schema writer, String readerName, String writerName) {
    List<Incompatibility> incompatibilities = incompatibilities(reader, writer);
    List<String> out = new ArrayList<>(incompatibilities.size());
    for (Incompatibility i : incompatibilities) {
      out.add(
          "{errorType:'"
              + i.getType()
              + "', description:'The "
              + readerName
              + " schema cannot read data written with the "
              + writerName
              + " schema at path '"
              + i.getLocation()
              + "': "
              + i.getMessage()
              + "', additionalInfo:'"
              + i.getMessage()
              + "'}");
    }
    return out;
  }
}
