package io.aibroker.topics;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.junit.jupiter.api.Test;

class DeadLetterHeadersTest {

  @Test
  void aWorkersHeadersReadBackAndStripOff() {
    Headers headers = new RecordHeaders().add("trace", utf8("t"));

    DeadLetterHeaders.add(
        headers,
        DeadLetterHeaders.CAUSE_DELIVERY_LIMIT,
        "delivered 5 times",
        "aibroker.dispatch.openai",
        2,
        41,
        5,
        "worker-1");

    assertThat(DeadLetterHeaders.text(headers, "aibroker.dlq.cause")).isEqualTo("DELIVERY_LIMIT");
    assertThat(DeadLetterHeaders.text(headers, "aibroker.dlq.delivery.count")).isEqualTo("5");
    assertThat(DeadLetterHeaders.text(headers, "aibroker.dlq.worker")).isEqualTo("worker-1");
    assertThat(DeadLetterHeaders.sourceTopic(headers)).isEqualTo("aibroker.dispatch.openai");
    assertThat(DeadLetterHeaders.sourcePartition(headers)).isEqualTo(2);
    assertThat(DeadLetterHeaders.sourceOffset(headers)).isEqualTo(41);
    assertThat(DeadLetterHeaders.cause(headers)).isEqualTo("DELIVERY_LIMIT: delivered 5 times");
    assertThat(DeadLetterHeaders.originalHeaders(headers).toArray())
        .extracting(h -> h.key())
        .containsExactly("trace");
  }

  @Test
  void streamsHeadersMapToTheSameMeaningAndWin() {
    Headers headers =
        new RecordHeaders()
            .add("__streams.errors.exception", utf8("SerializationException"))
            .add("__streams.errors.message", utf8("Unknown magic byte!"))
            .add("__streams.errors.stacktrace", utf8("at ..."))
            .add("__streams.errors.topic", utf8("aibroker.requests"))
            .add("__streams.errors.partition", utf8("2"))
            .add("__streams.errors.offset", utf8("17"))
            .add("aibroker.dlq.source.topic", utf8("elsewhere"));

    assertThat(DeadLetterHeaders.sourceTopic(headers)).isEqualTo("aibroker.requests");
    assertThat(DeadLetterHeaders.sourcePartition(headers)).isEqualTo(2);
    assertThat(DeadLetterHeaders.sourceOffset(headers)).isEqualTo(17);
    assertThat(DeadLetterHeaders.cause(headers))
        .isEqualTo("SerializationException: Unknown magic byte!");
    assertThat(DeadLetterHeaders.originalHeaders(headers).toArray()).isEmpty();
  }

  @Test
  void missingOrGarbledHeadersReadAsUnknown() {
    Headers headers = new RecordHeaders().add("__streams.errors.partition", utf8("two"));

    assertThat(DeadLetterHeaders.sourceTopic(headers)).isNull();
    assertThat(DeadLetterHeaders.sourcePartition(headers)).isEqualTo(-1);
    assertThat(DeadLetterHeaders.sourceOffset(headers)).isEqualTo(-1);
    assertThat(DeadLetterHeaders.cause(headers)).isEqualTo("(no cause header)");
    assertThat(DeadLetterHeaders.cause(new RecordHeaders().add("aibroker.dlq.error", utf8("e"))))
        .isEqualTo("e");
  }

  @Test
  void longErrorsAreCut() {
    Headers headers = new RecordHeaders();
    DeadLetterHeaders.add(headers, "UNREADABLE", "x".repeat(5000), "t", 0, 0, 1, "w");

    assertThat(DeadLetterHeaders.text(headers, DeadLetterHeaders.ERROR)).hasSize(1003);
  }

  @Test
  void onlyTheCauseHeadersCountAsSuch() {
    assertThat(DeadLetterHeaders.isCauseHeader("aibroker.dlq.cause")).isTrue();
    assertThat(DeadLetterHeaders.isCauseHeader("__streams.errors.offset")).isTrue();
    assertThat(DeadLetterHeaders.isCauseHeader("aibroker.trace")).isFalse();
  }

  private static byte[] utf8(String text) {
    return text.getBytes(StandardCharsets.UTF_8);
  }
}
