package io.aibroker.embedded;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.AlterConfigOp;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.AcknowledgeType;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.KafkaShareConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

class EmbeddedKafkaIT {
  private static final Logger LOG = LoggerFactory.getLogger(EmbeddedKafkaIT.class);

  @TempDir static Path sharedDir;
  private static EmbeddedKafka kafka;

  @BeforeAll
  static void startShared() {
    kafka = new EmbeddedKafka(EmbeddedKafkaConfig.builder(sharedDir).port(0).build()).start();
  }

  @AfterAll
  static void stopShared() {
    kafka.close();
  }

  @Test
  void dataTopicsAndClusterIdSurviveARestartOnTheSameDir(@TempDir Path dir) throws Exception {
    EmbeddedKafkaConfig config = EmbeddedKafkaConfig.builder(dir).port(0).build();
    String clusterId;
    String bootstrap;
    try (EmbeddedKafka first = new EmbeddedKafka(config).start()) {
      LOG.info("first start took {} ms", first.lastStartupTime().toMillis());
      assertThat(first.isRunning()).isTrue();
      clusterId = first.clusterId();
      bootstrap = first.bootstrapServers();
      assertThat(bootstrap).startsWith("127.0.0.1:");
      try (Admin admin = admin(bootstrap)) {
        createTopic(admin, "events", 3, Map.of());
        createTopic(
            admin,
            "state",
            1,
            Map.of(TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_COMPACT));
        assertThat(admin.describeCluster().clusterId().get()).isEqualTo(clusterId);
      }
      produce(bootstrap, "events", "k1", "hello");
      produce(bootstrap, "state", "key", "v1");
      assertThat(consumeAll(bootstrap, "events", 1)).containsExactly("k1=hello");
      first.close();
      first.close(); // idempotent
      assertThat(first.isRunning()).isFalse();
    }

    try (EmbeddedKafka second = new EmbeddedKafka(config).start()) {
      LOG.info("restart took {} ms", second.lastStartupTime().toMillis());
      assertThat(second.clusterId()).isEqualTo(clusterId);
      try (Admin admin = admin(second.bootstrapServers())) {
        assertThat(admin.describeCluster().clusterId().get()).isEqualTo(clusterId);
        assertThat(admin.listTopics().names().get()).contains("events", "state");
        ConfigResource state = new ConfigResource(ConfigResource.Type.TOPIC, "state");
        String policy =
            admin
                .describeConfigs(List.of(state))
                .all()
                .get()
                .get(state)
                .get(TopicConfig.CLEANUP_POLICY_CONFIG)
                .value();
        assertThat(policy).isEqualTo(TopicConfig.CLEANUP_POLICY_COMPACT);
      }
      assertThat(consumeAll(second.bootstrapServers(), "events", 1)).containsExactly("k1=hello");
      assertThat(consumeAll(second.bootstrapServers(), "state", 1)).containsExactly("key=v1");
    }
  }

  @Test
  void theSameInstanceCanBeRestartedAndKeepsItsPort(@TempDir Path dir) throws Exception {
    try (EmbeddedKafka node =
        new EmbeddedKafka(EmbeddedKafkaConfig.builder(dir).port(0).build()).start()) {
      String bootstrap = node.bootstrapServers();
      try (Admin admin = admin(bootstrap)) {
        createTopic(admin, "kept", 1, Map.of());
      }
      node.close();
      node.start();
      LOG.info("same-instance restart took {} ms", node.lastStartupTime().toMillis());
      assertThat(node.bootstrapServers()).isEqualTo(bootstrap);
      produce(bootstrap, "kept", "k", "v");
      assertThat(consumeAll(bootstrap, "kept", 1)).containsExactly("k=v");
    }
  }

  @Test
  void aDifferentConfiguredClusterIdForAnExistingDirIsRefused() {
    EmbeddedKafka other =
        new EmbeddedKafka(
            EmbeddedKafkaConfig.builder(sharedDir)
                .port(0)
                .clusterId("AAAAAAAAAAAAAAAAAAAAAA")
                .build());
    assertThatThrownBy(other::start)
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("formatted for cluster");
  }

  @Test
  void topicsAreNotAutoCreatedAndDefaultToSixPartitions() throws Exception {
    try (Admin admin = admin(kafka.bootstrapServers())) {
      admin
          .createTopics(
              List.of(new NewTopic("six", java.util.Optional.empty(), java.util.Optional.empty())))
          .all()
          .get();
      assertThat(admin.describeTopics(List.of("six")).allTopicNames().get().get("six").partitions())
          .hasSize(6);
      ConfigResource broker = new ConfigResource(ConfigResource.Type.BROKER, "1");
      ConfigEntry autoCreate =
          admin
              .describeConfigs(List.of(broker))
              .all()
              .get()
              .get(broker)
              .get("auto.create.topics.enable");
      assertThat(autoCreate.value()).isEqualTo("false");
    }
    produce(kafka.bootstrapServers(), "never-created", "k", "v", false);
  }

  @Test
  void shareGroupFeatureIsEnabled() throws Exception {
    try (Admin admin = admin(kafka.bootstrapServers())) {
      var features = admin.describeFeatures().featureMetadata().get().finalizedFeatures();
      assertThat(features).containsKey("share.version");
      assertThat(features.get("share.version").maxVersionLevel()).isGreaterThanOrEqualTo((short) 1);
      assertThat(features.get("transaction.version").maxVersionLevel())
          .isGreaterThanOrEqualTo((short) 2);
    }
  }

