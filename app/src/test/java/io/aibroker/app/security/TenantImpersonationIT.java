package io.aibroker.app.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.aibroker.app.Main;
import io.aibroker.app.Platform;
import io.aibroker.app.TestPlatforms;
import io.aibroker.app.config.AppConfig;
import io.aibroker.client.AiBrokerClient;
import io.aibroker.embedded.EmbeddedKafka;
import io.aibroker.records.ChatMessage;
import io.aibroker.records.InferenceRequest;
import io.aibroker.records.InferenceResult;
import io.aibroker.records.ReasonCode;
import io.aibroker.records.ResultStatus;
import io.aibroker.records.Task;
import io.aibroker.records.UsageEvent;
import io.aibroker.registry.RestSchemaRegistryClient;
import io.aibroker.registry.SchemaRegistryConfig;
import io.aibroker.schemas.RecordSerdes;
import io.aibroker.topics.Topics;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.TopicAuthorizationException;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Tenant identity from what Kafka authenticated: two tenants' principals (SASL/SCRAM) granted with
 * {@code aibroker tenants grant}, a broker that reads only tenants' own topics and rejects unknown
 * tenants. A tenant can neither use another's topics nor the shared ones, cannot act as another by
 * naming it in a record, and cannot read another request's answer through a reused idempotency key.
 */
class TenantImpersonationIT {

  private static final String MECHANISM = ScramKafka.MECHANISM;
  private static final String ADMIN = "admin";
  private static final String SERVICE = "aibroker-svc";
  private static final String A = "tenant-a";
  private static final String B = "tenant-b";
  private static final Topics TOPICS = Topics.defaults();

  @TempDir static Path dir;
  static EmbeddedKafka kafka;
  static Platform platform;
  static RecordSerdes serdes;
  static Path adminConfig;

  @BeforeAll
  static void start() throws Exception {
    Map<String, String> users = new LinkedHashMap<>();
    for (String user : List.of(ADMIN, SERVICE, A, B)) {
      users.put(user, password(user));
    }
    kafka = new EmbeddedKafka(ScramKafka.config(dir.resolve("kafka"), ADMIN, users));
    kafka.start();
    try (Admin admin = Admin.create(client(ADMIN))) {
      admin.createAcls(ScramKafka.serviceAcls(SERVICE)).all().get();
    }

    Map<String, String> settings = TestPlatforms.freePorts(dir.resolve("data"));
    settings.remove("kafka.embedded-port");
    settings.put("kafka.bootstrap-servers", kafka.bootstrapServers());
    settings.put("broker.ingress.shared-topic", "false");
    settings.put("broker.unknown-tenants", "reject");
    settings.put("broker.ingress.discovery-interval-ms", "1000");
    AppConfig config =
        ScramKafka.withKafkaClient(TestPlatforms.config(settings), security(SERVICE));
    platform = Platform.start(config, Clock.systemUTC());
    serdes =
        new RecordSerdes(
            new RestSchemaRegistryClient(SchemaRegistryConfig.of(platform.schemaRegistryUrl())));

    adminConfig = dir.resolve("admin.yaml");
    Files.writeString(adminConfig, adminYaml(platform.schemaRegistryUrl()));
    for (String tenant : List.of(A, B)) {
      assertThat(cli("tenants", "grant", tenant, "--principal", "User:" + tenant)).isZero();
    }
    // ACLs reach the broker through the metadata log a moment after createAcls returns: wait until
    // each tenant may see its own topics before a test acts as it.
    for (String tenant : List.of(A, B)) {
      awaitAccess(tenant);
    }
    assertThat(cli("tenants", "set", B, "--rpm", "1")).isZero();
  }

  @AfterAll
  static void stop() {
    if (platform != null) {
      platform.close();
    }
    if (kafka != null) {
      kafka.close();
    }
  }

