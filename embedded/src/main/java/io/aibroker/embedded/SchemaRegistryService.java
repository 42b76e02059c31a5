package io.aibroker.embedded;

import io.aibroker.registry.AvroCompatibility;
import io.aibroker.registry.CompatibilityLevel;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;
import org.apache.avro.Schema;

/**
 * The registry's rules, independent of HTTP: ids, versions, compatibility, soft and permanent
 * deletes, config. Every change is first written to the {@link SchemaLog} and only then applied to
 * memory, under one lock, so ids never go backwards and memory never shows an unsaved change.
 */
final class SchemaRegistryService {
  /** What a client sends to register, look up or test a schema. */
  record SchemaRequest(String schema, String schemaType, int referenceCount) {}

  private final RegistryState state;
  private final SchemaLog log;
  private final ReentrantLock writeLock = new ReentrantLock();
  private final Map<Integer, Schema> parsedById = new ConcurrentHashMap<>();

  SchemaRegistryService(RegistryState state, SchemaLog log) {
    this.state = state;
    this.log = log;
  }

  // ---- schemas and subjects

  /** Registers a schema under a subject and returns its global id (existing one if known). */
  int register(String subject, SchemaRequest request) {
    Schema parsed = parse(request);
    String canonical = parsed.toString();
    writeLock.lock();
    try {
      List<RegisteredSchema> live = state.versions(subject, false);
      for (RegisteredSchema existing : live) {
        if (existing.schema().equals(canonical)) {
          return existing.id();
        }
      }
      List<String> problems =
          AvroCompatibility.check(state.effectiveLevel(subject), parsed, parsedByVersion(live));
      if (!problems.isEmpty()) {
        throw RegistryException.incompatible(subject, problems);
      }
      int id = state.idOf(canonical).orElseGet(state::nextId);
      RegisteredSchema added =
          new RegisteredSchema(subject, state.highestVersion(subject) + 1, id, canonical, false);
      log.writeSchema(added);
      state.put(added);
      parsedById.putIfAbsent(id, parsed);
      return id;
    } finally {
      writeLock.unlock();
    }
  }

  /** Finds the version of a subject that holds this schema. */
  RegisteredSchema lookup(String subject, SchemaRequest request, boolean includeDeleted) {
    String canonical = parse(request).toString();
    List<RegisteredSchema> versions = existingVersions(subject, includeDeleted);
    for (int i = versions.size() - 1; i >= 0; i--) {
      if (versions.get(i).schema().equals(canonical)) {
        return versions.get(i);
      }
    }
    throw RegistryException.schemaNotFound();
  }

  List<String> subjects(boolean includeDeleted, String prefix) {
    return state.subjects(includeDeleted).stream()
        .filter(s -> prefix == null || s.startsWith(prefix))
        .toList();
  }

  List<Integer> versions(String subject, boolean includeDeleted) {
    return existingVersions(subject, includeDeleted).stream()
        .map(RegisteredSchema::version)
        .toList();
  }

  /** A version by number, or {@code latest}/{@code -1} for the newest one. */
  RegisteredSchema version(String subject, String version, boolean includeDeleted) {
    int number = parseVersion(version);
    List<RegisteredSchema> versions = existingVersions(subject, includeDeleted);
    if (number == -1) {
      return versions.get(versions.size() - 1);
    }
    return versions.stream()
        .filter(v -> v.version() == number)
        .findFirst()
        .orElseThrow(() -> RegistryException.versionNotFound(number));
  }

  String schemaById(int id) {
    return state.schema(id).orElseThrow(() -> RegistryException.schemaNotFound(id));
  }

  List<RegisteredSchema> versionsById(int id, boolean includeDeleted) {
    schemaById(id);
    return state.versionsWithId(id).stream().filter(v -> includeDeleted || !v.deleted()).toList();
  }

  /** Soft-deletes (or, after that, permanently deletes) a subject; returns the versions hit. */
  List<Integer> deleteSubject(String subject, boolean permanent) {
    writeLock.lock();
    try {
      List<RegisteredSchema> all = state.versions(subject, true);
      if (all.isEmpty()) {
        throw RegistryException.subjectNotFound(subject);
      }
      List<RegisteredSchema> live = all.stream().filter(v -> !v.deleted()).toList();
      List<Integer> hit = new ArrayList<>();
      if (!permanent) {
        if (live.isEmpty()) {
          throw RegistryException.subjectSoftDeleted(subject);
        }
        for (RegisteredSchema version : live) {
          softDelete(version);
          hit.add(version.version());
        }
        return hit;
      }
      if (!live.isEmpty()) {
        throw RegistryException.subjectNotSoftDeleted(subject);
      }
      for (RegisteredSchema version : all) {
        hardDelete(version);
        hit.add(version.version());
      }
      if (state.subjectLevel(subject).isPresent()) {
        log.writeLevel(subject, null);
        state.setLevel(subject, null);
      }
      return hit;
    } finally {
      writeLock.unlock();
    }
  }

  /** Soft-deletes (or, after that, permanently deletes) one version; returns its number. */
  int deleteVersion(String subject, String version, boolean permanent) {
    int number = parseVersion(version);
    writeLock.lock();
    try {
      List<RegisteredSchema> all = state.versions(subject, true);
      if (all.isEmpty()) {
        throw RegistryException.subjectNotFound(subject);
      }
      Optional<RegisteredSchema> found;
      if (number == -1) {
        found =
            all.stream().filter(v -> permanent || !v.deleted()).reduce((first, second) -> second);
        if (found.isEmpty()) {
          throw RegistryException.subjectNotFound(subject);
        }
      } else {
        found = all.stream().filter(v -> v.version() == number).findFirst();
      }
      RegisteredSchema target = found.orElseThrow(() -> RegistryException.versionNotFound(number));
      if (!permanent) {
        if (target.deleted()) {
          throw RegistryException.versionSoftDeleted(subject, target.version());
        }
        softDelete(target);
      } else {
        if (!target.deleted()) {
          throw RegistryException.versionNotSoftDeleted(subject, target.version());
        }
        hardDelete(target);
      }
      return target.version();
    } finally {
      writeLock.unlock();
    }
  }

