package io.aibroker.broker;

import static io.aibroker.broker.TestRequests.chat;
import static org.assertj.core.api.Assertions.assertThat;

import io.aibroker.embedded.EmbeddedKafka;
import io.aibroker.embedded.EmbeddedKafkaConfig;
import io.aibroker.embedded.EmbeddedSchemaRegistry;
import io.aibroker.records.InferenceRequest;
import io.aibroker.registry.RestSchemaRegistryClient;
import io.aibroker.registry.SchemaRegistryConfig;
import io.aibroker.schemas.RecordSerdes;
import io.aibroker.topics.Topics;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.KafkaStreams;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The broker topology on a real embedded Kafka with exactly-once processing. */
class BrokerPipelineIT {

  @TempDir static Path dir;
  static EmbeddedKafka kafka;
  static EmbeddedSchemaRegistry registry;
  static KafkaStreams streams;
  static RecordSerdes serdes;
  static final Topics TOPICS = Topics.defaults();

  @BeforeAll
  static void start() throws Exception {
    kafka = new EmbeddedKafka(EmbeddedKafkaConfig.builder(dir.resolve("kafka")).port(0).build());
    kafka.start();
    registry = EmbeddedSchemaRegistry.builder(kafka.bootstrapServers()).port(0).build();
    registry.start();
    serdes =
        new RecordSerdes(new RestSchemaRegistryClient(SchemaRegistryConfig.of(registry.url())));
    try (Admin admin = Admin.create(client())) {
      List<NewTopic> topics = new ArrayList<>();
      for (String name : TOPICS.all(List.of("simulated", "backup"))) {
        topics.add(new NewTopic(name, 3, (short) 1));
      }
      admin.createTopics(topics).all().get();
    }
    BrokerConfig config = TestRequests.config(TenantDefaults.unlimited());
    Properties props = new Properties();
    props.putAll(config.streamsProperties(client()));
    props.put("state.dir", dir.resolve("streams").toString());
    streams =
        new KafkaStreams(
            BrokerTopology.build(
                config,
                serdes,
                new BrokerMetrics(new io.micrometer.core.instrument.simple.SimpleMeterRegistry()),
                topic -> true,
                Clock.systemUTC()),
            props);
    streams.start();
    Awaitility.await()
        .atMost(Duration.ofSeconds(60))
        .until(() -> streams.state() == KafkaStreams.State.RUNNING);
  }

  @AfterAll
  static void stop() {
    if (streams != null) {
      streams.close(Duration.ofSeconds(10));
    }
    if (registry != null) {
      registry.close();
    }
    if (kafka != null) {
      kafka.close();
    }
  }

  static Map<String, Object> client() {
    Map<String, Object> props = new HashMap<>();
    props.put("bootstrap.servers", kafka.bootstrapServers());
    return props;
  }

  @Test
  void sendsUndeserializableRecordsToTheDlqWithTheirCauseAndKeepsProcessing() throws Exception {
    try (var raw =
            new KafkaProducer<>(client(), new StringSerializer(), new ByteArraySerializer());
        var producer =
            new KafkaProducer<>(client(), new StringSerializer(), serdes.requests().serializer())) {
      raw.send(new ProducerRecord<>(TOPICS.requests(), "acme", new byte[] {7, 0, 0, 0, 1, 2}))
          .get();
      InferenceRequest good = chat("dlq-good", "acme", "hi").setCreatedAt(Instant.now()).build();
      producer.send(new ProducerRecord<>(TOPICS.requests(), "acme", good)).get();
    }

    ConsumerRecord<byte[], byte[]> dead = readOne(TOPICS.dlq());
    assertThat(dead.value()).containsExactly(7, 0, 0, 0, 1, 2);
    assertThat(new String(dead.key(), StandardCharsets.UTF_8)).isEqualTo("acme");
    String headers = headers(dead);
    assertThat(headers).contains(TOPICS.requests()).containsIgnoringCase("magic byte 7");

    ConsumerRecord<byte[], byte[]> dispatched = readOne(TOPICS.dispatch("simulated"));
    assertThat(new String(dispatched.key(), StandardCharsets.UTF_8)).isEqualTo("dlq-good");
  }

  private static String headers(ConsumerRecord<byte[], byte[]> record) {
    StringBuilder all = new StringBuilder();
    for (Header header : record.headers()) {
      all.append(header.key()).append('=');
      all.append(new String(header.value(), StandardCharsets.UTF_8)).append('\n');
    }
    return all.toString();
  }

  private static ConsumerRecord<byte[], byte[]> readOne(String topic) {
    Map<String, Object> props = client();
    props.put("group.id", "reader-" + topic);
    props.put("auto.offset.reset", "earliest");
    props.put("isolation.level", "read_committed");
    try (var consumer =
        new KafkaConsumer<>(props, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
      consumer.subscribe(List.of(topic));
      long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
      while (System.nanoTime() < deadline) {
        for (var record : consumer.poll(Duration.ofMillis(200))) {
          return record;
        }
      }
    }
    throw new AssertionError("nothing on " + topic);
  }
}
