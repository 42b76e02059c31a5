package io.aibroker.app.security;

import io.aibroker.app.config.AppConfig;
import io.aibroker.embedded.EmbeddedKafkaConfig;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.acl.AccessControlEntry;
import org.apache.kafka.common.acl.AclBinding;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.acl.AclPermissionType;
import org.apache.kafka.common.resource.PatternType;
import org.apache.kafka.common.resource.ResourcePattern;
import org.apache.kafka.common.resource.ResourceType;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * An embedded Kafka that authenticates with SASL/SCRAM-SHA-512 and authorizes with ACLs
 * (StandardAuthorizer, nothing allowed without an ACL), and what the security tests do on it: log
 * in as a user, read or write a topic, grant ACLs.
 */
final class ScramKafka {

  static final String MECHANISM = "SCRAM-SHA-512";

  private ScramKafka() {}

  /**
   * The embedded cluster: the client listener keeps its name but speaks SASL; the controller
   * listener (loopback, combined node) stays PLAINTEXT, so its ANONYMOUS principal is super.
   *
   * @param users user -> password; the first is the admin (a super user)
   */
  static EmbeddedKafkaConfig config(Path dir, String admin, Map<String, String> users) {
    String jaasAdmin = jaas(admin, users.get(admin));
    EmbeddedKafkaConfig.Builder cluster =
        EmbeddedKafkaConfig.builder(dir)
            .port(0)
            .brokerProperty(
                "listener.security.protocol.map", "PLAINTEXT:SASL_PLAINTEXT,CONTROLLER:PLAINTEXT")
            .brokerProperty("sasl.enabled.mechanisms", MECHANISM)
            .brokerProperty("sasl.mechanism.inter.broker.protocol", MECHANISM)
            .brokerProperty("listener.name.plaintext.scram-sha-512.sasl.jaas.config", jaasAdmin)
            .brokerProperty(
                "authorizer.class.name", "org.apache.kafka.metadata.authorizer.StandardAuthorizer")
            .brokerProperty("super.users", "User:" + admin + ";User:ANONYMOUS")
            .brokerProperty("allow.everyone.if.no.acl.found", "false")
            .clientProperty("security.protocol", "SASL_PLAINTEXT")
            .clientProperty("sasl.mechanism", MECHANISM)
            .clientProperty("sasl.jaas.config", jaasAdmin);
    users.forEach((user, password) -> cluster.scramCredential(MECHANISM, user, password));
    return cluster.build();
  }

  /** The ACLs of aibroker's service principal: everything under its prefix, the registry topic. */
  static List<AclBinding> serviceAcls(String service) {
    List<AclBinding> acls = new ArrayList<>();
    for (ResourceType type :
        List.of(ResourceType.TOPIC, ResourceType.GROUP, ResourceType.TRANSACTIONAL_ID)) {
      acls.add(allow(service, type, "aibroker", PatternType.PREFIXED, AclOperation.ALL));
    }
    acls.add(allow(service, ResourceType.TOPIC, "_schemas", PatternType.LITERAL, AclOperation.ALL));
    for (AclOperation op : List.of(AclOperation.IDEMPOTENT_WRITE, AclOperation.DESCRIBE_CONFIGS)) {
      acls.add(allow(service, ResourceType.CLUSTER, "kafka-cluster", PatternType.LITERAL, op));
    }
    return acls;
  }

  static AclBinding allow(
      String user, ResourceType type, String name, PatternType pattern, AclOperation operation) {
    return new AclBinding(
        new ResourcePattern(type, name, pattern),
        new AccessControlEntry("User:" + user, "*", operation, AclPermissionType.ALLOW));
  }

  static String jaas(String user, String password) {
    return "org.apache.kafka.common.security.scram.ScramLoginModule required username=\""
        + user
        + "\" password=\""
        + password
        + "\";";
  }

  /** Client settings that log in as the user. */
  static Map<String, Object> security(String user, String password) {
    Map<String, Object> props = new HashMap<>();
    props.put("security.protocol", "SASL_PLAINTEXT");
    props.put("sasl.mechanism", MECHANISM);
    props.put("sasl.jaas.config", jaas(user, password));
    return props;
  }

  /** The configuration with these Kafka client settings for every client the app creates. */
  static AppConfig withKafkaClient(AppConfig config, Map<String, Object> security) {
    return new AppConfig(
        config.dataDir(),
        config.topics(),
        new AppConfig.KafkaConfig(
            config.kafka().bootstrapServers(),
            config.kafka().embeddedHost(),
            config.kafka().embeddedPort(),
            security,
            config.kafka().embeddedBroker()),
        config.schemaRegistry(),
        config.http(),
        config.logging(),
        config.broker(),
        config.workers(),
        config.connectors(),
        config.models(),
        config.aliases(),
        config.prices());
  }

  /** Reads partition 0 of the topic for 20 s; throws what Kafka answers, e.g. no authorization. */
  static void readOne(Map<String, Object> client, String topic) {
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

  /** Writes one record and waits for its acknowledgement. */
  static void write(Map<String, Object> client, String topic)
      throws ExecutionException, InterruptedException {
    Map<String, Object> props = new HashMap<>(client);
    props.put("max.block.ms", 20_000);
    props.put("delivery.timeout.ms", 20_000);
    props.put("request.timeout.ms", 10_000);
    props.put("enable.idempotence", false);
    try (var producer =
        new KafkaProducer<>(props, new ByteArraySerializer(), new ByteArraySerializer())) {
      producer.send(new ProducerRecord<>(topic, new byte[] {1}, new byte[] {1})).get();
    }
  }
}
