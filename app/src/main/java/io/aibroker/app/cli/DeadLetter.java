package io.aibroker.app.cli;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;

/**
 * A record of the DLQ topic with its cause, read from the headers of either writer: Kafka Streams
 * (KIP-1034, {@code __streams.errors.*}, written by the broker) or aibroker's workers ({@code
 * aibroker.dlq.*}). Header values are UTF-8 text in both.
 *
 * @param time when the dead letter was written
 * @param dlqPartition its partition in the DLQ topic
 * @param dlqOffset its offset in the DLQ topic
 * @param sourceTopic the topic the original record came from, or null if no header names it
 * @param sourcePartition its partition there, or -1
 * @param sourceOffset its offset there, or -1
 * @param cause why it is here: exception class or worker cause, with the message if any
 * @param key the original key bytes (may be null)
 * @param value the original value bytes (may be null)
 * @param headers all headers of the dead letter
 */
public record DeadLetter(
    Instant time,
    int dlqPartition,
    long dlqOffset,
    String sourceTopic,
    int sourcePartition,
    long sourceOffset,
    String cause,
    byte[] key,
    byte[] value,
    Headers headers) {

  /** Prefix of the headers Kafka Streams adds to a dead letter. */
  public static final String STREAMS_PREFIX = "__streams.errors.";

  /** Prefix of the headers aibroker's workers add to a dead letter. */
  public static final String WORKER_PREFIX = "aibroker.dlq.";

  /** The dead letter in a consumer record of the DLQ topic. */
  public static DeadLetter of(ConsumerRecord<byte[], byte[]> record) {
    Headers headers = record.headers();
    String topic = first(headers, "__streams.errors.topic", "aibroker.dlq.source.topic");
    String partition =
        first(headers, "__streams.errors.partition", "aibroker.dlq.source.partition");
    String offset = first(headers, "__streams.errors.offset", "aibroker.dlq.source.offset");
    return new DeadLetter(
        Instant.ofEpochMilli(record.timestamp()),
        record.partition(),
        record.offset(),
        topic,
        (int) number(partition),
        number(offset),
        cause(headers),
        record.key(),
        record.value(),
        headers);
  }

  /** Whether a header only says why a record is in the DLQ (removed when it is redriven). */
  public static boolean isCauseHeader(String name) {
    return name.startsWith(STREAMS_PREFIX) || name.startsWith(WORKER_PREFIX);
  }

  /** The original headers: all but the ones naming the cause. */
  public Headers originalHeaders() {
    RecordHeaders original = new RecordHeaders();
    for (Header header : headers) {
      if (!isCauseHeader(header.key())) {
        original.add(header);
      }
    }
    return original;
  }

  /** The key as text, or a placeholder when it is absent or not text. */
  public String keyText() {
    if (key == null) {
      return "-";
    }
    String text = new String(key, StandardCharsets.UTF_8);
    return text.chars().allMatch(c -> c >= 0x20 && c != 0xFFFD && c != 0x7F)
        ? text
        : "<" + key.length + " bytes>";
  }

  /** Where the original record came from, e.g. {@code aibroker.requests-2@17}. */
  public String source() {
    if (sourceTopic == null) {
      return "(unknown source)";
    }
    return sourceTopic
        + (sourcePartition >= 0 ? "-" + sourcePartition : "")
        + (sourceOffset >= 0 ? "@" + sourceOffset : "");
  }

  private static String cause(Headers headers) {
    String exception = text(headers, "__streams.errors.exception");
    String message = text(headers, "__streams.errors.message");
    if (exception == null && message == null) {
      exception = text(headers, "aibroker.dlq.cause");
      message = text(headers, "aibroker.dlq.error");
    }
    if (exception == null && message == null) {
      return "(no cause header)";
    }
    if (exception == null) {
      return message;
    }
    return message == null || message.isEmpty() ? exception : exception + ": " + message;
  }

  private static String first(Headers headers, String... names) {
    for (String name : names) {
      String value = text(headers, name);
      if (value != null) {
        return value;
      }
    }
    return null;
  }

  private static String text(Headers headers, String name) {
    Header header = headers.lastHeader(name);
    return header == null || header.value() == null
        ? null
        : new String(header.value(), StandardCharsets.UTF_8);
  }

  private static long number(String text) {
    if (text == null) {
      return -1;
    }
    try {
      return Long.parseLong(text.strip());
    } catch (NumberFormatException e) {
      return -1;
    }
  }
}
