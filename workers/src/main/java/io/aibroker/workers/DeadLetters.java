package io.aibroker.workers;

import io.aibroker.topics.DeadLetterHeaders;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.internals.RecordHeaders;

/**
 * Dead letters: copies of dispatch records the worker will not call a provider for, written to the
 * DLQ with their original key, value and headers, plus the {@link DeadLetterHeaders} saying why and
 * where they came from (docs/ARCHITECTURE.md).
 */
public final class DeadLetters {

  private DeadLetters() {}

  /**
   * The dead letter of {@code record}.
   *
   * @param dlqTopic where it goes
   * @param record the original record, bytes as read
   * @param cause {@link DeadLetterHeaders#CAUSE_UNREADABLE} or {@link
   *     DeadLetterHeaders#CAUSE_DELIVERY_LIMIT}
   * @param error what went wrong, in a sentence
   * @param deliveryCount the record's delivery count
   * @param workerId this worker
   */
  static ProducerRecord<byte[], byte[]> of(
      String dlqTopic,
      ConsumerRecord<byte[], byte[]> record,
      String cause,
      String error,
      int deliveryCount,
      String workerId) {
    RecordHeaders headers = new RecordHeaders();
    for (Header header : record.headers()) {
      headers.add(header);
    }
    DeadLetterHeaders.add(
        headers,
        cause,
        error,
        record.topic(),
        record.partition(),
        record.offset(),
        deliveryCount,
        workerId);
    return new ProducerRecord<>(dlqTopic, null, record.key(), record.value(), headers);
  }

  /** An error's class and message, for {@link DeadLetterHeaders#ERROR}. */
  static String describe(Throwable error) {
    String message = error.getMessage();
    return error.getClass().getName() + (message == null ? "" : ": " + message);
  }
}
