package io.aibroker.embedded;

import io.aibroker.registry.CompatibilityLevel;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@link SchemaLog} on a compacted single-partition Kafka topic, like Confluent's {@code _schemas}.
 * Writes are synchronous (acks=all, idempotent), so an acknowledged change survives a crash.
 */
final class KafkaSchemaLog implements SchemaLog, AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(KafkaSchemaLog.class);

  private final String bootstrapServers;
  private final Map<String, Object> clientProperties;
  private final String topic;
  private final Duration timeout;
  private final KafkaProducer<byte[], byte[]> producer;

  KafkaSchemaLog(String bootstrapServers, String topic, Duration timeout) {
    this(bootstrapServers, Map.of(), topic, timeout);
  }

  /** As above, with connection settings (security) for every Kafka client of the log. */
  KafkaSchemaLog(
      String bootstrapServers,
      Map<String, Object> clientProperties,
      String topic,
      Duration timeout) {
    this.bootstrapServers = bootstrapServers;
    this.clientProperties = Map.copyOf(clientProperties);
    this.topic = topic;
    this.timeout = timeout;
    int timeoutMs = (int) timeout.toMillis();
    this.producer =
        new KafkaProducer<>(
            withClientProperties(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG,
                bootstrapServers,
                ProducerConfig.CLIENT_ID_CONFIG,
                "embedded-schema-registry",
                ProducerConfig.ACKS_CONFIG,
                "all",
                ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG,
                true,
                ProducerConfig.LINGER_MS_CONFIG,
                0,
                ProducerConfig.MAX_BLOCK_MS_CONFIG,
                timeoutMs,
                ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG,
                timeoutMs,
                ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG,
                timeoutMs * 2),
            new ByteArraySerializer(),
            new ByteArraySerializer());
  }

  /**
   * Creates the topic if it does not exist (1 partition, compacted, replicated to up to 3 brokers)
   * and refuses a topic that would lose or reorder registry records.
   */
  void ensureTopic() {
    try (Admin admin = Admin.create(adminConfig())) {
      int brokers = admin.describeCluster().nodes().get(seconds(), TimeUnit.SECONDS).size();
      short replication = (short) Math.max(1, Math.min(3, brokers));
      NewTopic newTopic =
          new NewTopic(topic, 1, replication)
              .configs(
                  Map.of(TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_COMPACT));
      try {
        admin.createTopics(List.of(newTopic)).all().get(seconds(), TimeUnit.SECONDS);
        LOG.info("Created schema topic {} (replication {})", topic, replication);
      } catch (ExecutionException e) {
        if (!(e.getCause() instanceof TopicExistsException)) {
          throw e;
        }
      }
      TopicDescription description = describeOnceKnown(admin);
      if (description.partitions().size() != 1) {
        throw new IllegalStateException(
            "Schema topic "
                + topic
                + " must have 1 partition, has "
                + description.partitions().size());
      }
      ConfigResource resource = new ConfigResource(ConfigResource.Type.TOPIC, topic);
      Config config =
          admin
              .describeConfigs(List.of(resource))
              .all()
              .get(seconds(), TimeUnit.SECONDS)
              .get(resource);
      String policy = config.get(TopicConfig.CLEANUP_POLICY_CONFIG).value();
      if (!TopicConfig.CLEANUP_POLICY_COMPACT.equals(policy)) {
        throw new IllegalStateException(
            "Schema topic " + topic + " must be compacted, has cleanup.policy=" + policy);
      }
    } catch (ExecutionException | TimeoutException e) {
      throw new IllegalStateException("Cannot prepare schema topic " + topic, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("Interrupted while preparing schema topic " + topic, e);
    }
  }

  /**
   * Describes the topic, waiting for it to show up: right after creation the broker's metadata may
   * not have it yet, which it reports as UnknownTopicOrPartition.
   */
  private TopicDescription describeOnceKnown(Admin admin)
      throws ExecutionException, TimeoutException, InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds());
    while (true) {
      try {
        return admin
            .describeTopics(List.of(topic))
            .allTopicNames()
            .get(seconds(), TimeUnit.SECONDS)
            .get(topic);
      } catch (ExecutionException e) {
        if (!(e.getCause() instanceof UnknownTopicOrPartitionException)
            || System.nanoTime() > deadline) {
          throw e;
        }
        Thread.sleep(50);
      }
    }
  }

  /** Reads the topic from the beginning to its current end into {@code state}. */
  void replay(RegistryState state) {
    TopicPartition partition = new TopicPartition(topic, 0);
    Map<String, Object> config =
        withClientProperties(
            ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG,
            bootstrapServers,
            ConsumerConfig.CLIENT_ID_CONFIG,
            "embedded-schema-registry-reader",
            ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG,
            false,
            ConsumerConfig.DEFAULT_API_TIMEOUT_MS_CONFIG,
            (int) timeout.toMillis());
    try (KafkaConsumer<byte[], byte[]> consumer =
        new KafkaConsumer<>(config, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
      consumer.assign(List.of(partition));
      consumer.seekToBeginning(List.of(partition));
      long end = consumer.endOffsets(List.of(partition)).get(partition);
      long deadline = System.nanoTime() + timeout.toNanos();
      long records = 0;
      while (consumer.position(partition) < end) {
        if (System.nanoTime() > deadline) {
          throw new IllegalStateException(
              "Schema topic " + topic + " not read to offset " + end + " within " + timeout);
        }
        for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(200))) {
          SchemasTopicCodec.apply(record.key(), record.value(), state);
          records++;
        }
      }
      LOG.info("Read {} records of schema topic {} up to offset {}", records, topic, end);
    }
  }

  @Override
  public void writeSchema(RegisteredSchema schema) {
    send(
        SchemasTopicCodec.schemaKey(schema.subject(), schema.version()),
        SchemasTopicCodec.schemaValue(schema));
  }

  @Override
  public void deleteSchema(String subject, int version) {
    send(SchemasTopicCodec.schemaKey(subject, version), null);
  }

  @Override
  public void writeLevel(String subject, CompatibilityLevel level) {
    send(
        SchemasTopicCodec.configKey(subject),
        level == null ? null : SchemasTopicCodec.configValue(level));
  }

  private void send(byte[] key, byte[] value) {
    try {
      producer
          .send(new ProducerRecord<>(topic, 0, key, value))
          .get(timeout.toMillis() * 3, TimeUnit.MILLISECONDS);
    } catch (ExecutionException | TimeoutException | KafkaException e) {
      throw RegistryException.storeError("write to " + topic + " failed", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw RegistryException.storeError("interrupted while writing to " + topic, e);
    }
  }

  private Map<String, Object> adminConfig() {
    return withClientProperties(
        AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG,
        bootstrapServers,
        AdminClientConfig.CLIENT_ID_CONFIG,
        "embedded-schema-registry-admin",
        AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG,
        (int) timeout.toMillis());
  }

  /** The client properties, then these key-value pairs over them. */
  private Map<String, Object> withClientProperties(Object... keysAndValues) {
    Map<String, Object> config = new HashMap<>(clientProperties);
    for (int i = 0; i < keysAndValues.length; i += 2) {
      config.put((String) keysAndValues[i], keysAndValues[i + 1]);
    }
    return config;
  }

  private long seconds() {
    return Math.max(1, timeout.toSeconds());
  }

  @Override
  public void close() {
    producer.close(Duration.ofSeconds(5));
  }
}
