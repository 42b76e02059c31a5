package io.aibroker.embedded;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Three brokers and a controller, each its own process: a broker killed with SIGKILL loses no
 * acknowledged record (acks=all, min.insync.replicas 2), producing goes on while it is down, and it
 * comes back on its data dir and catches up.
 */
class EmbeddedKafkaClusterIT {

  @TempDir Path dataDir;

  @Test
  void aKilledBrokerLosesNoAcknowledgedRecordAndRejoinsInSync() throws Exception {
    try (EmbeddedKafkaCluster cluster =
        EmbeddedKafkaCluster.builder(dataDir).heap("-Xmx384m", "-Xmx192m").build().start()) {
      String bootstrap = cluster.bootstrapServers();
      assertThat(bootstrap.split(",")).hasSize(3);
      try (Admin admin = Admin.create(Map.<String, Object>of("bootstrap.servers", bootstrap))) {
        admin.createTopics(List.of(new NewTopic("t", 3, (short) 3))).all().get();
        // the controller has created it; the broker asked may learn of it a moment later
        // (UnknownTopicOrPartitionException until then)
        TopicDescription t =
            Awaitility.await()
                .atMost(Duration.ofSeconds(30))
                .ignoreExceptionsInstanceOf(ExecutionException.class)
                .until(
                    () -> admin.describeTopics(List.of("t")).allTopicNames().get().get("t"),
                    described -> described != null);
        assertThat(t.partitions()).allSatisfy(p -> assertThat(p.replicas()).hasSize(3));
      }
      try (var producer = producer(bootstrap)) {
        send(producer, 0, 500);
        cluster.kill(2);
        assertThat(cluster.isRunning(2)).isFalse();
        send(producer, 500, 1000); // two of three replicas are enough for acks=all
        Duration back = cluster.restart(2);
        assertThat(back).isLessThan(Duration.ofSeconds(60));
        send(producer, 1000, 1500);
      }
      cluster.awaitFullyReplicated(Duration.ofSeconds(60));
      assertThat(readAll(bootstrap, 1500)).hasSize(1500);
      assertThat(cluster.lastStartupTime(2)).isPositive();
    }
  }

  private static KafkaProducer<String, String> producer(String bootstrap) {
    return new KafkaProducer<>(
        Map.of(
            ProducerConfig.BOOTSTRAP_SERVERS_CONFIG,
            bootstrap,
            ProducerConfig.ACKS_CONFIG,
            "all",
            ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG,
            true,
            ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG,
            60_000),
        new StringSerializer(),
        new StringSerializer());
  }

  private static void send(KafkaProducer<String, String> producer, int from, int to)
      throws Exception {
    List<Future<RecordMetadata>> sent = new ArrayList<>();
    for (int i = from; i < to; i++) {
      sent.add(producer.send(new ProducerRecord<>("t", "k" + i, "v" + i)));
    }
    for (Future<RecordMetadata> f : sent) {
      f.get(60, TimeUnit.SECONDS);
    }
  }

  private static List<String> readAll(String bootstrap, int expected) {
    List<String> values = new ArrayList<>();
    try (var consumer =
        new KafkaConsumer<>(
            Map.<String, Object>of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                ConsumerConfig.GROUP_ID_CONFIG, "check",
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest"),
            new StringDeserializer(),
            new StringDeserializer())) {
      consumer.subscribe(List.of("t"));
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
      while (values.size() < expected && System.nanoTime() < deadline) {
        for (ConsumerRecord<String, String> r : consumer.poll(Duration.ofMillis(500))) {
          values.add(r.value());
        }
      }
    }
    return values;
  }
}
