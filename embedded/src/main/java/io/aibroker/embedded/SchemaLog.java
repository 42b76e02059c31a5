package io.aibroker.embedded;

import io.aibroker.registry.CompatibilityLevel;

/**
 * Durable store of registry changes. A call returns only once the change is durable, so the caller
 * may then apply it to memory; a failure throws and nothing is applied.
 */
interface SchemaLog {

  /** Stores a schema version (also used to mark it soft-deleted). */
  void writeSchema(RegisteredSchema schema);

  /** Removes a schema version for good (a tombstone). */
  void deleteSchema(String subject, int version);

  /**
   * Stores the compatibility level of a subject, or the global one when {@code subject} is null;
   * {@code level == null} removes it.
   */
  void writeLevel(String subject, CompatibilityLevel level);
}
