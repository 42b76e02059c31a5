package io.aibroker.app.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.aibroker.app.Platform;
import io.aibroker.app.TestPlatforms;
import io.aibroker.client.AiBrokerClient;
import io.aibroker.embedded.EmbeddedKafka;
import io.aibroker.embedded.EmbeddedKafkaConfig;
import io.aibroker.records.ChatMessage;
import io.aibroker.records.InferenceRequest;
import io.aibroker.records.InferenceResult;
import io.aibroker.records.ResultStatus;
import io.aibroker.records.Task;
import io.aibroker.registry.RestSchemaRegistryClient;
import io.aibroker.registry.SchemaRegistryConfig;
import io.aibroker.schemas.RecordSerdes;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.acl.AccessControlEntry;
import org.apache.kafka.common.acl.AclBinding;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.acl.AclPermissionType;
import org.apache.kafka.common.errors.SaslAuthenticationException;
import org.apache.kafka.common.errors.TopicAuthorizationException;
import org.apache.kafka.common.resource.PatternType;
import org.apache.kafka.common.resource.ResourcePattern;
import org.apache.kafka.common.resource.ResourceType;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * aibroker on a Kafka that authenticates with SASL/SCRAM-SHA-512 and authorizes with ACLs
 * (StandardAuthorizer, no access without an ACL): the service principal runs the broker, workers,
 * registry and HTTP client with nothing but {@code kafka.client} settings (so every client the app
 * creates takes them), and a tenant's principal can write requests and read its own reply topic
 * only.
 */
class KafkaSecurityIT {

  private static final String MECHANISM = "SCRAM-SHA-512";
  private static final String ADMIN = "admin";
  private static final String SERVICE = "aibroker-svc";
  private static final String TENANT_A = "tenant-a";
  private static final String TENANT_B = "tenant-b";
  private static final String REPLIES_A = "aibroker.replies.tenant-a";
  private static final String REPLIES_B = "aibroker.replies.tenant-b";

  @TempDir static Path dir;
  static EmbeddedKafka kafka;
  static Platform platform;
  static RecordSerdes serdes;

