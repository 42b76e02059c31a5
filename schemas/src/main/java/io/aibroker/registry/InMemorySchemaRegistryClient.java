package io.aibroker.registry;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Objects;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.avro.Schema;

/**
 * A schema registry held in memory, with the semantics of the real one, for tests and embedded use.
 *
 * <p>Ids are global and stable: an identical schema gets the same id under every subject. Versions
 * count from 1 per subject and are not reused after a delete. New schemas are checked against the
 * subject's compatibility level (global default {@link CompatibilityLevel#BACKWARD}) with Avro's
 * own compatibility rules. Failures throw the same exceptions, with the same error codes, as {@link
 * RestSchemaRegistryClient}.
 *
 * <p>Thread-safe.
 */
public final class InMemorySchemaRegistryClient implements SchemaRegistryClient {

  /** URL prefix that selects a shared in-memory registry, as in {@code mock://my-test}. */
  public static final String MOCK_SCHEME = "mock://";

  private static final Map<String, InMemorySchemaRegistryClient> SCOPES = new ConcurrentHashMap<>();

  private final Map<Schema, Integer> idsBySchema = new HashMap<>();
  private final Map<Integer, Schema> schemasById = new HashMap<>();
  private final Map<String, Subject> subjects = new TreeMap<>();
  private final Map<String, CompatibilityLevel> subjectLevels = new HashMap<>();
  private CompatibilityLevel globalLevel = CompatibilityLevel.DEFAULT;
  private int lastId;

  /** Creates an empty registry of its own. */
  public InMemorySchemaRegistryClient() {}

  /**
   * The registry shared by everyone using the same scope name in this JVM, created on first use.
   * Serdes configured with {@code schema.registry.url=mock://<scope>} use it.
   */
  public static InMemorySchemaRegistryClient forScope(String scope) {
    return SCOPES.computeIfAbsent(
        Objects.requireNonNull(scope, "scope"), s -> new InMemorySchemaRegistryClient());
  }

  /** Forgets a shared scope, so the next {@link #forScope} starts empty. */
  public static void dropScope(String scope) {
    SCOPES.remove(scope);
  }

  @Override
  public synchronized int register(String subject, Schema schema) {
    Objects.requireNonNull(schema, "schema");
    Subject state =
        subjects.computeIfAbsent(Objects.requireNonNull(subject, "subject"), s -> new Subject());
    for (SchemaMetadata version : state.live) {
      if (version.schema().equals(schema)) {
        return version.id();
      }
    }
    CompatibilityLevel level = subjectLevels.getOrDefault(subject, globalLevel);
    List<String> problems = AvroCompatibility.check(level, schema, state.byVersion());
    if (!problems.isEmpty()) {
      throw new IncompatibleSchemaException(
          "Schema being registered is incompatible with an earlier schema for subject '"
              + subject
              + "' ("
              + level
              + "): "
              + String.join("; ", problems));
    }
    int id = idsBySchema.computeIfAbsent(schema, s -> ++lastId);
    schemasById.putIfAbsent(id, schema);
    state.live.add(new SchemaMetadata(id, subject, ++state.lastVersion, schema));
    return id;
  }

  @Override
  public synchronized int getId(String subject, Schema schema) {
    return lookup(subject, schema).id();
  }

  @Override
  public synchronized SchemaMetadata lookup(String subject, Schema schema) {
    Objects.requireNonNull(schema, "schema");
    for (SchemaMetadata version : liveSubject(subject).live) {
      if (version.schema().equals(schema)) {
        return version;
      }
    }
    throw new SchemaNotFoundException(
        "Schema not found under subject '" + subject + "': " + schema.getFullName());
  }

  @Override
  public synchronized Schema getById(int id) {
    Schema schema = schemasById.get(id);
    if (schema == null) {
      throw new SchemaNotFoundException("Schema " + id + " not found");
    }
    return schema;
  }

  @Override
  public synchronized SchemaMetadata getLatest(String subject) {
    List<SchemaMetadata> live = liveSubject(subject).live;
    return live.get(live.size() - 1);
  }

  @Override
  public synchronized SchemaMetadata getVersion(String subject, int version) {
    if (version == LATEST_VERSION) {
      return getLatest(subject);
    }
    if (version < 1) {
      throw new InvalidVersionException(
          "The specified version '"
              + version
              + "' is not a valid version id. Allowed values are between [1, 2^31-1] and the"
              + " string \"latest\"");
    }
    for (SchemaMetadata candidate : liveSubject(subject).live) {
      if (candidate.version() == version) {
        return candidate;
      }
    }
    throw new VersionNotFoundException(
        "Version " + version + " not found for subject '" + subject + "'");
  }

  @Override
  public synchronized List<String> subjects() {
    return subjects.entrySet().stream()
        .filter(e -> !e.getValue().live.isEmpty())
        .map(Map.Entry::getKey)
        .toList();
  }

  @Override
  public synchronized List<Integer> versions(String subject) {
    return liveSubject(subject).live.stream().map(SchemaMetadata::version).toList();
  }

  @Override
  public synchronized boolean testCompatibility(String subject, Schema schema) {
    Subject state = subjects.get(subject);
    if (state == null || state.live.isEmpty()) {
      return true;
    }
    return AvroCompatibility.check(
            subjectLevels.getOrDefault(subject, globalLevel),
            Objects.requireNonNull(schema, "schema"),
            state.byVersion())
        .isEmpty();
  }

  @Override
  public synchronized String getCompatibility(String subjectOrNull) {
    return (subjectOrNull == null
            ? globalLevel
            : subjectLevels.getOrDefault(subjectOrNull, globalLevel))
        .name();
  }

  @Override
  public synchronized void setCompatibility(String subjectOrNull, String level) {
    CompatibilityLevel parsed = CompatibilityLevel.parse(level);
    if (subjectOrNull == null) {
      globalLevel = parsed;
    } else {
      subjectLevels.put(subjectOrNull, parsed);
    }
  }

  @Override
  public synchronized List<Integer> deleteSubject(String subject) {
    Subject state = liveSubject(subject);
    List<Integer> deleted = state.live.stream().map(SchemaMetadata::version).toList();
    state.live.clear();
    return deleted;
  }

  @Override
  public String toString() {
    return "InMemorySchemaRegistryClient";
  }

  private Subject liveSubject(String subject) {
    Subject state = subjects.get(Objects.requireNonNull(subject, "subject"));
    if (state == null || state.live.isEmpty()) {
      throw new SubjectNotFoundException("Subject '" + subject + "' not found");
    }
    return state;
  }

  /** A subject's live versions, oldest first, and the highest version number ever given. */
  private static final class Subject {
    final List<SchemaMetadata> live = new ArrayList<>();
    int lastVersion;

    NavigableMap<Integer, Schema> byVersion() {
      NavigableMap<Integer, Schema> schemas = new TreeMap<>();
      live.forEach(version -> schemas.put(version.version(), version.schema()));
      return schemas;
    }
  }
}
