package io.aibroker.broker;

import io.aibroker.records.InferenceRequest;
import io.aibroker.records.Priority;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.HexFormat;
import java.util.Map;

/**
 * What makes two deliveries of a requestId "the same request": SHA-256 of the request without the
 * fields a producer may legitimately change when it sends a request again (createdAt, deadline,
 * replyTo after a client restart, cache options, priority and the echoed metadata).
 */
final class RequestFingerprint {

  private RequestFingerprint() {}

  static String of(InferenceRequest request) {
    return sha256(
        InferenceRequest.newBuilder(request)
            .setCreatedAt(Instant.EPOCH)
            .setDeadline(null)
            .setReplyTo(null)
            .setCache(null)
            .setPriority(Priority.INTERACTIVE)
            .setMetadata(Map.of())
            .build());
  }

  /**
   * What two requests under one idempotency key must share to be duplicates: the work asked for
   * (task, model, messages or inputs, parameters, streaming), not the ids, tags or delivery
   * details. The tenant is part of the idempotency store's key already.
   */
  static String ofContent(InferenceRequest request) {
    return sha256(
        InferenceRequest.newBuilder()
            .setRequestId("")
            .setTenantId("")
            .setTask(request.getTask())
            .setModel(request.getModel())
            .setMessages(request.getMessages())
            .setInputs(request.getInputs())
            .setParams(request.getParams())
            .setStream(request.getStream())
            .setCreatedAt(Instant.EPOCH)
            .build());
  }

  private static String sha256(InferenceRequest content) {
    try {
      ByteBuffer bytes = content.toByteBuffer();
      MessageDigest sha = MessageDigest.getInstance("SHA-256");
      sha.update(bytes);
      return HexFormat.of().formatHex(sha.digest());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is part of every JDK", e);
    }
  }
}
