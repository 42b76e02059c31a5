package io.aibroker.broker;

import io.aibroker.records.InferenceRequest;
import io.aibroker.records.Priority;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.HexFormat;
import java.util.Map;
import org.apache.avro.Schema;

/**
 * What makes two deliveries of a requestId "the same request": SHA-256 of the request without the
 * fields a producer may legitimately change when it sends a request again (createdAt, deadline,
 * replyTo after a client restart, cache options, priority and the echoed metadata).
 *
 * <p>The digest is over Avro's single-object encoding of that request ({@code
 * InferenceRequest.toByteBuffer()}: a two-byte marker, the schema's fingerprint, the binary datum),
 * as stored fingerprints were computed. It is computed without that method's costs, which were half
 * of a completion's fingerprinting in the profile (issue 16): a shallow copy instead of the
 * builder's deep copy of every message, and Avro's single-object encoder writing straight into a
 * digest kept per thread instead of into a new buffer.
 */
final class RequestFingerprint {

  private static final Schema SCHEMA = InferenceRequest.getClassSchema();
  private static final ThreadLocal<Hasher> HASHER = ThreadLocal.withInitial(Hasher::new);

  private RequestFingerprint() {}

  static String of(InferenceRequest request) {
    InferenceRequest content = shallowCopy(request);
    content.setCreatedAt(Instant.EPOCH);
    content.setDeadline(null);
    content.setReplyTo(null);
    content.setCache(null);
    content.setPriority(Priority.INTERACTIVE);
    content.setMetadata(Map.of());
    return HASHER.get().sha256(content);
  }

  /**
   * What two requests under one idempotency key must share to be duplicates: the work asked for
   * (task, model, messages or inputs, parameters, streaming), not the ids, tags or delivery
   * details. The tenant is part of the idempotency store's key already.
   */
  static String ofContent(InferenceRequest request) {
    InferenceRequest content = new InferenceRequest();
    content.setRequestId("");
    content.setTenantId("");
    content.setTask(request.getTask());
    content.setModel(request.getModel());
    content.setMessages(request.getMessages());
    content.setInputs(request.getInputs());
    content.setParams(request.getParams());
    content.setStream(request.getStream());
    content.setCreatedAt(Instant.EPOCH);
    content.setPriority(Priority.INTERACTIVE);
    content.setMetadata(Map.of());
    content.setTags(Map.of());
    return HASHER.get().sha256(content);
  }

  /** Every field shared with the request; nothing is written to the request. */
  private static InferenceRequest shallowCopy(InferenceRequest request) {
    InferenceRequest copy = new InferenceRequest();
    for (int field = 0; field < SCHEMA.getFields().size(); field++) {
      copy.put(field, request.get(field));
    }
    return copy;
  }

  /** A digest that Avro's single-object encoder writes into, reused by one thread. */
  private static final class Hasher extends OutputStream {
    private final MessageDigest sha = sha256Digest();

    String sha256(InferenceRequest content) {
      sha.reset();
      try {
        InferenceRequest.getEncoder().encode(content, this);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
      return HexFormat.of().formatHex(sha.digest());
    }

    @Override
    public void write(int b) {
      sha.update((byte) b);
    }

    @Override
    public void write(byte[] b, int off, int len) {
      sha.update(b, off, len);
    }

    private static MessageDigest sha256Digest() {
      try {
        return MessageDigest.getInstance("SHA-256");
      } catch (NoSuchAlgorithmException e) {
        throw new IllegalStateException("SHA-256 is part of every JDK", e);
      }
    }
  }
}
