package io.aibroker.app.cli;

import io.aibroker.app.config.AppConfig;
import io.aibroker.app.config.ConfigLoader;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import picocli.CommandLine.Option;

/** Options every command shares: where the configuration comes from and how to reach Kafka. */
public final class ConfigOptions {

  @Option(
      names = "--config",
      paramLabel = "FILE",
      description = "YAML configuration merged over the built-in defaults.")
  Path configFile;

  @Option(
      names = "--bootstrap-servers",
      paramLabel = "HOST:PORT[,...]",
      description = "Use this Kafka cluster instead of an embedded one.")
  String bootstrapServers;

  @Option(
      names = "--schema-registry-url",
      paramLabel = "URL",
      description = "Use this Schema Registry instead of the embedded one.")
  String schemaRegistryUrl;

  @Option(
      names = "--data-dir",
      paramLabel = "DIR",
      description = "Where embedded Kafka and local state live (default ./data).")
  Path dataDir;

  /** Loads the configuration with these options applied over file and environment. */
  public AppConfig load(Map<String, String> extra) {
    Map<String, String> overrides = new LinkedHashMap<>(extra);
    if (bootstrapServers != null) {
      overrides.put("kafka.bootstrap-servers", bootstrapServers);
    }
    if (schemaRegistryUrl != null) {
      overrides.put("schema-registry.url", schemaRegistryUrl);
    }
    if (dataDir != null) {
      overrides.put("data-dir", dataDir.toString());
    }
    return ConfigLoader.load(configFile, System.getenv(), overrides);
  }
}
