package io.aibroker.app.cli;

import io.aibroker.app.Platform;
import io.aibroker.app.TestPlatforms;
import io.aibroker.app.config.ConfigLoader;
import io.aibroker.registry.RestSchemaRegistryClient;
import io.aibroker.registry.SchemaRegistryConfig;
import io.aibroker.schemas.RecordSerdes;
import java.nio.file.Path;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * A whole embedded platform (Kafka, registry, broker, simulated workers) on free ports, for CLI
 * verbs that need results: the few lines of {@code io.aibroker.app.TestPlatforms} this package
 * needs.
 */
final class CliPlatform implements AutoCloseable {

  private final Platform platform;
  private final RestSchemaRegistryClient registry;

  private CliPlatform(Platform platform) {
    this.platform = platform;
    this.registry =
        new RestSchemaRegistryClient(SchemaRegistryConfig.of(platform.schemaRegistryUrl()));
  }

  static CliPlatform start(Path dataDir) throws Exception {
    Map<String, String> settings = new LinkedHashMap<>();
    settings.put("data-dir", dataDir.toString());
    settings.put("kafka.embedded-port", Integer.toString(TestPlatforms.freePort()));
    settings.put("schema-registry.embedded-port", Integer.toString(TestPlatforms.freePort()));
    settings.put("http.port", Integer.toString(TestPlatforms.freePort()));
    settings.put("connectors.simulated.latency", "5ms");
    settings.put("connectors.simulated.jitter", "0ms");
    TestPlatforms.quickShareAssignments(settings);
    return new CliPlatform(
        Platform.start(ConfigLoader.load(null, Map.of(), settings), Clock.systemUTC()));
  }

  RecordSerdes serdes() {
    return new RecordSerdes(registry);
  }

  String bootstrapServers() {
    return platform.bootstrapServers();
  }

  /** Runs {@code aibroker ARGS... --bootstrap-servers ... --schema-registry-url ...}. */
  CliCluster.Run run(String... args) {
    String[] full = new String[args.length + 4];
    System.arraycopy(args, 0, full, 0, args.length);
    full[args.length] = "--bootstrap-servers";
    full[args.length + 1] = platform.bootstrapServers();
    full[args.length + 2] = "--schema-registry-url";
    full[args.length + 3] = platform.schemaRegistryUrl();
    return CliCluster.runExactly(full);
  }

  /** Writes raw records and waits for their acknowledgement. */
  void produce(List<ProducerRecord<byte[], byte[]>> records) throws Exception {
    Map<String, Object> props =
        Map.of("bootstrap.servers", platform.bootstrapServers(), "acks", "all");
    try (var producer =
        new KafkaProducer<>(props, new ByteArraySerializer(), new ByteArraySerializer())) {
      for (var record : records) {
        producer.send(record).get();
      }
    }
  }

  @Override
  public void close() {
    registry.close();
    platform.close();
  }
}
