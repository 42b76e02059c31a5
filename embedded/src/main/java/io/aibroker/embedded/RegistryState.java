package io.aibroker.embedded;

import io.aibroker.registry.CompatibilityLevel;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.TreeMap;

/**
 * The registry's in-memory view of the {@code _schemas} topic: subjects, versions, ids and
 * compatibility config. It is rebuilt by replaying the topic and changed only after a write was
 * acknowledged by Kafka. Thread-safe.
 */
final class RegistryState {
  private final Map<String, TreeMap<Integer, RegisteredSchema>> subjects = new TreeMap<>();
  private final Map<Integer, String> schemaById = new HashMap<>();
  private final Map<String, Integer> idBySchema = new HashMap<>();
  private final Map<String, CompatibilityLevel> subjectLevels = new HashMap<>();
  private CompatibilityLevel globalLevel;
  private int maxId;

  synchronized void put(RegisteredSchema schema) {
    subjects.computeIfAbsent(schema.subject(), s -> new TreeMap<>()).put(schema.version(), schema);
    schemaById.put(schema.id(), schema.schema());
    idBySchema.put(schema.schema(), schema.id());
    maxId = Math.max(maxId, schema.id());
  }

  /** Applies a tombstone: the version is gone for good; its id too once nothing refers to it. */
  synchronized void remove(String subject, int version) {
    TreeMap<Integer, RegisteredSchema> versions = subjects.get(subject);
    if (versions == null) {
      return;
    }
    RegisteredSchema removed = versions.remove(version);
    if (versions.isEmpty()) {
      subjects.remove(subject);
    }
    if (removed != null && versionsWithId(removed.id()).isEmpty()) {
      schemaById.remove(removed.id());
      idBySchema.remove(removed.schema());
    }
  }

  /** Sets ({@code level != null}) or clears the level of a subject, or the global one. */
  synchronized void setLevel(String subject, CompatibilityLevel level) {
    if (subject == null) {
      globalLevel = level;
    } else if (level == null) {
      subjectLevels.remove(subject);
    } else {
      subjectLevels.put(subject, level);
    }
  }

  synchronized CompatibilityLevel globalLevel() {
    return globalLevel != null ? globalLevel : CompatibilityLevel.DEFAULT;
  }

  synchronized Optional<CompatibilityLevel> subjectLevel(String subject) {
    return Optional.ofNullable(subjectLevels.get(subject));
  }

  /** The level that applies to a subject: its own, else the global one. */
  synchronized CompatibilityLevel effectiveLevel(String subject) {
    return subjectLevel(subject).orElseGet(this::globalLevel);
  }

  synchronized List<String> subjects(boolean includeDeleted) {
    List<String> out = new ArrayList<>();
    subjects.forEach(
        (name, versions) -> {
          if (includeDeleted || versions.values().stream().anyMatch(v -> !v.deleted())) {
            out.add(name);
          }
        });
    return out;
  }

  /** Versions of a subject in ascending order. */
  synchronized List<RegisteredSchema> versions(String subject, boolean includeDeleted) {
    TreeMap<Integer, RegisteredSchema> versions = subjects.get(subject);
    if (versions == null) {
      return List.of();
    }
    return versions.values().stream().filter(v -> includeDeleted || !v.deleted()).toList();
  }

  synchronized Optional<RegisteredSchema> version(String subject, int version) {
    TreeMap<Integer, RegisteredSchema> versions = subjects.get(subject);
    return versions == null ? Optional.empty() : Optional.ofNullable(versions.get(version));
  }

  /** Highest version number ever used in the subject and still on record (soft-deleted too). */
  synchronized int highestVersion(String subject) {
    TreeMap<Integer, RegisteredSchema> versions = subjects.get(subject);
    return versions == null || versions.isEmpty() ? 0 : versions.lastKey();
  }

  synchronized Optional<String> schema(int id) {
    return Optional.ofNullable(schemaById.get(id));
  }

  synchronized OptionalInt idOf(String canonicalSchema) {
    Integer id = idBySchema.get(canonicalSchema);
    return id == null ? OptionalInt.empty() : OptionalInt.of(id);
  }

  synchronized int nextId() {
    return maxId + 1;
  }

  synchronized List<RegisteredSchema> versionsWithId(int id) {
    List<RegisteredSchema> out = new ArrayList<>();
    subjects
        .values()
        .forEach(vs -> vs.values().stream().filter(v -> v.id() == id).forEach(out::add));
    return out;
  }
}
