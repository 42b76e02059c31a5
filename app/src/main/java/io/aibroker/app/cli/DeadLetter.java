package io.aibroker.app.cli;

import io.aibroker.topics.DeadLetterHeaders;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Headers;

/**
 * A record of the DLQ topic with its cause, read through {@link DeadLetterHeaders} from the headers
 * of either writer: Kafka Streams (KIP-1034, {@code __streams.errors.*}, written by the broker) or
 * aibroker's workers ({@code aibroker.dlq.*}).
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

  /** The dead letter in a consumer record of the DLQ topic. */
  public static DeadLetter of(ConsumerRecord<byte[], byte[]> record) {
    Headers headers = record.headers();
    return new DeadLetter(
        Instant.ofEpochMilli(record.timestamp()),
        record.partition(),
        record.offset(),
        DeadLetterHeaders.sourceTopic(headers),
        DeadLetterHeaders.sourcePartition(headers),
        DeadLetterHeaders.sourceOffset(headers),
        DeadLetterHeaders.cause(headers),
        record.key(),
        record.value(),
        headers);
  }

  /** The original headers: all but the ones naming the cause. */
  public Headers originalHeaders() {
    return DeadLetterHeaders.originalHeaders(headers);
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
}
