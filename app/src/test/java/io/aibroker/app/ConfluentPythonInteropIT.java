package io.aibroker.app;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.aibroker.embedded.EmbeddedKafka;
import io.aibroker.embedded.EmbeddedKafkaConfig;
import io.aibroker.embedded.EmbeddedSchemaRegistry;
import io.aibroker.records.ChatMessage;
import io.aibroker.records.InferenceRequest;
import io.aibroker.records.Task;
import io.aibroker.schemas.RecordSerdes;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Confluent's own client is the acceptance peer of aibroker's wire format and Schema Registry:
 * Debian's python3-confluent-kafka (legacy AvroProducer / AvroConsumer) reads what Java wrote and
 * writes what Java reads, through the embedded registry and Kafka.
 */
class ConfluentPythonInteropIT {

  private static final String PYTHON = "/usr/bin/python3";
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir static Path dir;
  static EmbeddedKafka kafka;
  static EmbeddedSchemaRegistry registry;
  static RecordSerdes serdes;

  @BeforeAll
  static void startPlatform() throws Exception {
    kafka = new EmbeddedKafka(EmbeddedKafkaConfig.builder(dir.resolve("kafka")).port(0).build());
    kafka.start();
    registry = EmbeddedSchemaRegistry.builder(kafka.bootstrapServers()).port(0).build();
    registry.start();
    serdes = ExternalPlatform.serdes(registry.url());
    try (Admin admin =
        Admin.create(Map.<String, Object>of("bootstrap.servers", kafka.bootstrapServers()))) {
      admin
          .createTopics(
              List.of(
                  new NewTopic("interop.java-to-python", 1, (short) 1),
                  new NewTopic("interop.python-to-java", 1, (short) 1)))
          .all()
          .get();
    }
  }

  @AfterAll
  static void stopPlatform() {
    if (registry != null) {
      registry.close();
    }
    if (kafka != null) {
      kafka.close();
    }
  }

  @Test
  void pythonReadsARecordJavaWrote() throws Exception {
    InferenceRequest request =
        InferenceRequest.newBuilder()
            .setRequestId("java-1")
            .setTenantId("acme")
            .setTask(Task.CHAT)
            .setModel("chat-default")
            .setMessages(List.of(new ChatMessage("user", "Grüße from Java", null)))
            .setTags(Map.of("team", "java"))
            .setCreatedAt(Instant.parse("2026-11-22T10:00:00Z"))
            .build();
    try (var producer =
        new KafkaProducer<>(
            Map.<String, Object>of("bootstrap.servers", kafka.bootstrapServers()),
            new StringSerializer(),
            serdes.requests().serializer())) {
      // The legacy AvroConsumer decodes keys as Avro too; aibroker's keys are plain strings, so
      // this record goes without one.
      producer.send(new ProducerRecord<>("interop.java-to-python", null, request)).get();
    }

    String output =
        python(
            "consume",
            kafka.bootstrapServers(),
            registry.url(),
            "interop.java-to-python",
            "interop-py");
    JsonNode value = JSON.readTree(output);

    assertThat(value.get("requestId").asText()).isEqualTo("java-1");
    assertThat(value.get("tenantId").asText()).isEqualTo("acme");
    assertThat(value.get("task").asText()).isEqualTo("CHAT");
    assertThat(value.at("/messages/0/content").asText()).isEqualTo("Grüße from Java");
    assertThat(value.at("/tags/team").asText()).isEqualTo("java");
  }

  @Test
  void javaReadsARecordPythonWrote() throws Exception {
    Path schemaFile = dir.resolve("InferenceRequest.avsc");
    Files.writeString(schemaFile, InferenceRequest.getClassSchema().toString());

    python(
        "produce",
        kafka.bootstrapServers(),
        registry.url(),
        "interop.python-to-java",
        schemaFile.toString(),
        "python-1",
        "globex",
        "Hello from Python");

    InferenceRequest read = readOne("interop.python-to-java");
    assertThat(read.getRequestId()).isEqualTo("python-1");
    assertThat(read.getTenantId()).isEqualTo("globex");
    assertThat(read.getMessages())
        .extracting(ChatMessage::getContent)
        .containsExactly("Hello from Python");
    assertThat(read.getParams().getMaxTokens()).isEqualTo(64);
    assertThat(read.getTags()).containsEntry("team", "python");
    assertThat(read.getCreatedAt())
        .isCloseTo(
            Instant.now(),
            org.assertj.core.api.Assertions.within(5, java.time.temporal.ChronoUnit.MINUTES));
    assertThat(ExternalPlatform.registry(registry.url()).subjects())
        .contains("interop.python-to-java-value");
  }

  private static InferenceRequest readOne(String topic) {
    Map<String, Object> props =
        Map.of(
            "bootstrap.servers",
            kafka.bootstrapServers(),
            "group.id",
            "interop-java",
            "auto.offset.reset",
            "earliest");
    try (var consumer =
        new KafkaConsumer<>(props, new StringDeserializer(), serdes.requests().deserializer())) {
      consumer.subscribe(List.of(topic));
      long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
      while (System.nanoTime() < deadline) {
        for (ConsumerRecord<String, InferenceRequest> record :
            consumer.poll(Duration.ofMillis(200))) {
          return record.value();
        }
      }
    }
    throw new AssertionError("no record on " + topic);
  }

  private static String python(String... args) throws IOException, InterruptedException {
    Path script = dir.resolve("confluent_avro_interop.py");
    try (InputStream in =
        ConfluentPythonInteropIT.class.getResourceAsStream("/interop/confluent_avro_interop.py")) {
      Files.copy(in, script, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
    }
    List<String> command = new ArrayList<>(List.of(PYTHON, script.toString()));
    command.addAll(List.of(args));
    Path errorFile = dir.resolve("python-" + args[0] + ".err");
    Process process = new ProcessBuilder(command).redirectError(errorFile.toFile()).start();
    String stdout = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(process.waitFor(90, TimeUnit.SECONDS)).as("python finished").isTrue();
    String errors = Files.readString(errorFile);
    assertThat(process.exitValue())
        .as(
            "python %s failed (needs python3-confluent-kafka, python3-avro, python3-requests; bin/test installs them):%n%s",
            args[0], errors)
        .isZero();
    return stdout.strip();
  }
}
