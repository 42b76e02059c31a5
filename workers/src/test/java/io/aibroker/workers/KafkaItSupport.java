package io.aibroker.workers;

import io.aibroker.connector.Connector;
import io.aibroker.embedded.EmbeddedKafka;
import io.aibroker.embedded.EmbeddedKafkaConfig;
import io.aibroker.records.DispatchRequest;
import io.aibroker.registry.InMemorySchemaRegistryClient;
import io.aibroker.schemas.RecordSerdes;
import io.aibroker.topics.Topics;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AlterConfigOp;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;

/**
 * An embedded Kafka for the worker ITs, with a Schema Registry in memory. Each test makes its own
 * topics (a prefix of its own) and share group, so tests of one class do not see each other's
 * records. Workers and readers a test opens are closed after it.
 */
abstract class KafkaItSupport {

  /** Lets a group use short acquisition locks (the broker's floor is 15 s by default). */
  static final int MIN_LOCK_MS = 1000;

  @TempDir static Path dataDir;
  static EmbeddedKafka kafka;
  static RecordSerdes serdes;

  private final List<AutoCloseable> opened = new ArrayList<>();

  @BeforeAll
  static void startKafka() {
    kafka =
        new EmbeddedKafka(
            EmbeddedKafkaConfig.builder(dataDir)
                .port(0)
                .brokerProperty(
                    "group.share.min.record.lock.duration.ms", Integer.toString(MIN_LOCK_MS))
                // Members get their partitions within a heartbeat: 5 s by default.
                .brokerProperty("group.share.min.heartbeat.interval.ms", "500")
                .brokerProperty("group.share.heartbeat.interval.ms", "500")
                .build());
    kafka.start();
    serdes = new RecordSerdes(new InMemorySchemaRegistryClient());
  }

  @AfterAll
  static void stopKafka() {
    if (kafka != null) {
      kafka.close();
    }
  }

  @AfterEach
  void closeOpened() throws Exception {
    for (AutoCloseable resource : opened.reversed()) {
      resource.close();
    }
    opened.clear();
  }

  <T extends AutoCloseable> T closeAfter(T resource) {
    opened.add(resource);
    return resource;
  }

  static Map<String, Object> client() {
    Map<String, Object> props = new HashMap<>();
    props.put("bootstrap.servers", kafka.bootstrapServers());
    return props;
  }

  /** Creates every topic under {@code prefix} (3 partitions each) for {@code providers}. */
  static Topics topics(String prefix, String... providers) throws Exception {
    Topics topics = new Topics(prefix);
    try (Admin admin = Admin.create(client())) {
      admin
          .createTopics(
              topics.all(List.of(providers)).stream()
                  .map(name -> new NewTopic(name, 3, (short) 1))
                  .toList())
          .all()
          .get();
    }
    return topics;
  }

  /** Makes {@code groupId} start at the earliest record, with the given lock duration if > 0. */
  static void shareGroup(String groupId, int lockMs) throws Exception {
    var group = new ConfigResource(ConfigResource.Type.GROUP, groupId);
    List<AlterConfigOp> ops = new ArrayList<>();
    ops.add(set("share.auto.offset.reset", "earliest"));
    if (lockMs > 0) {
      ops.add(set("share.record.lock.duration.ms", Integer.toString(lockMs)));
    }
    try (Admin admin = Admin.create(client())) {
      admin.incrementalAlterConfigs(Map.of(group, ops)).all().get();
    }
  }

  private static AlterConfigOp set(String name, String value) {
    return new AlterConfigOp(new ConfigEntry(name, value), AlterConfigOp.OpType.SET);
  }

  static void dispatch(Topics topics, String provider, List<DispatchRequest> dispatches) {
    try (var producer =
        new KafkaProducer<>(client(), new StringSerializer(), serdes.dispatches().serializer())) {
      for (DispatchRequest dispatch : dispatches) {
        producer.send(
            new ProducerRecord<>(topics.dispatch(provider), dispatch.getRequestId(), dispatch));
      }
    }
  }

  static RecordMetadata produceBytes(String topic, String key, byte[] value) throws Exception {
    try (var producer =
        new KafkaProducer<>(client(), new StringSerializer(), new ByteArraySerializer())) {
      return producer.send(new ProducerRecord<>(topic, key, value)).get();
    }
  }

  Worker startWorker(
      WorkerConfig config, String provider, Connector connector, MeterRegistry registry) {
    Worker worker =
        closeAfter(
            new Worker(
                config,
                Map.of(provider, connector),
                serdes,
                client(),
                Clock.systemUTC(),
                registry));
    worker.start();
    return worker;
  }

  Worker startWorker(WorkerConfig config, String provider, Connector connector) {
    return startWorker(config, provider, connector, new SimpleMeterRegistry());
  }

  <T> TopicTail<T> tail(
      String topic, org.apache.kafka.common.serialization.Deserializer<T> values) {
    return closeAfter(new TopicTail<>(client(), topic, values));
  }
}