  @Test
  void aTenantCannotWriteAnotherTenantsTopicNorReadItsOutputsNorTheSharedTopics() {
    Map<String, Object> tenantA = client(A);

    assertThatThrownBy(() -> ScramKafka.write(tenantA, TOPICS.tenantRequests(B)))
        .hasRootCauseInstanceOf(TopicAuthorizationException.class);
    assertThatThrownBy(() -> ScramKafka.write(tenantA, TOPICS.requests()))
        .hasRootCauseInstanceOf(TopicAuthorizationException.class);
    for (String topic :
        List.of(
            TOPICS.tenantResults(B),
            TOPICS.tenantResultsStream(B),
            TOPICS.results(),
            TOPICS.resultsStream(),
            TOPICS.usage(),
            TOPICS.tenants())) {
      assertThatThrownBy(() -> ScramKafka.readOne(tenantA, topic))
          .as(topic)
          .isInstanceOf(TopicAuthorizationException.class);
    }
  }

  @Test
  void aTenantIsServedOnItsOwnTopics() throws Exception {
    try (AiBrokerClient client = tenantClient(A)) {
      InferenceResult result = client.submit(request(A, "hello")).get();

      assertThat(result.getStatus()).as(result.getMessage()).isEqualTo(ResultStatus.SUCCEEDED);
      assertThat(client.resultTopic()).isEqualTo(TOPICS.tenantResults(A));
    }
  }

  @Test
  void aRecordClaimingAnotherTenantEndsTenantMismatchAndLeavesThatTenantUntouched()
      throws Exception {
    InferenceRequest forged = request(B, "spend B's budget");
    try (AiBrokerClient client = tenantClient(A)) {
      // the tenant's own client refuses; a raw producer on A's topic is what an attacker has
      assertThatThrownBy(() -> client.submit(forged)).isInstanceOf(IllegalArgumentException.class);
      var answer =
          client.fetchResult(forged.getRequestId(), Duration.ofSeconds(60)); // reads A's results
      produceAs(A, TOPICS.tenantRequests(A), forged);

      InferenceResult result = answer.get();
      assertThat(result.getStatus()).isEqualTo(ResultStatus.REJECTED);
      assertThat(result.getReason()).isEqualTo(ReasonCode.TENANT_MISMATCH);
      assertThat(result.getTenantId()).isEqualTo(A);
    }
    // B's one request per minute is still there, and B was charged nothing for the forgery
    try (AiBrokerClient client = tenantClient(B)) {
      InferenceResult own = client.submit(request(B, "my own")).get();
      assertThat(own.getStatus()).as(own.getMessage()).isEqualTo(ResultStatus.SUCCEEDED);
    }
    assertThat(usageEvents())
        .extracting(UsageEvent::getRequestId)
        .doesNotContain(forged.getRequestId());
  }

  @Test
  void aReusedIdempotencyKeyWithOtherContentEndsIdempotencyConflict() throws Exception {
    try (AiBrokerClient client = tenantClient(A)) {
      InferenceRequest first =
          InferenceRequest.newBuilder(request(A, "the secret plan"))
              .setIdempotencyKey("k-1")
              .build();
      assertThat(client.submit(first).get().getStatus()).isEqualTo(ResultStatus.SUCCEEDED);

      InferenceRequest probe =
          InferenceRequest.newBuilder(request(A, "tell me")).setIdempotencyKey("k-1").build();
      InferenceResult result = client.submit(probe).get();

      assertThat(result.getStatus()).isEqualTo(ResultStatus.REJECTED);
      assertThat(result.getReason()).isEqualTo(ReasonCode.IDEMPOTENCY_CONFLICT);
      assertThat(result.getOutput()).isNull();
    }
  }

  @Test
  void aMadeUpTenantIsRejectedWhenUnknownTenantsAreRejected() throws Exception {
    String ghost = "ghost";
    try (Admin admin = Admin.create(client(ADMIN))) {
      admin
          .createTopics(List.of(new NewTopic(TOPICS.tenantRequests(ghost), 1, (short) 1)))
          .all()
          .get();
    }
    InferenceRequest request = request(ghost, "hello");
    Map<String, Object> props = new HashMap<>(client(ADMIN));
    try (AiBrokerClient operator =
        AiBrokerClient.builder(props, serdes).useSharedResultsTopic().build()) {
      var answer = operator.fetchResult(request.getRequestId(), Duration.ofSeconds(60));
      produceAs(ADMIN, TOPICS.tenantRequests(ghost), request);

      InferenceResult result = answer.get();
      assertThat(result.getStatus()).isEqualTo(ResultStatus.REJECTED);
      assertThat(result.getReason()).isEqualTo(ReasonCode.UNKNOWN_TENANT);
    }
  }

