package io.aibroker.workers;

import static org.assertj.core.api.Assertions.assertThat;

import io.aibroker.connector.ConnectorContext;
import io.aibroker.connector.Connectors;
import io.aibroker.embedded.EmbeddedKafka;
import io.aibroker.embedded.EmbeddedKafkaConfig;
import io.aibroker.records.ChatMessage;
import io.aibroker.records.DispatchRequest;
import io.aibroker.records.InferenceRequest;
import io.aibroker.records.ProviderOutcome;
import io.aibroker.records.Route;
import io.aibroker.records.Task;
import io.aibroker.registry.InMemorySchemaRegistryClient;
import io.aibroker.schemas.RecordSerdes;
import io.aibroker.topics.Topics;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AlterConfigOp;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A worker on a real embedded Kafka: dispatch records in, one outcome per request out. */
class WorkerIT {

  static final Topics TOPICS = Topics.defaults();
  static final Route ROUTE = new Route("simulated", "local", "sim-chat-1");
  @TempDir static Path dir;
  static EmbeddedKafka kafka;
  static RecordSerdes serdes = new RecordSerdes(new InMemorySchemaRegistryClient());

  @BeforeAll
  static void start() throws Exception {
    kafka = new EmbeddedKafka(EmbeddedKafkaConfig.builder(dir).port(0).build());
    kafka.start();
    try (Admin admin = Admin.create(client())) {
      admin
          .createTopics(
              List.of(
                  new NewTopic(TOPICS.dispatch("simulated"), 3, (short) 1),
                  new NewTopic(TOPICS.outcomes(), 3, (short) 1)))
          .all()
          .get();
      var group = new ConfigResource(ConfigResource.Type.GROUP, "workers-it");
      admin
          .incrementalAlterConfigs(
              Map.of(
                  group,
                  List.of(
                      new AlterConfigOp(
                          new ConfigEntry("share.auto.offset.reset", "earliest"),
                          AlterConfigOp.OpType.SET))))
          .all()
          .get();
    }
  }

  @AfterAll
  static void stop() {
    kafka.close();
  }

  static Map<String, Object> client() {
    Map<String, Object> props = new HashMap<>();
    props.put("bootstrap.servers", kafka.bootstrapServers());
    return props;
  }

  @Test
  void reportsExactlyOneSuccessfulOutcomePerDispatchedRequest() throws Exception {
    int count = 200;
    try (var producer =
        new KafkaProducer<>(client(), new StringSerializer(), serdes.dispatches().serializer())) {
      for (int i = 0; i < count; i++) {
        DispatchRequest dispatch = dispatch("req-" + i, "tenant-" + (i % 7));
        producer.send(
            new ProducerRecord<>(TOPICS.dispatch("simulated"), dispatch.getRequestId(), dispatch));
      }
    }
    var connector =
        Connectors.create("simulated", Map.of("latency", "10ms"), ConnectorContext.defaults());
    var config =
        new WorkerConfig(
            TOPICS, "workers-it", "worker-1", List.of("simulated"), 50, Duration.ofSeconds(10));
    Map<String, ProviderOutcome> outcomes = new ConcurrentHashMap<>();
    try (var worker =
        new Worker(config, Map.of("simulated", connector), serdes, client(), Clock.systemUTC())) {
      worker.start();
      readOutcomes(outcomes, count);
    }

    assertThat(outcomes).hasSize(count);
    assertThat(outcomes.values()).allSatisfy(o -> assertThat(o.getSuccess()).isTrue());
    ProviderOutcome first = outcomes.get("req-0");
    assertThat(first.getTenantId()).isEqualTo("tenant-0");
    assertThat(first.getOutput().getText()).isNotBlank();
    assertThat(first.getUsage().getOutputTokens()).isPositive();
    assertThat(first.getWorkerId()).isEqualTo("worker-1");
  }

  private static void readOutcomes(Map<String, ProviderOutcome> outcomes, int expected) {
    Map<String, Object> props = client();
    props.put("group.id", "outcome-reader");
    props.put("auto.offset.reset", "earliest");
    try (var consumer =
        new KafkaConsumer<>(props, new StringDeserializer(), serdes.outcomes().deserializer())) {
      consumer.subscribe(List.of(TOPICS.outcomes()));
      Awaitility.await()
          .atMost(Duration.ofSeconds(60))
          .until(
              () -> {
                for (var record : consumer.poll(Duration.ofMillis(200))) {
                  ProviderOutcome previous =
                      outcomes.put(record.value().getRequestId(), record.value());
                  assertThat(previous).as("a second outcome").isNull();
                }
                return outcomes.size() >= expected;
              });
    }
  }

  private static DispatchRequest dispatch(String requestId, String tenant) {
    InferenceRequest request =
        InferenceRequest.newBuilder()
            .setRequestId(requestId)
            .setTenantId(tenant)
            .setTask(Task.CHAT)
            .setModel("chat-default")
            .setMessages(List.of(new ChatMessage("user", "hello " + requestId)))
            .setCreatedAt(Instant.now())
            .build();
    return DispatchRequest.newBuilder()
        .setRequestId(requestId)
        .setTenantId(tenant)
        .setRequest(request)
        .setRoute(ROUTE)
        .setDispatchedAt(Instant.now())
        .build();
  }
}
