package io.aibroker.app.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.aibroker.topics.DeadLetterHeaders;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.record.TimestampType;
import org.apache.kafka.streams.errors.internals.ExceptionHandlerUtils;
import org.junit.jupiter.api.Test;

class DeadLetterTest {

  private static ConsumerRecord<byte[], byte[]> record(RecordHeaders headers) {
    return new ConsumerRecord<>(
        "aibroker.dlq",
        0,
        3L,
        1000L,
        TimestampType.CREATE_TIME,
        1,
        2,
        utf8("k"),
        new byte[] {1, 2},
        headers,
        Optional.empty());
  }

  @Test
  void readsStreamsHeaders() {
    var headers = new RecordHeaders();
    headers.add("trace", utf8("t"));
    headers.add(
        "__streams.errors.exception",
        utf8("org.apache.kafka.common.errors.SerializationException"));
    headers.add("__streams.errors.message", utf8("Unknown magic byte!"));
    headers.add("__streams.errors.topic", utf8("aibroker.requests"));
    headers.add("__streams.errors.partition", utf8("2"));
    headers.add("__streams.errors.offset", utf8("17"));

    DeadLetter letter = DeadLetter.of(record(headers));

    assertThat(letter.source()).isEqualTo("aibroker.requests-2@17");
    assertThat(letter.cause())
        .isEqualTo("org.apache.kafka.common.errors.SerializationException: Unknown magic byte!");
    assertThat(letter.keyText()).isEqualTo("k");
    assertThat(letter.originalHeaders().toArray()).hasSize(1);
  }

  @Test
  void readsWorkerHeaders() {
    var headers = new RecordHeaders();
    headers.add("aibroker.dlq.cause", utf8("DELIVERY_LIMIT"));
    headers.add("aibroker.dlq.error", utf8("delivered 5 times"));
    headers.add("aibroker.dlq.source.topic", utf8("aibroker.dispatch.openai"));

    DeadLetter letter = DeadLetter.of(record(headers));

    assertThat(letter.source()).isEqualTo("aibroker.dispatch.openai");
    assertThat(letter.cause()).isEqualTo("DELIVERY_LIMIT: delivered 5 times");
    assertThat(letter.originalHeaders().toArray()).isEmpty();
  }

  @Test
  void theStreamsHeaderNamesAreKafkaStreamsOwn() {
    assertThat(
            List.of(
                DeadLetterHeaders.STREAMS_EXCEPTION,
                DeadLetterHeaders.STREAMS_MESSAGE,
                DeadLetterHeaders.STREAMS_STACKTRACE,
                DeadLetterHeaders.STREAMS_TOPIC,
                DeadLetterHeaders.STREAMS_PARTITION,
                DeadLetterHeaders.STREAMS_OFFSET))
        .containsExactly(
            ExceptionHandlerUtils.HEADER_ERRORS_EXCEPTION_NAME,
            ExceptionHandlerUtils.HEADER_ERRORS_EXCEPTION_MESSAGE_NAME,
            ExceptionHandlerUtils.HEADER_ERRORS_STACKTRACE_NAME,
            ExceptionHandlerUtils.HEADER_ERRORS_TOPIC_NAME,
            ExceptionHandlerUtils.HEADER_ERRORS_PARTITION_NAME,
            ExceptionHandlerUtils.HEADER_ERRORS_OFFSET_NAME);
  }

  private static byte[] utf8(String text) {
    return text.getBytes(StandardCharsets.UTF_8);
  }
}