  @BeforeAll
  static void start() throws Exception {
    String jaasAdmin = jaas(ADMIN, Canaries.SASL_PASSWORD + "-admin");
    kafka =
        new EmbeddedKafka(
            EmbeddedKafkaConfig.builder(dir.resolve("kafka"))
                .port(0)
                // The client listener keeps its name but speaks SASL; the controller listener
                // (loopback, combined node) stays PLAINTEXT, so its ANONYMOUS principal is super.
                .brokerProperty(
                    "listener.security.protocol.map",
                    "PLAINTEXT:SASL_PLAINTEXT,CONTROLLER:PLAINTEXT")
                .brokerProperty("sasl.enabled.mechanisms", MECHANISM)
                .brokerProperty("sasl.mechanism.inter.broker.protocol", MECHANISM)
                .brokerProperty("listener.name.plaintext.scram-sha-512.sasl.jaas.config", jaasAdmin)
                .brokerProperty(
                    "authorizer.class.name",
                    "org.apache.kafka.metadata.authorizer.StandardAuthorizer")
                .brokerProperty("super.users", "User:" + ADMIN + ";User:ANONYMOUS")
                .brokerProperty("allow.everyone.if.no.acl.found", "false")
                .scramCredential(MECHANISM, ADMIN, Canaries.SASL_PASSWORD + "-admin")
                .scramCredential(MECHANISM, SERVICE, Canaries.SASL_PASSWORD + "-svc")
                .scramCredential(MECHANISM, TENANT_A, Canaries.SASL_PASSWORD + "-a")
                .scramCredential(MECHANISM, TENANT_B, Canaries.SASL_PASSWORD + "-b")
                .clientProperty("security.protocol", "SASL_PLAINTEXT")
                .clientProperty("sasl.mechanism", MECHANISM)
                .clientProperty("sasl.jaas.config", jaasAdmin)
                .build());
    kafka.start();
    try (Admin admin = Admin.create(client(ADMIN, Canaries.SASL_PASSWORD + "-admin"))) {
      admin.createAcls(acls()).all().get();
      admin
          .createTopics(
              List.of(new NewTopic(REPLIES_A, 1, (short) 1), new NewTopic(REPLIES_B, 1, (short) 1)))
          .all()
          .get();
    }

    Map<String, String> settings = TestPlatforms.freePorts(dir.resolve("data"));
    settings.remove("kafka.embedded-port");
    settings.put("kafka.bootstrap-servers", kafka.bootstrapServers());
    var config = TestPlatforms.config(settings);
    Map<String, Object> security = securitySettings(SERVICE, Canaries.SASL_PASSWORD + "-svc");
    config =
        new io.aibroker.app.config.AppConfig(
            config.dataDir(),
            config.topics(),
            new io.aibroker.app.config.AppConfig.KafkaConfig(
                config.kafka().bootstrapServers(),
                config.kafka().embeddedHost(),
                config.kafka().embeddedPort(),
                security),
            config.schemaRegistry(),
            config.http(),
            config.logging(),
            config.broker(),
            config.workers(),
            config.connectors(),
            config.models(),
            config.aliases(),
            config.prices());
    platform = Platform.start(config, Clock.systemUTC());
    serdes =
        new RecordSerdes(
            new RestSchemaRegistryClient(SchemaRegistryConfig.of(platform.schemaRegistryUrl())));
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
  void aTenantPrincipalSubmitsAndReadsItsOwnReplyTopicWhileTheServiceRunsThePipeline()
      throws Exception {
    try (AiBrokerClient client =
        AiBrokerClient.builder(client(TENANT_A, Canaries.SASL_PASSWORD + "-a"), serdes)
            .replyTopic(REPLIES_A)
            .build()) {
      InferenceResult result = client.submit(request(TENANT_A), Duration.ofSeconds(90)).get();

      assertThat(result.getStatus()).isEqualTo(ResultStatus.SUCCEEDED);
      assertThat(result.getTenantId()).isEqualTo(TENANT_A);
    }
  }

  @Test
  void aTenantPrincipalCannotReadAnotherTenantsReplyTopicNorTheSharedResults() {
    Map<String, Object> tenantA = client(TENANT_A, Canaries.SASL_PASSWORD + "-a");

    assertThatThrownBy(() -> readOne(tenantA, REPLIES_B))
        .isInstanceOf(TopicAuthorizationException.class)
        .hasMessageContaining(REPLIES_B);
    assertThatThrownBy(() -> readOne(tenantA, "aibroker.results"))
        .isInstanceOf(TopicAuthorizationException.class);
    assertThatThrownBy(() -> readOne(tenantA, "aibroker.usage"))
        .isInstanceOf(TopicAuthorizationException.class);
  }

  @Test
  void aTenantPrincipalCannotWriteItsOwnPolicyNorForgeOutcomes() {
    Map<String, Object> tenantA = client(TENANT_A, Canaries.SASL_PASSWORD + "-a");

    for (String topic : List.of("aibroker.tenants", "aibroker.outcomes", "aibroker.results")) {
      assertThatThrownBy(() -> write(tenantA, topic))
          .as(topic)
          .hasRootCauseInstanceOf(TopicAuthorizationException.class);
    }
  }

  @Test
  void aWrongPasswordIsRefused() {
    Map<String, Object> wrong = client(TENANT_A, "not-the-password");

    assertThatThrownBy(() -> write(wrong, "aibroker.requests"))
        .hasRootCauseInstanceOf(SaslAuthenticationException.class);
  }

  // ---- helpers --------------------------------------------------------------------------------

  private static List<AclBinding> acls() {
    List<AclBinding> acls = new ArrayList<>();
    // The service principal: everything under the aibroker prefixes (topics, the Streams app's
    // internal topics and transactional ids, the workers' share group), the registry's topic.
    for (ResourceType type :
        List.of(ResourceType.TOPIC, ResourceType.GROUP, ResourceType.TRANSACTIONAL_ID)) {
      acls.add(allow(SERVICE, type, "aibroker", PatternType.PREFIXED, AclOperation.ALL));
    }
    acls.add(allow(SERVICE, ResourceType.TOPIC, "_schemas", PatternType.LITERAL, AclOperation.ALL));
    acls.add(
        allow(
            SERVICE,
            ResourceType.CLUSTER,
            "kafka-cluster",
            PatternType.LITERAL,
            AclOperation.IDEMPOTENT_WRITE));
    acls.add(
        allow(
            SERVICE,
            ResourceType.CLUSTER,
            "kafka-cluster",
            PatternType.LITERAL,
            AclOperation.DESCRIBE_CONFIGS));
    // Tenants: write requests, read (and describe) their own reply topic, which the operator
    // created; nothing else (no create, alter or delete).
    for (var tenant : Map.of(TENANT_A, REPLIES_A, TENANT_B, REPLIES_B).entrySet()) {
      acls.add(
          allow(
              tenant.getKey(),
              ResourceType.TOPIC,
              "aibroker.requests",
              PatternType.LITERAL,
              AclOperation.WRITE));
      for (AclOperation operation : List.of(AclOperation.READ, AclOperation.DESCRIBE)) {
        acls.add(
            allow(
                tenant.getKey(),
                ResourceType.TOPIC,
                tenant.getValue(),
                PatternType.LITERAL,
                operation));
      }
    }
    return acls;
  }

  private static AclBinding allow(
      String user, ResourceType type, String name, PatternType pattern, AclOperation operation) {
    return new AclBinding(
        new ResourcePattern(type, name, pattern),
        new AccessControlEntry("User:" + user, "*", operation, AclPermissionType.ALLOW));
  }

  private static String jaas(String user, String password) {
    return "org.apache.kafka.common.security.scram.ScramLoginModule required username=\""
        + user
        + "\" password=\""
        + password
        + "\";";
  }

  private static Map<String, Object> securitySettings(String user, String password) {
    Map<String, Object> props = new HashMap<>();
    props.put("security.protocol", "SASL_PLAINTEXT");
    props.put("sasl.mechanism", MECHANISM);
    props.put("sasl.jaas.config", jaas(user, password));
    return props;
  }

  private static Map<String, Object> client(String user, String password) {
    Map<String, Object> props = securitySettings(user, password);
    props.put("bootstrap.servers", kafka.bootstrapServers());
    return props;
  }

  private static InferenceRequest request(String tenant) {
    return InferenceRequest.newBuilder()
        .setRequestId("sasl-" + UUID.randomUUID())
        .setTenantId(tenant)
        .setTask(Task.CHAT)
        .setModel("chat-default")
        .setMessages(List.of(new ChatMessage("user", "hello over SASL")))
        .setCreatedAt(Instant.now())
        .build();
  }

  private static void readOne(Map<String, Object> client, String topic) {
    Map<String, Object> props = new HashMap<>(client);
    props.put("default.api.timeout.ms", 20_000);
    try (var consumer =
        new KafkaConsumer<>(props, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
      consumer.assign(List.of(new TopicPartition(topic, 0)));
      consumer.seekToBeginning(List.of(new TopicPartition(topic, 0)));
      long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
      while (System.nanoTime() < deadline) {
        consumer.poll(Duration.ofMillis(500));
      }
    }
  }

  private static void write(Map<String, Object> client, String topic) throws Exception {
    Map<String, Object> props = new HashMap<>(client);
    props.put("max.block.ms", 20_000);
    props.put("delivery.timeout.ms", 20_000);
    props.put("request.timeout.ms", 10_000);
    props.put("enable.idempotence", false);
    try (var producer =
        new KafkaProducer<>(props, new ByteArraySerializer(), new ByteArraySerializer())) {
      producer.send(new ProducerRecord<>(topic, new byte[] {1}, new byte[] {1})).get();
    } catch (ExecutionException e) {
      throw e;
    }
  }
}
