package io.aibroker.topics;

import java.nio.charset.StandardCharsets;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;

/**
 * The headers of a dead letter on the DLQ topic: the names aibroker writes and reads, in one place.
 * A dead letter is the original record (key, value and headers) plus headers saying why it is there
 * and where it came from; their values are UTF-8 text. Two writers use two sets of names:
 *
 * <ul>
 *   <li>aibroker's workers write {@code aibroker.dlq.*} ({@link #add});
 *   <li>the broker's dead letters are written by Kafka Streams (KIP-1034, {@code
 *       errors.dead.letter.queue.topic.name}) with Streams' own {@code __streams.errors.*} names,
 *       which a Streams exception handler cannot rename; the {@code STREAMS_*} constants name them.
 * </ul>
 *
 * <p>The readers ({@link #sourceTopic}, {@link #cause}, ...) map either set to the same meaning,
 * Streams' names first; {@link #originalHeaders} strips both sets again before a redrive.
 */
public final class DeadLetterHeaders {

  /** Prefix of the headers aibroker's workers add to a dead letter. */
  public static final String PREFIX = "aibroker.dlq.";

  /** Why the record is here: {@link #CAUSE_UNREADABLE} or {@link #CAUSE_DELIVERY_LIMIT}. */
  public static final String CAUSE = PREFIX + "cause";

  /** The error behind the cause: class and message. */
  public static final String ERROR = PREFIX + "error";

  /** The topic the record was read from. */
  public static final String SOURCE_TOPIC = PREFIX + "source.topic";

  /** The partition the record was read from. */
  public static final String SOURCE_PARTITION = PREFIX + "source.partition";

  /** The record's offset there. */
  public static final String SOURCE_OFFSET = PREFIX + "source.offset";

  /** The delivery (1-based) of the record that sent it here. */
  public static final String DELIVERY_COUNT = PREFIX + "delivery.count";

  /** The worker that wrote the dead letter. */
  public static final String WORKER = PREFIX + "worker";

  /** Cause: the value is not a DispatchRequest in the Confluent Avro wire format. */
  public static final String CAUSE_UNREADABLE = "UNREADABLE";

  /** Cause: the record was delivered as often as the worker allows. */
  public static final String CAUSE_DELIVERY_LIMIT = "DELIVERY_LIMIT";

  /** Prefix of the headers Kafka Streams adds to a dead letter. */
  public static final String STREAMS_PREFIX = "__streams.errors.";

  /** Streams' name for the exception class (the cause). */
  public static final String STREAMS_EXCEPTION = STREAMS_PREFIX + "exception";

  /** Streams' name for the exception message (the error). */
  public static final String STREAMS_MESSAGE = STREAMS_PREFIX + "message";

  /** Streams' name for the exception's stack trace. */
  public static final String STREAMS_STACKTRACE = STREAMS_PREFIX + "stacktrace";

  /** Streams' name for the source topic. */
  public static final String STREAMS_TOPIC = STREAMS_PREFIX + "topic";

  /** Streams' name for the source partition. */
  public static final String STREAMS_PARTITION = STREAMS_PREFIX + "partition";

  /** Streams' name for the source offset. */
  public static final String STREAMS_OFFSET = STREAMS_PREFIX + "offset";

  private static final int MAX_ERROR_CHARS = 1000;

  private DeadLetterHeaders() {}

  /**
   * Adds aibroker's cause headers to {@code headers} (which already hold the original ones).
   *
   * @param cause {@link #CAUSE_UNREADABLE} or {@link #CAUSE_DELIVERY_LIMIT}
   * @param error what went wrong, in a sentence (cut to 1000 characters)
   * @param topic the topic the record was read from
   * @param partition its partition
   * @param offset its offset
   * @param deliveryCount the record's delivery count
   * @param worker the worker writing the dead letter
   * @return {@code headers}
   */
  public static Headers add(
      Headers headers,
      String cause,
      String error,
      String topic,
      int partition,
      long offset,
      int deliveryCount,
      String worker) {
    return headers
        .add(CAUSE, utf8(cause))
        .add(ERROR, utf8(shorten(error)))
        .add(SOURCE_TOPIC, utf8(topic))
        .add(SOURCE_PARTITION, utf8(Integer.toString(partition)))
        .add(SOURCE_OFFSET, utf8(Long.toString(offset)))
        .add(DELIVERY_COUNT, utf8(Integer.toString(deliveryCount)))
        .add(WORKER, utf8(worker));
  }

  /** The topic the original record came from, or null if no header names it. */
  public static String sourceTopic(Headers headers) {
    return first(headers, STREAMS_TOPIC, SOURCE_TOPIC);
  }

  /** The original record's partition, or -1 if no header names it. */
  public static int sourcePartition(Headers headers) {
    return (int) number(first(headers, STREAMS_PARTITION, SOURCE_PARTITION));
  }

  /** The original record's offset, or -1 if no header names it. */
  public static long sourceOffset(Headers headers) {
    return number(first(headers, STREAMS_OFFSET, SOURCE_OFFSET));
  }

  /**
   * Why the record is in the DLQ: Streams' exception class and message, or else the worker's cause
   * and error, as {@code cause: error}; {@code (no cause header)} if there are neither.
   */
  public static String cause(Headers headers) {
    String cause = text(headers, STREAMS_EXCEPTION);
    String error = text(headers, STREAMS_MESSAGE);
    if (cause == null && error == null) {
      cause = text(headers, CAUSE);
      error = text(headers, ERROR);
    }
    if (cause == null && error == null) {
      return "(no cause header)";
    }
    if (cause == null) {
      return error;
    }
    return error == null || error.isEmpty() ? cause : cause + ": " + error;
  }

  /** Whether a header only says why a record is in the DLQ (removed when it is redriven). */
  public static boolean isCauseHeader(String name) {
    return name.startsWith(STREAMS_PREFIX) || name.startsWith(PREFIX);
  }

  /** The original record's headers: all but the ones {@link #isCauseHeader naming the cause}. */
  public static Headers originalHeaders(Headers headers) {
    RecordHeaders original = new RecordHeaders();
    for (Header header : headers) {
      if (!isCauseHeader(header.key())) {
        original.add(header);
      }
    }
    return original;
  }

  /** The last header of that name as text, or null. */
  public static String text(Headers headers, String name) {
    Header header = headers.lastHeader(name);
    return header == null || header.value() == null
        ? null
        : new String(header.value(), StandardCharsets.UTF_8);
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

  private static String shorten(String text) {
    String value = text == null ? "" : text;
    return value.length() <= MAX_ERROR_CHARS ? value : value.substring(0, MAX_ERROR_CHARS) + "...";
  }

  private static byte[] utf8(String value) {
    return value.getBytes(StandardCharsets.UTF_8);
  }
}
