package io.aibroker.app.security;

import static org.assertj.core.api.Assertions.assertThat;

import io.aibroker.app.Platform;
import io.aibroker.app.TestPlatforms;
import io.aibroker.app.config.ComponentConfigs;
import io.aibroker.client.AiBrokerClient;
import io.aibroker.client.ResultSubscriber;
import io.aibroker.records.ChatMessage;
import io.aibroker.records.InferenceRequest;
import io.aibroker.records.InferenceResult;
import io.aibroker.records.ResultStatus;
import io.aibroker.records.Task;
import io.aibroker.records.UsageEvent;
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
import java.util.concurrent.CopyOnWriteArrayList;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.common.utils.Utils;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * No tenant sees another's data: identical prompts never share a cache entry across tenants,
 * results go only to the request's tenant and its replyTo, usage is attributed to the tenant that
 * asked, a tenant's ResultSubscriber sees only its results, and a result another tenant has the
 * broker write into our reply topic cannot answer our request.
 */
class TenantIsolationIT {

  private static final String PROMPT = "What is our Q3 revenue forecast?";

  @TempDir static Path dir;
  static Platform platform;
  static RecordSerdes serdes;
  static Topics topics;
  static String tenantA;
  static String tenantB;

  @BeforeAll
  static void start() throws Exception {
    var config = TestPlatforms.config(TestPlatforms.freePorts(dir.resolve("data")));
    platform = Platform.start(config, Clock.systemUTC());
    topics = ComponentConfigs.topics(config);
    serdes =
        new RecordSerdes(
            new RestSchemaRegistryClient(SchemaRegistryConfig.of(platform.schemaRegistryUrl())));
    // Tenants on different partitions, i.e. usually different stream tasks: isolation must not
    // depend on sharing a task, nor on not sharing one (the other test uses the same task).
    int partitions = config.topicPartitions();
    tenantA = "acme";
    tenantB = null;
    for (int i = 0; tenantB == null; i++) {
      String candidate = "globex-" + i;
      if (partition(candidate, partitions) != partition(tenantA, partitions)) {
        tenantB = candidate;
      }
    }
  }

  @AfterAll
  static void stop() {
    if (platform != null) {
      platform.close();
    }
  }

  @Test
  void identicalPromptsOfTwoTenantsNeverShareResultsCacheOrUsage() throws Exception {
    List<InferenceResult> seenByA = new CopyOnWriteArrayList<>();
    List<InferenceResult> seenByB = new CopyOnWriteArrayList<>();
    try (AiBrokerClient a = client();
        AiBrokerClient b = client();
        ResultSubscriber subA = subscriber(tenantA, seenByA);
        ResultSubscriber subB = subscriber(tenantB, seenByB)) {
      InferenceResult a1 = a.submit(request("iso-a1", tenantA)).get();
      InferenceResult b1 = b.submit(request("iso-b1", tenantB)).get();
      InferenceResult a2 = a.submit(request("iso-a2", tenantA)).get();
      InferenceResult b2 = b.submit(request("iso-b2", tenantB)).get();

      assertThat(List.of(a1, b1, a2, b2))
          .extracting(InferenceResult::getStatus)
          .containsOnly(ResultStatus.SUCCEEDED);
      assertThat(a1.getCached()).as("A's first answer").isFalse();
      assertThat(b1.getCached()).as("B's first answer: no hit on A's cache entry").isFalse();
      assertThat(a2.getCached()).as("A's repeat: A's own cache works").isTrue();
      assertThat(b2.getCached()).as("B's repeat: B's own cache").isTrue();
      assertThat(List.of(a1, a2)).extracting(InferenceResult::getTenantId).containsOnly(tenantA);
      assertThat(List.of(b1, b2)).extracting(InferenceResult::getTenantId).containsOnly(tenantB);

      // Each reply topic holds only its tenant's results.
      assertThat(resultsOn(a.resultTopic()))
          .extracting(InferenceResult::getTenantId)
          .containsOnly(tenantA);
      assertThat(resultsOn(b.resultTopic()))
          .extracting(InferenceResult::getTenantId)
          .containsOnly(tenantB);

      // Usage goes to the tenant that asked; the repeat is A's cache hit, not B's.
      Map<String, UsageEvent> usage = usageByRequest();
      assertThat(usage.get("iso-a1").getTenantId()).isEqualTo(tenantA);
      assertThat(usage.get("iso-a2").getTenantId()).isEqualTo(tenantA);
      assertThat(usage.get("iso-a2").getCacheHit()).isTrue();
      assertThat(usage.get("iso-b1").getTenantId()).isEqualTo(tenantB);
      assertThat(usage.get("iso-b1").getCacheHit()).isFalse();
      assertThat(usage.get("iso-b2").getTenantId()).isEqualTo(tenantB);

      // A tenant's subscriber sees its own results and nothing of the other tenant's.
      long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
      while ((ids(seenByA).size() < 2 || ids(seenByB).size() < 2) && System.nanoTime() < deadline) {
        Thread.sleep(200);
      }
      assertThat(ids(seenByA)).containsExactlyInAnyOrder("iso-a1", "iso-a2");
      assertThat(ids(seenByB)).containsExactlyInAnyOrder("iso-b1", "iso-b2");
    }
  }

