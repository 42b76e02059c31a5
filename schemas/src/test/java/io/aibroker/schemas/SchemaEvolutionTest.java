package io.aibroker.schemas;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.apache.avro.Schema;
import org.apache.avro.SchemaCompatibility;
import org.apache.avro.SchemaCompatibility.SchemaCompatibilityType;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * Proves the compiled schemas are BACKWARD compatible with every released version kept under {@code
 * schemas/released/<version>/}: a consumer built from this code can read every record a producer of
 * an earlier release wrote.
 */
class SchemaEvolutionTest {

  private static final Path RELEASED = Path.of("released");

  @TestFactory
  Stream<DynamicTest> currentSchemasReadEveryReleasedVersion() throws IOException {
    List<DynamicTest> tests = new ArrayList<>();
    for (Path releasedFile : releasedSchemaFiles()) {
      String name = releasedFile.getFileName().toString().replace(".avsc", "");
      tests.add(
          DynamicTest.dynamicTest(
              RELEASED.relativize(releasedFile).toString(),
              () -> {
                Schema released = new Schema.Parser().parse(releasedFile.toFile());
                Schema current = currentSchema(name);
                var result = SchemaCompatibility.checkReaderWriterCompatibility(current, released);
                assertThat(result.getType())
                    .as("%s must be BACKWARD compatible: %s", name, result.getDescription())
                    .isEqualTo(SchemaCompatibilityType.COMPATIBLE);
              }));
    }
    assertThat(tests).as("released schema versions under %s", RELEASED).isNotEmpty();
    return tests.stream();
  }

  @Test
  void theCheckCatchesAFieldAddedWithoutDefault() {
    Schema released = AibrokerSchemas.topLevel().getFirst();
    String withNewRequiredField =
        released
            .toString()
            .replaceFirst(
                "\"fields\":\\[",
                "\"fields\":[{\"name\":\"newRequired\",\"type\":\"string\",\"doc\":\"x\"},");
    Schema evolved = new Schema.Parser().parse(withNewRequiredField);

    var result = SchemaCompatibility.checkReaderWriterCompatibility(evolved, released);

    assertThat(result.getType()).isEqualTo(SchemaCompatibilityType.INCOMPATIBLE);
  }

  @Test
  void everyRecordHasANamespaceAndEveryFieldADoc() {
    for (Schema schema : AibrokerSchemas.topLevel()) {
      assertDocumented(schema, new ArrayList<>());
    }
  }

  private static void assertDocumented(Schema schema, List<String> seen) {
    switch (schema.getType()) {
      case RECORD -> {
        if (seen.contains(schema.getFullName())) {
          return;
        }
        seen.add(schema.getFullName());
        assertThat(schema.getNamespace()).as("namespace of %s", schema.getName()).isNotBlank();
        assertThat(schema.getDoc()).as("doc of %s", schema.getFullName()).isNotBlank();
        for (Schema.Field field : schema.getFields()) {
          assertThat(field.doc()).as("doc of %s.%s", schema.getName(), field.name()).isNotBlank();
          assertDocumented(field.schema(), seen);
        }
      }
      case UNION -> schema.getTypes().forEach(t -> assertDocumented(t, seen));
      case ARRAY -> assertDocumented(schema.getElementType(), seen);
      case MAP -> assertDocumented(schema.getValueType(), seen);
      default -> {}
    }
  }

  private static Schema currentSchema(String name) {
    return AibrokerSchemas.topLevel().stream()
        .filter(s -> s.getName().equals(name))
        .findFirst()
        .orElseThrow(() -> new AssertionError("released schema " + name + " was removed"));
  }

  private static List<Path> releasedSchemaFiles() throws IOException {
    try (Stream<Path> files = Files.walk(RELEASED)) {
      return files.filter(f -> f.toString().endsWith(".avsc")).sorted().toList();
    }
  }
}
