package io.aibroker.broker;

/**
 * A record that deserialized but that the broker cannot accept, and for which no result can be
 * published without breaking "exactly one result per requestId": a tombstone on the ingress topic,
 * or a second request reusing a requestId for different content. Thrown before any state is
 * written, it reaches Kafka Streams' processing exception handler, which copies the source record
 * to the DLQ with this exception's class and message in its {@code __streams.errors.*} headers and
 * carries on with the next record.
 */
public final class UnprocessableRecordException extends RuntimeException {

  private static final long serialVersionUID = 1L;

  /** A record refused for the given reason (no record content in it: it lands in logs). */
  public UnprocessableRecordException(String reason) {
    super(reason);
  }
}