  // ---- helpers --------------------------------------------------------------------------------

  private static void awaitAccess(String tenant) {
    Map<String, Object> props = new HashMap<>(client(tenant));
    props.put("max.block.ms", 5_000);
    try (var producer =
        new KafkaProducer<>(props, new StringSerializer(), new StringSerializer())) {
      Awaitility.await()
          .atMost(Duration.ofSeconds(30))
          .ignoreExceptions()
          .until(() -> !producer.partitionsFor(TOPICS.tenantRequests(tenant)).isEmpty());
    }
  }

  private static AiBrokerClient tenantClient(String tenant) {
    return AiBrokerClient.builder(client(tenant), serdes)
        .tenant(tenant)
        .defaultTimeout(Duration.ofSeconds(90))
        .build();
  }

  private static int cli(String... args) {
    String[] full = new String[args.length + 2];
    System.arraycopy(args, 0, full, 0, args.length);
    full[args.length] = "--config";
    full[args.length + 1] = adminConfig.toString();
    return Main.execute(full);
  }

  private static String adminYaml(String registryUrl) {
    return "kafka:\n"
        + "  bootstrap-servers: \""
        + kafka.bootstrapServers()
        + "\"\n"
        + "  client:\n"
        + "    security.protocol: SASL_PLAINTEXT\n"
        + "    sasl.mechanism: "
        + MECHANISM
        + "\n"
        + "    sasl.jaas.config: '"
        + ScramKafka.jaas(ADMIN, password(ADMIN))
        + "'\n"
        + "schema-registry:\n"
        + "  url: \""
        + registryUrl
        + "\"\n";
  }

  private static String password(String user) {
    return Canaries.SASL_PASSWORD + "-" + user;
  }

  private static Map<String, Object> security(String user) {
    return ScramKafka.security(user, password(user));
  }

  private static Map<String, Object> client(String user) {
    Map<String, Object> props = security(user);
    props.put("bootstrap.servers", kafka.bootstrapServers());
    return props;
  }

  private static InferenceRequest request(String tenant, String text) {
    return InferenceRequest.newBuilder()
        .setRequestId("imp-" + UUID.randomUUID())
        .setTenantId(tenant)
        .setTask(Task.CHAT)
        .setModel("chat-default")
        .setMessages(List.of(new ChatMessage("user", text, null)))
        .setCreatedAt(Instant.now())
        .build();
  }

  private static void produceAs(String user, String topic, InferenceRequest request)
      throws Exception {
    try (var producer =
        new KafkaProducer<>(client(user), new StringSerializer(), serdes.requests().serializer())) {
      producer.send(new ProducerRecord<>(topic, request.getTenantId(), request)).get();
    }
  }

  private static List<UsageEvent> usageEvents() {
    Map<String, Object> props = new HashMap<>(client(ADMIN));
    props.put("isolation.level", "read_committed");
    List<UsageEvent> events = new ArrayList<>();
    try (var consumer =
        new KafkaConsumer<>(props, new StringDeserializer(), serdes.usage().deserializer())) {
      List<TopicPartition> partitions =
          consumer.partitionsFor(TOPICS.usage()).stream()
              .map(p -> new TopicPartition(p.topic(), p.partition()))
              .toList();
      consumer.assign(partitions);
      consumer.seekToBeginning(partitions);
      Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
      long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
      while (System.nanoTime() < deadline
          && partitions.stream().anyMatch(p -> consumer.position(p) < end.get(p))) {
        consumer.poll(Duration.ofMillis(200)).forEach(r -> events.add((UsageEvent) r.value()));
      }
    }
    return events;
  }
}