  @Test
  void shareConsumerWithExplicitAcknowledgementReceivesEarlierRecords() throws Exception {
    String topic = "share-" + UUID.randomUUID();
    String group = "workers-" + UUID.randomUUID();
    try (Admin admin = admin(kafka.bootstrapServers())) {
      createTopic(admin, topic, 2, Map.of());
      // A share group starts at the latest offset unless told otherwise.
      ConfigResource groupResource = new ConfigResource(ConfigResource.Type.GROUP, group);
      admin
          .incrementalAlterConfigs(
              Map.of(
                  groupResource,
                  List.of(
                      new AlterConfigOp(
                          new ConfigEntry("share.auto.offset.reset", "earliest"),
                          AlterConfigOp.OpType.SET))))
          .all()
          .get();
    }
    for (int i = 0; i < 10; i++) {
      produce(kafka.bootstrapServers(), topic, "k" + i, "v" + i);
    }

    Map<String, Object> props =
        Map.of(
            ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG,
            kafka.bootstrapServers(),
            ConsumerConfig.GROUP_ID_CONFIG,
            group,
            "share.acknowledgement.mode",
            "explicit",
            ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG,
            StringDeserializer.class,
            ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG,
            StringDeserializer.class);
    Set<String> received = new HashSet<>();
    try (KafkaShareConsumer<String, String> consumer = new KafkaShareConsumer<>(props)) {
      consumer.subscribe(List.of(topic));
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
      while (received.size() < 10 && System.nanoTime() < deadline) {
        for (ConsumerRecord<String, String> record : consumer.poll(Duration.ofMillis(500))) {
          received.add(record.value());
          assertThat(record.deliveryCount()).contains((short) 1);
          consumer.acknowledge(record, AcknowledgeType.ACCEPT);
        }
        consumer.commitSync();
      }
    }
    assertThat(received).hasSize(10).contains("v0", "v9");
  }

  @Test
  void transactionalProducerCommitIsVisibleToReadCommittedConsumers() throws Exception {
    String topic = "tx-" + UUID.randomUUID();
    try (Admin admin = admin(kafka.bootstrapServers())) {
      createTopic(admin, topic, 1, Map.of());
    }
    Map<String, Object> props =
        Map.of(
            ProducerConfig.BOOTSTRAP_SERVERS_CONFIG,
            kafka.bootstrapServers(),
            ProducerConfig.TRANSACTIONAL_ID_CONFIG,
            "tx-" + UUID.randomUUID(),
            ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG,
            StringSerializer.class,
            ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG,
            StringSerializer.class);
    try (KafkaProducer<String, String> producer = new KafkaProducer<>(props)) {
      producer.initTransactions();
      producer.beginTransaction();
      producer.send(new ProducerRecord<>(topic, "a", "aborted"));
      producer.abortTransaction();
      producer.beginTransaction();
      producer.send(new ProducerRecord<>(topic, "c", "committed"));
      producer.commitTransaction();
    }
    assertThat(consumeAll(kafka.bootstrapServers(), topic, 1)).containsExactly("c=committed");
  }

  // ---- helpers

  static Admin admin(String bootstrap) {
    return Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap));
  }

  static void createTopic(Admin admin, String name, int partitions, Map<String, String> configs)
      throws Exception {
    admin
        .createTopics(List.of(new NewTopic(name, partitions, (short) 1).configs(configs)))
        .all()
        .get(30, TimeUnit.SECONDS);
  }

  static void produce(String bootstrap, String topic, String key, String value) throws Exception {
    produce(bootstrap, topic, key, value, true);
  }

  /**
   * With {@code expectTopic=false}, checks that producing to a missing topic does not create it.
   */
  private static void produce(
      String bootstrap, String topic, String key, String value, boolean expectTopic)
      throws Exception {
    Map<String, Object> props =
        Map.of(
            ProducerConfig.BOOTSTRAP_SERVERS_CONFIG,
            bootstrap,
            ProducerConfig.ACKS_CONFIG,
            "all",
            ProducerConfig.MAX_BLOCK_MS_CONFIG,
            2_000,
            ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG,
            StringSerializer.class,
            ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG,
            StringSerializer.class);
    try (KafkaProducer<String, String> producer = new KafkaProducer<>(props)) {
      if (expectTopic) {
        producer.send(new ProducerRecord<>(topic, key, value)).get(30, TimeUnit.SECONDS);
      } else {
        assertThatThrownBy(() -> producer.send(new ProducerRecord<>(topic, "k", "v")).get())
            .hasMessageContaining("not present in metadata");
      }
    }
  }

  /** Reads a topic from the beginning (read_committed) until {@code expected} records arrived. */
  static List<String> consumeAll(String bootstrap, String topic, int expected) {
    Map<String, Object> props =
        Map.of(
            ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG,
            bootstrap,
            ConsumerConfig.ISOLATION_LEVEL_CONFIG,
            "read_committed",
            ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG,
            StringDeserializer.class,
            ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG,
            StringDeserializer.class);
    List<String> out = new ArrayList<>();
    try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(props)) {
      List<TopicPartition> partitions =
          consumer.partitionsFor(topic).stream()
              .map(p -> new TopicPartition(topic, p.partition()))
              .toList();
      consumer.assign(partitions);
      consumer.seekToBeginning(partitions);
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
      while (out.size() < expected && System.nanoTime() < deadline) {
        consumer.poll(Duration.ofMillis(200)).forEach(r -> out.add(r.key() + "=" + r.value()));
      }
      // One more short poll so that unexpected extra records would show up.
      consumer.poll(Duration.ofMillis(300)).forEach(r -> out.add(r.key() + "=" + r.value()));
    }
    return out;
  }
}
