package io.aibroker.app.cli;

import io.aibroker.app.Main;
import io.aibroker.app.TopicProvisioner;
import io.aibroker.embedded.EmbeddedKafka;
import io.aibroker.embedded.EmbeddedKafkaConfig;
import io.aibroker.embedded.EmbeddedSchemaRegistry;
import io.aibroker.registry.RestSchemaRegistryClient;
import io.aibroker.registry.SchemaRegistryConfig;
import io.aibroker.schemas.RecordSerdes;
import io.aibroker.topics.Topics;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.Serializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * An embedded Kafka and Schema Registry on free ports with aibroker's topics, for running CLI verbs
 * against. Lighter than a whole platform: no broker topology, no workers.
 */
final class CliCluster implements AutoCloseable {

  /** What a command printed and returned. */
  record Run(int exitCode, String out, String err) {}

  /** Partitions per topic: more than one, so readers must combine partitions. */
  static final int PARTITIONS = 3;

  private final EmbeddedKafka kafka;
  private final EmbeddedSchemaRegistry registry;
  private final RestSchemaRegistryClient registryClient;
  private final RecordSerdes serdes;

  private CliCluster(EmbeddedKafka kafka, EmbeddedSchemaRegistry registry) {
    this.kafka = kafka;
    this.registry = registry;
    this.registryClient = new RestSchemaRegistryClient(SchemaRegistryConfig.of(registry.url()));
    this.serdes = new RecordSerdes(registryClient);
  }

  /** Starts Kafka and the registry with data under {@code dir} and creates the topics. */
  static CliCluster start(Path dir) throws InterruptedException {
    EmbeddedKafka kafka =
        new EmbeddedKafka(EmbeddedKafkaConfig.builder(dir.resolve("kafka")).port(0).build())
            .start();
    EmbeddedSchemaRegistry registry = null;
    try {
      registry = EmbeddedSchemaRegistry.builder(kafka.bootstrapServers()).port(0).build().start();
      try (Admin admin = Admin.create(Map.of("bootstrap.servers", kafka.bootstrapServers()))) {
        new TopicProvisioner(admin, Topics.defaults(), PARTITIONS, (short) 1)
            .ensureTopics(List.of());
      }
      return new CliCluster(kafka, registry);
    } catch (RuntimeException | InterruptedException e) {
      if (registry != null) {
        registry.close();
      }
      kafka.close();
      throw e;
    }
  }

  String bootstrapServers() {
    return kafka.bootstrapServers();
  }

  RecordSerdes serdes() {
    return serdes;
  }

  /** The topic names that exist now. */
  Set<String> topicNames() throws Exception {
    try (Admin admin = Admin.create(Map.of("bootstrap.servers", kafka.bootstrapServers()))) {
      return admin.listTopics().names().get();
    }
  }

  /** Runs {@code aibroker ARGS... --bootstrap-servers ... --schema-registry-url ...}. */
  Run run(String... args) {
    String[] full = new String[args.length + 4];
    System.arraycopy(args, 0, full, 0, args.length);
    full[args.length] = "--bootstrap-servers";
    full[args.length + 1] = kafka.bootstrapServers();
    full[args.length + 2] = "--schema-registry-url";
    full[args.length + 3] = registry.url();
    return runExactly(full);
  }

  /** Runs {@code aibroker ARGS...} capturing its output. */
  static synchronized Run runExactly(String... args) {
    PrintStream out = System.out;
    PrintStream err = System.err;
    var outBytes = new ByteArrayOutputStream();
    var errBytes = new ByteArrayOutputStream();
    try {
      System.setOut(new PrintStream(outBytes, true, StandardCharsets.UTF_8));
      System.setErr(new PrintStream(errBytes, true, StandardCharsets.UTF_8));
      int code = Main.execute(args);
      System.out.flush();
      System.err.flush();
      return new Run(
          code,
          outBytes.toString(StandardCharsets.UTF_8),
          errBytes.toString(StandardCharsets.UTF_8));
    } finally {
      System.setOut(out);
      System.setErr(err);
    }
  }

  /** Writes records to a topic and waits until they are acknowledged. */
  <V> void produce(String topic, Serializer<V> values, List<ProducerRecord<String, V>> records)
      throws Exception {
    Map<String, Object> props =
        Map.of("bootstrap.servers", kafka.bootstrapServers(), "acks", "all");
    try (var producer = new KafkaProducer<>(props, new StringSerializer(), values)) {
      for (ProducerRecord<String, V> record : records) {
        producer.send(record).get();
      }
    }
  }

  @Override
  public void close() {
    registryClient.close();
    registry.close();
    kafka.close();
  }
}