  @Test
  void aResultAnotherTenantSendsToOurReplyTopicCannotAnswerOurRequest() throws Exception {
    try (AiBrokerClient a = client();
        var spoofer =
            new KafkaProducer<>(
                platform.clientProperties(),
                new StringSerializer(),
                serdes.requests().serializer())) {
      // B reuses A's next requestId and aims its (quickly REJECTED) request at A's reply topic,
      // just before A sends the real one: B's result reaches A's topic while A waits.
      InferenceRequest spoof =
          InferenceRequest.newBuilder(request("iso-shared-1", tenantB))
              .setModel("no-such-model")
              .setReplyTo(a.resultTopic())
              .build();
      spoofer.send(new ProducerRecord<>(topics.requests(), tenantB, spoof)).get();
      InferenceResult result = a.submit(request("iso-shared-1", tenantA)).get();

      assertThat(result.getTenantId()).isEqualTo(tenantA);
      assertThat(result.getStatus()).isEqualTo(ResultStatus.SUCCEEDED);
      assertThat(resultsOn(a.resultTopic()))
          .as("the spoof did land in A's topic, and was ignored")
          .anySatisfy(
              r -> {
                assertThat(r.getRequestId()).isEqualTo("iso-shared-1");
                assertThat(r.getTenantId()).isEqualTo(tenantB);
              });
    }
  }

  // ---- helpers --------------------------------------------------------------------------------

  private static int partition(String key, int partitions) {
    return Utils.toPositive(Utils.murmur2(key.getBytes(StandardCharsets.UTF_8))) % partitions;
  }

  private static AiBrokerClient client() throws Exception {
    String replies = topics.prefix() + ".replies.isolation-" + java.util.UUID.randomUUID();
    TestPlatforms.createTopic(platform.clientProperties(), replies);
    return AiBrokerClient.builder(platform.clientProperties(), serdes)
        .topics(topics)
        .replyTopic(replies)
        .defaultTimeout(Duration.ofSeconds(90))
        .build();
  }

  private static ResultSubscriber subscriber(String tenant, List<InferenceResult> seen) {
    return ResultSubscriber.builder(platform.clientProperties(), serdes)
        .topics(topics)
        .groupId("isolation-" + tenant)
        .tenant(tenant)
        .fromBeginning(true)
        .start(seen::add);
  }

  private static List<String> ids(List<InferenceResult> results) {
    return results.stream().map(InferenceResult::getRequestId).distinct().toList();
  }

  private static InferenceRequest request(String id, String tenant) {
    return InferenceRequest.newBuilder()
        .setRequestId(id)
        .setTenantId(tenant)
        .setTask(Task.CHAT)
        .setModel("chat-default")
        .setMessages(List.of(new ChatMessage("user", PROMPT, null)))
        .setCreatedAt(Instant.now())
        .build();
  }

  private static List<InferenceResult> resultsOn(String topic) {
    var deserializer = serdes.results().deserializer();
    return readAll(topic).stream().map(r -> deserializer.deserialize(topic, r.value())).toList();
  }

  private static Map<String, UsageEvent> usageByRequest() throws InterruptedException {
    var deserializer = serdes.usage().deserializer();
    Map<String, UsageEvent> byRequest = new HashMap<>();
    long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
    while (byRequest.size() < 4 && System.nanoTime() < deadline) {
      for (ConsumerRecord<byte[], byte[]> record : readAll(topics.usage())) {
        UsageEvent event = deserializer.deserialize(topics.usage(), record.value());
        if (event.getRequestId().startsWith("iso-")) {
          byRequest.put(event.getRequestId(), event);
        }
      }
      Thread.sleep(200);
    }
    return byRequest;
  }

  private static List<ConsumerRecord<byte[], byte[]>> readAll(String topic) {
    Map<String, Object> props = new HashMap<>(platform.clientProperties());
    props.put("enable.auto.commit", false);
    props.put("isolation.level", "read_committed");
    try (var consumer =
        new KafkaConsumer<>(props, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
      List<TopicPartition> partitions =
          consumer.partitionsFor(topic, Duration.ofSeconds(10)).stream()
              .map(p -> new TopicPartition(topic, p.partition()))
              .toList();
      consumer.assign(partitions);
      consumer.seekToBeginning(partitions);
      Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
      List<ConsumerRecord<byte[], byte[]>> records = new ArrayList<>();
      long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
      while (System.nanoTime() < deadline
          && !end.entrySet().stream()
              .allMatch(e -> consumer.position(e.getKey()) >= e.getValue())) {
        consumer.poll(Duration.ofMillis(200)).forEach(records::add);
      }
      return records;
    }
  }
}
