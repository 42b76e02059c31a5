package io.aibroker.registry;

import java.util.List;
import java.util.Map;
import org.apache.avro.Schema;

/**
 * A client of a Confluent-compatible schema registry, for Avro schemas.
 *
 * <p>Implementations are thread-safe and cache what never changes (the id of a schema under a
 * subject, the schema of an id), so the serialization hot path makes no remote call once warm.
 *
 * <p>Failures are reported as {@link SchemaRegistryException} or one of its subclasses, which carry
 * the Confluent error code.
 */
public interface SchemaRegistryClient extends AutoCloseable {

  /** The version number that means "the latest version" in {@link #getVersion}. */
  int LATEST_VERSION = -1;

  /**
   * Registers a schema under a subject, or finds it if it is already registered there.
   *
   * @return the schema's global id
   * @throws IncompatibleSchemaException if the subject's compatibility level rejects the schema
   * @throws InvalidSchemaException if the registry rejects the schema as invalid
   */
  int register(String subject, Schema schema);

  /**
   * Looks up the id of a schema already registered under a subject, without registering it.
   *
   * @throws SubjectNotFoundException if the subject does not exist
   * @throws SchemaNotFoundException if the subject exists but the schema is not registered there
   */
  int getId(String subject, Schema schema);

  /**
   * Looks up a schema already registered under a subject, giving its id and version.
   *
   * @throws SubjectNotFoundException if the subject does not exist
   * @throws SchemaNotFoundException if the subject exists but the schema is not registered there
   */
  SchemaMetadata lookup(String subject, Schema schema);

  /**
   * The schema with a global id.
   *
   * @throws SchemaNotFoundException if no schema has this id
   */
  Schema getById(int id);

  /**
   * The latest version of a subject.
   *
   * @throws SubjectNotFoundException if the subject does not exist
   */
  SchemaMetadata getLatest(String subject);

  /**
   * One version of a subject; {@link #LATEST_VERSION} means the latest.
   *
   * @throws SubjectNotFoundException if the subject does not exist
   * @throws VersionNotFoundException if the subject has no such version
   * @throws InvalidVersionException if the version number is not valid
   */
  SchemaMetadata getVersion(String subject, int version);

  /** All subjects that have at least one (not deleted) version. */
  List<String> subjects();

  /**
   * The version numbers of a subject, ascending.
   *
   * @throws SubjectNotFoundException if the subject does not exist
   */
  List<Integer> versions(String subject);

  /**
   * Whether the schema could be registered under the subject, judged by the subject's compatibility
   * level against its latest version. A subject without versions accepts anything.
   */
  boolean testCompatibility(String subject, Schema schema);

  /**
   * The compatibility level in force: the subject's own level, or the global level when the subject
   * has none or {@code subjectOrNull} is null.
   */
  String getCompatibility(String subjectOrNull);

  /**
   * Sets the compatibility level of a subject, or the global level when {@code subjectOrNull} is
   * null.
   *
   * @param level one of NONE, BACKWARD, BACKWARD_TRANSITIVE, FORWARD, FORWARD_TRANSITIVE, FULL,
   *     FULL_TRANSITIVE
   * @throws InvalidCompatibilityLevelException if the level is not one of those
   */
  void setCompatibility(String subjectOrNull, String level);

  /**
   * Soft-deletes a subject (all its versions).
   *
   * @return the deleted version numbers
   * @throws SubjectNotFoundException if the subject does not exist
   */
  List<Integer> deleteSubject(String subject);

  /** Releases resources (HTTP connections). The default does nothing. */
  @Override
  default void close() {}

  /**
   * Creates a client from Confluent-style properties (see {@link SchemaRegistryConfig}).
   *
   * <p>A {@code schema.registry.url} of the form {@code mock://scope} returns the shared {@link
   * InMemorySchemaRegistryClient#forScope in-memory registry} of that scope, as Confluent's serdes
   * do, so tests can configure serdes by properties alone.
   */
  static SchemaRegistryClient fromProperties(Map<String, ?> configs) {
    Object url = configs.get(SchemaRegistryConfig.URL_CONFIG);
    if (url instanceof String s && s.strip().startsWith(InMemorySchemaRegistryClient.MOCK_SCHEME)) {
      return InMemorySchemaRegistryClient.forScope(
          s.strip().substring(InMemorySchemaRegistryClient.MOCK_SCHEME.length()));
    }
    return new RestSchemaRegistryClient(SchemaRegistryConfig.fromProperties(configs));
  }
}
