package io.aibroker.broker;

import io.aibroker.records.ChatMessage;
import io.aibroker.records.InferenceRequest;
import java.util.Map;

/**
 * How many bytes a request takes at most once serialized, without serializing it: the UTF-8 bytes
 * of its strings plus a generous allowance for lengths, numbers and the rest. Used to keep records
 * that hold whole requests (a tenant's queue) below Kafka's record size limit.
 */
final class RequestSizes {

  /** Room for every length prefix, number, enum and union index of one request. */
  private static final long FIXED_OVERHEAD = 256;

  /** Room for the length prefixes of one string (or map entry). */
  private static final long PER_STRING = 10;

  private RequestSizes() {}

  /** An upper bound of the request's Avro size. */
  static long estimate(InferenceRequest request) {
    long bytes = FIXED_OVERHEAD;
    bytes += string(request.getRequestId()) + string(request.getTenantId());
    bytes += string(request.getUserId()) + string(request.getIdempotencyKey());
    bytes += string(request.getModel()) + string(request.getReplyTo());
    for (ChatMessage message : request.getMessages()) {
      bytes += string(message.getRole()) + string(message.getContent());
    }
    for (String input : request.getInputs()) {
      bytes += string(input);
    }
    return bytes + map(request.getTags()) + map(request.getMetadata());
  }

  private static long map(Map<String, String> entries) {
    long bytes = 0;
    for (var e : entries.entrySet()) {
      bytes += string(e.getKey()) + string(e.getValue());
    }
    return bytes;
  }

  private static long string(CharSequence text) {
    return text == null ? 0 : PER_STRING + utf8Length(text);
  }

  /** UTF-8 length without encoding: 1-3 bytes per char, 4 per surrogate pair (2 chars). */
  static long utf8Length(CharSequence text) {
    long bytes = 0;
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (c < 0x80) {
        bytes += 1;
      } else if (c < 0x800 || Character.isSurrogate(c)) {
        bytes += 2; // a surrogate pair is 4 bytes: 2 for each half
      } else {
        bytes += 3;
      }
    }
    return bytes;
  }
}
