package io.aibroker.app.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.aibroker.app.Platform;
import io.aibroker.app.TestPlatforms;
import io.aibroker.client.AiBrokerClient;
import io.aibroker.embedded.EmbeddedKafka;
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
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.acl.AclBinding;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.errors.SaslAuthenticationException;
import org.apache.kafka.common.errors.TopicAuthorizationException;
import org.apache.kafka.common.resource.PatternType;
import org.apache.kafka.common.resource.ResourceType;
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

  private static final String MECHANISM = ScramKafka.MECHANISM;
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
    Map<String, String> users = new LinkedHashMap<>();
    users.put(ADMIN, Canaries.SASL_PASSWORD + "-admin");
    users.put(SERVICE, Canaries.SASL_PASSWORD + "-svc");
    users.put(TENANT_A, Canaries.SASL_PASSWORD + "-a");
    users.put(TENANT_B, Canaries.SASL_PASSWORD + "-b");
    kafka = new EmbeddedKafka(ScramKafka.config(dir.resolve("kafka"), ADMIN, users));
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
    Map<String, Object> security = ScramKafka.security(SERVICE, Canaries.SASL_PASSWORD + "-svc");
    config = ScramKafka.withKafkaClient(config, security);
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

    assertThatThrownBy(() -> ScramKafka.readOne(tenantA, REPLIES_B))
        .isInstanceOf(TopicAuthorizationException.class)
        .hasMessageContaining(REPLIES_B);
    assertThatThrownBy(() -> ScramKafka.readOne(tenantA, "aibroker.results"))
        .isInstanceOf(TopicAuthorizationException.class);
    assertThatThrownBy(() -> ScramKafka.readOne(tenantA, "aibroker.usage"))
        .isInstanceOf(TopicAuthorizationException.class);
  }

  @Test
  void aTenantPrincipalCannotWriteItsOwnPolicyNorForgeOutcomes() {
    Map<String, Object> tenantA = client(TENANT_A, Canaries.SASL_PASSWORD + "-a");

    for (String topic : List.of("aibroker.tenants", "aibroker.outcomes", "aibroker.results")) {
      assertThatThrownBy(() -> ScramKafka.write(tenantA, topic))
          .as(topic)
          .hasRootCauseInstanceOf(TopicAuthorizationException.class);
    }
  }

  @Test
  void aWrongPasswordIsRefused() {
    Map<String, Object> wrong = client(TENANT_A, "not-the-password");

    assertThatThrownBy(() -> ScramKafka.write(wrong, "aibroker.requests"))
        .hasRootCauseInstanceOf(SaslAuthenticationException.class);
  }

  // ---- helpers --------------------------------------------------------------------------------

  private static List<AclBinding> acls() {
    // The service principal: everything under the aibroker prefixes (topics, the Streams app's
    // internal topics and transactional ids, the workers' share group), the registry's topic.
    List<AclBinding> acls = new ArrayList<>(ScramKafka.serviceAcls(SERVICE));
    // Tenants: write requests, read (and describe) their own reply topic, which the operator
    // created; nothing else (no create, alter or delete).
    for (var tenant : Map.of(TENANT_A, REPLIES_A, TENANT_B, REPLIES_B).entrySet()) {
      acls.add(
          ScramKafka.allow(
              tenant.getKey(),
              ResourceType.TOPIC,
              "aibroker.requests",
              PatternType.LITERAL,
              AclOperation.WRITE));
      for (AclOperation operation : List.of(AclOperation.READ, AclOperation.DESCRIBE)) {
        acls.add(
            ScramKafka.allow(
                tenant.getKey(),
                ResourceType.TOPIC,
                tenant.getValue(),
                PatternType.LITERAL,
                operation));
      }
    }
    return acls;
  }

  private static Map<String, Object> client(String user, String password) {
    Map<String, Object> props = ScramKafka.security(user, password);
    props.put("bootstrap.servers", kafka.bootstrapServers());
    return props;
  }

  private static InferenceRequest request(String tenant) {
    return InferenceRequest.newBuilder()
        .setRequestId("sasl-" + UUID.randomUUID())
        .setTenantId(tenant)
        .setTask(Task.CHAT)
        .setModel("chat-default")
        .setMessages(List.of(new ChatMessage("user", "hello over SASL", null)))
        .setCreatedAt(Instant.now())
        .build();
  }
}
