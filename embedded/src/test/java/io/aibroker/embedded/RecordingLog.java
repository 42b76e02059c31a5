package io.aibroker.embedded;

import io.aibroker.registry.CompatibilityLevel;
import java.util.ArrayList;
import java.util.List;

/**
 * A {@link SchemaLog} keeping records in memory in {@code _schemas} layout; replaying them rebuilds
 * the state, as after a restart.
 */
final class RecordingLog implements SchemaLog {
  final List<byte[][]> records = new ArrayList<>();

  /** While true, every write throws {@link #failure}. */
  boolean failing;

  /** What a write throws while {@link #failing}: a store error unless a test sets another. */
  RuntimeException failure = RegistryException.storeError("test", new RuntimeException("down"));

  @Override
  public void writeSchema(RegisteredSchema schema) {
    append(
        SchemasTopicCodec.schemaKey(schema.subject(), schema.version()),
        SchemasTopicCodec.schemaValue(schema));
  }

  @Override
  public void deleteSchema(String subject, int version) {
    append(SchemasTopicCodec.schemaKey(subject, version), null);
  }

  @Override
  public void writeLevel(String subject, CompatibilityLevel level) {
    append(
        SchemasTopicCodec.configKey(subject),
        level == null ? null : SchemasTopicCodec.configValue(level));
  }

  private void append(byte[] key, byte[] value) {
    if (failing) {
      throw failure;
    }
    records.add(new byte[][] {key, value});
  }

  SchemaRegistryService restart() {
    RegistryState state = new RegistryState();
    records.forEach(r -> SchemasTopicCodec.apply(r[0], r[1], state));
    return new SchemaRegistryService(state, this);
  }
}
