package io.aibroker.app.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.aibroker.records.ChatMessage;
import io.aibroker.records.InferenceRequest;
import io.aibroker.records.Task;
import io.aibroker.topics.Topics;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code aibroker tail dlq} and {@code aibroker dlq redrive} against a running platform. */
class DlqCommandIT {

  private static final Topics TOPICS = Topics.defaults();
  private static final String TENANT = "dlq-tenant";

  @TempDir static Path dataDir;
  static CliPlatform platform;

  @BeforeAll
  static void start() throws Exception {
    platform = CliPlatform.start(dataDir);
  }

  @AfterAll
  static void stop() {
    if (platform != null) {
      platform.close();
    }
  }

  @Test
  void tailShowsTheCauseAndRedriveRepublishesRecordsThatAreNowValid() throws Exception {
    // Garbage on the requests topic: the broker's Streams DLQ handler writes it to the DLQ.
    platform.produce(
        List.of(
            new ProducerRecord<>(
                TOPICS.requests(),
                TENANT.getBytes(StandardCharsets.UTF_8),
                "not avro at all".getBytes(StandardCharsets.UTF_8))));

    var tail = platform.run("tail", "dlq", "--from-beginning", "--max", "1", "--wait", "90s");

    assertThat(tail.exitCode()).as(tail.err()).isZero();
    assertThat(tail.out().strip().lines()).hasSize(1);
    assertThat(tail.out())
        .contains(TOPICS.requests() + "-")
        .containsIgnoringCase("exception")
        .contains("key=" + TENANT)
        .contains("value=15 bytes");

    // A dead letter (worker header style) whose bytes are a valid request.
    InferenceRequest request =
        InferenceRequest.newBuilder()
            .setRequestId("redriven-1")
            .setTenantId(TENANT)
            .setTask(Task.CHAT)
            .setModel("chat-default")
            .setMessages(List.of(new ChatMessage("user", "hello again", null)))
            .setCreatedAt(Instant.now())
            .build();
    byte[] value = platform.serdes().requests().serializer().serialize(TOPICS.requests(), request);
    var headers = new RecordHeaders();
    headers.add("trace-id", utf8("abc"));
    headers.add("aibroker.dlq.cause", utf8("UNREADABLE"));
    headers.add("aibroker.dlq.error", utf8("schema 42 not found"));
    headers.add("aibroker.dlq.source.topic", utf8(TOPICS.requests()));
    headers.add("aibroker.dlq.source.partition", utf8("1"));
    headers.add("aibroker.dlq.source.offset", utf8("7"));
    platform.produce(
        List.of(new ProducerRecord<>(TOPICS.dlq(), null, utf8(TENANT), value, headers)));

    var both = platform.run("tail", "dlq", "--from-beginning", "--max", "2", "--wait", "30s");
    assertThat(both.out()).contains("aibroker.requests-1@7  UNREADABLE: schema 42 not found");

    var dryRun = platform.run("dlq", "redrive", "--dry-run");
    assertThat(dryRun.exitCode()).as(dryRun.err()).isZero();
    assertThat(dryRun.out()).contains("would redrive: 1, still invalid: 1, skipped: 0");

    var other = platform.run("dlq", "redrive", "--source-topic", TOPICS.outcomes());
    assertThat(other.out()).contains("redriven: 0, still invalid: 0, skipped: 0");

    var redrive = platform.run("dlq", "redrive");
    assertThat(redrive.exitCode()).as(redrive.err()).isZero();
    assertThat(redrive.out()).contains("redriven: 1, still invalid: 1, skipped: 0");

    var result =
        platform.run(
            "tail",
            "results",
            "--from-beginning",
            "--tenant",
            TENANT,
            "--max",
            "1",
            "--json",
            "--wait",
            "60s");
    assertThat(result.exitCode()).as(result.err()).isZero();
    JsonNode json = new ObjectMapper().readTree(result.out());
    assertThat(json.get("requestId").asText()).isEqualTo("redriven-1");
    assertThat(json.get("status").asText()).isEqualTo("SUCCEEDED");
  }

  @Test
  void helpListsRedrive() {
    var run = CliCluster.runExactly("dlq", "--help");
    assertThat(run.exitCode()).isZero();
    assertThat(run.out()).contains("redrive");
  }

  private static byte[] utf8(String text) {
    return text.getBytes(StandardCharsets.UTF_8);
  }
}
