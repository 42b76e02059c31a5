package io.aibroker.reliability.layering;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** The module table the layering rules use covers the build, and classes are told apart by it. */
class ModulesTest {

  private static final Pattern MODULE = Pattern.compile("<module>([^<]+)</module>");

  @Test
  void everyModuleOfTheBuildIsInTheTable() throws IOException {
    Path root = Path.of("").toAbsolutePath().getParent();
    Set<String> built = new TreeSet<>();
    collect(root, built);
    Set<String> known = new TreeSet<>();
    Arrays.stream(Module.values()).forEach(m -> known.add(m.artifactId));
    known.add("aibroker-reliability"); // tests only: no main classes to place
    assertThat(built).isEqualTo(known);
  }

  @Test
  void aClassIsPlacedByItsJarOrItsModulesClassesDirectory() {
    Path reliability = Path.of("").toAbsolutePath();
    Path broker = reliability.resolveSibling("broker");
    assertThat(
            ModuleLocations.artifactOf(
                URI.create(
                    "jar:file:/m2/io/aibroker/aibroker-connector-azure-openai/0.1.0-SNAPSHOT/"
                        + "aibroker-connector-azure-openai-0.1.0-SNAPSHOT.jar!/io/aibroker/X.class")))
        .isEqualTo("aibroker-connector-azure-openai");
    assertThat(
            ModuleLocations.artifactOf(
                URI.create(
                    "jar:file:/src/app/target/aibroker-app.jar!/io/aibroker/app/Main.class")))
        .isEqualTo("aibroker-app");
    assertThat(
            ModuleLocations.artifactOf(
                broker.resolve("target/classes/io/aibroker/broker/HotPaths.class").toUri()))
        .isEqualTo("aibroker-broker");
    assertThat(
            ModuleLocations.artifactOf(
                reliability.resolve("target/test-classes/io/aibroker/reliability/X.class").toUri()))
        .isEqualTo("aibroker-reliability (test classes)");
  }

  @Test
  void eachPackageHasOneOwner() {
    assertThat(Module.owning("io.aibroker", "io.aibroker.connector"))
        .contains(Module.CONNECTOR_API);
    assertThat(Module.owning("io.aibroker", "io.aibroker.connector.azureopenai"))
        .contains(Module.CONNECTOR_AZURE_OPENAI);
    assertThat(Module.owning("io.aibroker", "io.aibroker.records.internal"))
        .contains(Module.SCHEMAS);
    assertThat(Module.owning("io.aibroker", "io.aibroker.bench.jmh_generated"))
        .contains(Module.BENCH);
    assertThat(Module.owning("io.aibroker", "io.aibroker.brokers")).isEmpty();
    assertThat(Module.owning("io.aibroker", "io.aibroker.reliability")).isEmpty();
  }

  /** The artifactIds of the jar modules under {@code dir} (pom modules are walked into). */
  private static void collect(Path dir, Set<String> artifacts) throws IOException {
    String pom = Files.readString(dir.resolve("pom.xml"));
    Matcher modules = MODULE.matcher(pom);
    boolean any = false;
    while (modules.find()) {
      any = true;
      collect(dir.resolve(modules.group(1)), artifacts);
    }
    if (!any) {
      artifacts.add(ModuleLocations.artifactIdOf(dir));
    }
  }
}
