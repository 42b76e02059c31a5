package io.aibroker.serde;

import java.util.stream.Collectors;
import org.apache.avro.Schema;
import org.apache.avro.SchemaCompatibility;
import org.apache.avro.SchemaCompatibility.SchemaCompatibilityResult;
import org.apache.avro.SchemaCompatibility.SchemaCompatibilityType;

/** Reader/writer schema compatibility, described for error messages. */
final class SchemaChecks {

  private SchemaChecks() {}

  /** Why {@code reader} cannot read data written with {@code writer}, or null if it can. */
  static String cannotRead(Schema reader, Schema writer) {
    SchemaCompatibilityResult result =
        SchemaCompatibility.checkReaderWriterCompatibility(reader, writer).getResult();
    if (result.getCompatibility() == SchemaCompatibilityType.COMPATIBLE) {
      return null;
    }
    return result.getIncompatibilities().stream()
        .map(i -> i.getType() + " at " + i.getLocation() + ": " + i.getMessage())
        .collect(Collectors.joining("; "));
  }
}
