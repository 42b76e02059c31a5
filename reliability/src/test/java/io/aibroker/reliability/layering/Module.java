package io.aibroker.reliability.layering;

import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * aibroker's modules, the packages each one owns (relative to a root package, {@code io.aibroker}
 * in the build) and their tier: a module may depend only on modules of lower tiers. Tiers, from the
 * bottom: schemas; the connector API; the building blocks (connectors, embedded Kafka, broker,
 * workers, client), which do not depend on each other; the app; the bench. The reliability module
 * has tests only and is not listed. docs/ARCHITECTURE.md draws the same graph.
 */
enum Module {
  TEST_SUPPORT("aibroker-test-support", 0, "testing.."),
  SCHEMAS(
      "aibroker-schemas",
      0,
      "schemas..",
      "serde..",
      "registry..",
      "records..",
      "topics..",
      "money.."),
  CONNECTOR_API("aibroker-connector-api", 1, "connector", "connector.batch"),
  CONNECTOR_BEDROCK("aibroker-connector-bedrock", 2, "connector.bedrock.."),
  CONNECTOR_AZURE_OPENAI("aibroker-connector-azure-openai", 2, "connector.azureopenai.."),
  CONNECTOR_WORKERS_AI("aibroker-connector-workers-ai", 2, "connector.workersai.."),
  CONNECTOR_SIMULATED("aibroker-connector-simulated", 2, "connector.simulated.."),
  CONNECTOR_TEST_SUPPORT("aibroker-connector-test-support", 2, "connector.testing.."),
  EMBEDDED("aibroker-embedded", 2, "embedded.."),
  BROKER("aibroker-broker", 2, "broker.."),
  WORKERS("aibroker-workers", 2, "workers.."),
  CLIENT("aibroker-client", 2, "client.."),
  APP("aibroker-app", 3, "app.."),
  BENCH("aibroker-bench", 4, "bench..");

  final String artifactId;
  final int tier;
  private final List<String> packages;

  Module(String artifactId, int tier, String... packages) {
    this.artifactId = artifactId;
    this.tier = tier;
    this.packages = List.of(packages);
  }

  /** The layer's name in rule descriptions: the artifact. */
  String layer() {
    return artifactId;
  }

  /** Its packages under {@code root}, as ArchUnit package identifiers. */
  String[] packages(String root) {
    return packages.stream().map(p -> root + "." + p).toArray(String[]::new);
  }

  /** The modules a class of this one may be depended on by: those of higher tiers. */
  String[] dependents() {
    return Arrays.stream(values())
        .filter(m -> m.tier > tier)
        .map(Module::layer)
        .toArray(String[]::new);
  }

  /** Whether {@code packageName} is one of this module's packages under {@code root}. */
  boolean owns(String root, String packageName) {
    for (String p : packages) {
      String base = root + "." + (p.endsWith("..") ? p.substring(0, p.length() - 2) : p);
      if (packageName.equals(base) || (p.endsWith("..") && packageName.startsWith(base + "."))) {
        return true;
      }
    }
    return false;
  }

  /** The module that owns {@code packageName} under {@code root}, if one does. */
  static Optional<Module> owning(String root, String packageName) {
    return Arrays.stream(values()).filter(m -> m.owns(root, packageName)).findFirst();
  }
}