  /**
   * Tests a schema against a subject without registering it. With {@code version == null} or {@code
   * latest} the subject's level decides which versions count; with a number, only that one.
   *
   * @return incompatibilities; empty when compatible
   */
  List<String> testCompatibility(String subject, String version, SchemaRequest request) {
    Schema parsed = parse(request);
    CompatibilityLevel level = state.effectiveLevel(subject);
    List<RegisteredSchema> live = state.versions(subject, false);
    int number = version == null ? -1 : parseVersion(version);
    if (number == -1) {
      return AvroCompatibility.check(level, parsed, parsedByVersion(live));
    }
    if (state.versions(subject, true).isEmpty()) {
      throw RegistryException.subjectNotFound(subject);
    }
    RegisteredSchema against =
        live.stream()
            .filter(v -> v.version() == number)
            .findFirst()
            .orElseThrow(() -> RegistryException.versionNotFound(number));
    return AvroCompatibility.check(level, parsed, parsedByVersion(List.of(against)));
  }

  // ---- config

  CompatibilityLevel globalLevel() {
    return state.globalLevel();
  }

  CompatibilityLevel setGlobalLevel(String level) {
    return setLevel(null, level);
  }

  /** Resets the global level to the default and returns the one it had. */
  CompatibilityLevel deleteGlobalLevel() {
    writeLock.lock();
    try {
      CompatibilityLevel previous = state.globalLevel();
      log.writeLevel(null, null);
      state.setLevel(null, null);
      return previous;
    } finally {
      writeLock.unlock();
    }
  }

  CompatibilityLevel subjectLevel(String subject, boolean defaultToGlobal) {
    Optional<CompatibilityLevel> level = state.subjectLevel(subject);
    if (level.isPresent()) {
      return level.get();
    }
    if (defaultToGlobal) {
      return state.globalLevel();
    }
    throw RegistryException.subjectLevelCompatibilityNotConfigured(subject);
  }

  CompatibilityLevel setSubjectLevel(String subject, String level) {
    return setLevel(subject, level);
  }

  /** Removes a subject's own level and returns it. */
  CompatibilityLevel deleteSubjectLevel(String subject) {
    writeLock.lock();
    try {
      Optional<CompatibilityLevel> previous = state.subjectLevel(subject);
      if (previous.isEmpty()) {
        if (state.versions(subject, true).isEmpty()) {
          throw RegistryException.subjectNotFound(subject);
        }
        throw RegistryException.subjectLevelCompatibilityNotConfigured(subject);
      }
      log.writeLevel(subject, null);
      state.setLevel(subject, null);
      return previous.get();
    } finally {
      writeLock.unlock();
    }
  }

  // ---- helpers

  private CompatibilityLevel setLevel(String subject, String name) {
    CompatibilityLevel level =
        CompatibilityLevel.find(name).orElseThrow(RegistryException::invalidCompatibilityLevel);
    writeLock.lock();
    try {
      log.writeLevel(subject, level);
      state.setLevel(subject, level);
      return level;
    } finally {
      writeLock.unlock();
    }
  }

  private void softDelete(RegisteredSchema version) {
    RegisteredSchema deleted = version.asDeleted();
    log.writeSchema(deleted);
    state.put(deleted);
  }

  private void hardDelete(RegisteredSchema version) {
    log.deleteSchema(version.subject(), version.version());
    state.remove(version.subject(), version.version());
    if (state.schema(version.id()).isEmpty()) {
      parsedById.remove(version.id());
    }
  }

  /** Versions of a subject, ascending; a subject without (visible) versions does not exist. */
  private List<RegisteredSchema> existingVersions(String subject, boolean includeDeleted) {
    List<RegisteredSchema> versions = state.versions(subject, includeDeleted);
    if (versions.isEmpty()) {
      throw RegistryException.subjectNotFound(subject);
    }
    return versions;
  }

  private NavigableMap<Integer, Schema> parsedByVersion(List<RegisteredSchema> versions) {
    NavigableMap<Integer, Schema> out = new TreeMap<>();
    for (RegisteredSchema v : versions) {
      out.put(v.version(), parsedById.computeIfAbsent(v.id(), id -> AvroSchemas.parse(v.schema())));
    }
    return out;
  }

  /** -1 for "latest" (Confluent also accepts -1), else a version number from 1. */
  static int parseVersion(String version) {
    if ("latest".equals(version)) {
      return -1;
    }
    try {
      int number = Integer.parseInt(version);
      if (number == -1 || number >= 1) {
        return number;
      }
    } catch (NumberFormatException e) {
      // falls through to the registry's own error
    }
    throw RegistryException.invalidVersion(version);
  }

  private static Schema parse(SchemaRequest request) {
    String type = request.schemaType();
    if (type != null && !"AVRO".equalsIgnoreCase(type)) {
      throw RegistryException.invalidSchema(
          "schema type " + type + " is not supported; this registry serves AVRO only");
    }
    if (request.referenceCount() > 0) {
      throw RegistryException.invalidSchema("schema references are not supported");
    }
    if (request.schema() == null || request.schema().isBlank()) {
      throw RegistryException.invalidSchema("empty schema");
    }
    try {
      return AvroSchemas.parse(request.schema());
    } catch (RuntimeException e) {
      throw RegistryException.invalidSchema(e.getMessage());
    }
  }
}
