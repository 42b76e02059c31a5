package io.aibroker.workers;

import java.nio.charset.StandardCharsets;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.internals.RecordHeaders;

/**
 * Dead letters: copies of dispatch records the worker will not call a provider for, written to the
 * DLQ with their original key, value and headers, plus headers saying why and where they came from
 * (docs/ARCHITECTURE.md). Header values are UTF-8 text.
 */
public final class DeadLetters {

  /** Header: why the record is here, {@link #CAUSE_UNREADABLE} or {@link #CAUSE_DELIVERY_LIMIT}. */
  public static final String HEADER_CAUSE = "aibroker.dlq.cause";

  /** Header: the error behind the cause, class and message. */
  public static final String HEADER_ERROR = "aibroker.dlq.error";

  /** Header: the topic the record was read from. */
  public static final String HEADER_SOURCE_TOPIC = "aibroker.dlq.source.topic";

  /** Header: the partition the record was read from. */
  public static final String HEADER_SOURCE_PARTITION = "aibroker.dlq.source.partition";

  /** Header: the record's offset. */
  public static final String HEADER_SOURCE_OFFSET = "aibroker.dlq.source.offset";

  /** Header: the delivery (1-based) of the record that sent it here. */
  public static final String HEADER_DELIVERY_COUNT = "aibroker.dlq.delivery.count";

  /** Header: the worker that wrote the dead letter. */
  public static final String HEADER_WORKER = "aibroker.dlq.worker";

  /** Cause: the value is not a DispatchRequest in the Confluent Avro wire format. */
  public static final String CAUSE_UNREADABLE = "UNREADABLE";

  /** Cause: the record was delivered as often as the worker allows. */
  public static final String CAUSE_DELIVERY_LIMIT = "DELIVERY_LIMIT";

  private static final int MAX_ERROR_CHARS = 1000;

  private DeadLetters() {}

  /**
   * The dead letter of {@code record}.
   *
   * @param dlqTopic where it goes
   * @param record the original record, bytes as read
   * @param cause {@link #CAUSE_UNREADABLE} or {@link #CAUSE_DELIVERY_LIMIT}
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
    headers.add(HEADER_CAUSE, utf8(cause));
    headers.add(HEADER_ERROR, utf8(shorten(error)));
    headers.add(HEADER_SOURCE_TOPIC, utf8(record.topic()));
    headers.add(HEADER_SOURCE_PARTITION, utf8(Integer.toString(record.partition())));
    headers.add(HEADER_SOURCE_OFFSET, utf8(Long.toString(record.offset())));
    headers.add(HEADER_DELIVERY_COUNT, utf8(Integer.toString(deliveryCount)));
    headers.add(HEADER_WORKER, utf8(workerId));
    return new ProducerRecord<>(dlqTopic, null, record.key(), record.value(), headers);
  }

  /** An error's class and message, for {@link #HEADER_ERROR}. */
  static String describe(Throwable error) {
    String message = error.getMessage();
    return error.getClass().getName() + (message == null ? "" : ": " + message);
  }

  private static String shorten(String text) {
    String value = text == null ? "" : text;
    return value.length() <= MAX_ERROR_CHARS ? value : value.substring(0, MAX_ERROR_CHARS) + "...";
  }

  private static byte[] utf8(String value) {
    return value.getBytes(StandardCharsets.UTF_8);
  }
}
