package io.aibroker.app.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.aibroker.records.InferenceResult;
import io.aibroker.records.ResultStatus;
import io.aibroker.registry.InMemorySchemaRegistryClient;
import io.aibroker.schemas.RecordSerdes;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Optional;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.record.TimestampType;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** Lines of {@code aibroker tail} for records whose writer chose terminal control sequences. */
class TailCommandTest {

  private static final String HOSTILE_ID = "\u001b[2Jx\r";
  private static final String HOSTILE_MESSAGE = "bad\u009b31m request\u0007";

  private final InMemorySchemaRegistryClient registry = new InMemorySchemaRegistryClient();
  private final RecordSerdes serdes = new RecordSerdes(registry);

  @Test
  void aResultLinePrintsControlCharactersAsVisibleEscapes() {
    String line = line(results("results"), resultRecord());

    assertThat(line)
        .startsWith("2026-01-01T00:00:00Z  \\u001b[2Jx\\r  tenant\\u001b]0;pwned\\u0007  FAILED")
        .contains("bad\\u009b31m request\\u0007")
        .doesNotContain("\u001b", "\r", "\u0007", "\u009b");
  }

  @Test
  void aJsonResultLineIsEscapedAndStillReadsBackToTheSameValues() throws Exception {
    String line = line(results("results", "--json"), resultRecord());

    assertThat(line).doesNotContain("\u001b", "\r", "\u0007", "\u009b");
    var json = new ObjectMapper().readTree(line);
    assertThat(json.get("requestId").asText()).isEqualTo(HOSTILE_ID);
    assertThat(json.get("message").asText()).isEqualTo(HOSTILE_MESSAGE);
  }

  @Test
  void aDeadLetterLinePrintsItsKeyAndCauseEscaped() {
    var headers = new RecordHeaders();
    headers.add("aibroker.dlq.cause", utf8("DELIVERY_LIMIT"));
    headers.add("aibroker.dlq.error", utf8("gave up\u001b[1A\u001b[2K"));
    headers.add("aibroker.dlq.source.topic", utf8("aibroker.dispatch\r.openai"));
    // A key with C0 controls shows as "<n bytes>"; C1 controls pass as text, escaped.
    var record = record("aibroker.dlq", utf8("acme\u009b2J"), new byte[] {1}, headers);

    String line = line(results("dlq"), record);

    assertThat(line)
        .contains("aibroker.dispatch\\r.openai", "gave up\\u001b[1A\\u001b[2K", "key=acme\\u009b2J")
        .doesNotContain("\u001b", "\r", "\u009b");
  }

  private String line(TailCommand command, ConsumerRecord<byte[], byte[]> record) {
    return TailCommand.printableLine(command.formatter(registry), record);
  }

  private static TailCommand results(String... args) {
    TailCommand command = new TailCommand();
    new CommandLine(command).parseArgs(args);
    return command;
  }

  private ConsumerRecord<byte[], byte[]> resultRecord() {
    InferenceResult result =
        InferenceResult.newBuilder()
            .setRequestId(HOSTILE_ID)
            .setTenantId("tenant\u001b]0;pwned\u0007")
            .setStatus(ResultStatus.FAILED)
            .setMessage(HOSTILE_MESSAGE)
            .setCompletedAt(Instant.parse("2026-01-01T00:00:00Z"))
            .build();
    byte[] value = serdes.results().serializer().serialize("aibroker.results", result);
    return record("aibroker.results", utf8("k"), value, new RecordHeaders());
  }

  private static ConsumerRecord<byte[], byte[]> record(
      String topic, byte[] key, byte[] value, RecordHeaders headers) {
    return new ConsumerRecord<>(
        topic,
        0,
        3L,
        1000L,
        TimestampType.CREATE_TIME,
        key.length,
        value.length,
        key,
        value,
        headers,
        Optional.empty());
  }

  private static byte[] utf8(String text) {
    return text.getBytes(StandardCharsets.UTF_8);
  }
}
