package io.aibroker.broker;

import static org.assertj.core.api.Assertions.assertThat;

import io.aibroker.records.CacheMode;
import io.aibroker.records.CacheOptions;
import io.aibroker.records.ChatMessage;
import io.aibroker.records.InferenceRequest;
import io.aibroker.records.Priority;
import java.io.IOException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RequestFingerprintTest {

  private static InferenceRequest rich() {
    return TestRequests.chat("r-1", "acme", "Hello")
        .setUserId("u-7")
        .setIdempotencyKey("k-1")
        .setMessages(
            List.of(
                new ChatMessage("system", "Be brief.", null),
                new ChatMessage("user", "Hello", null)))
        .setParams(TestRequests.params(64, 0.2, 0.9))
        .setCache(CacheOptions.newBuilder().setMode(CacheMode.BYPASS).build())
        .setPriority(Priority.BATCH)
        .setStream(true)
        .setDeadline(Instant.parse("2026-11-22T10:05:00Z"))
        .setReplyTo("replies.acme")
        .setTags(Map.of("team", "search"))
        .setMetadata(Map.of("trace", "abc"))
        .build();
  }

  @Test
  void fingerprintsAreThoseStoredBeforeTheFasterEncoding() throws Exception {
    InferenceRequest request = rich();

    assertThat(RequestFingerprint.of(request)).isEqualTo(builderFingerprint(request));
    assertThat(RequestFingerprint.ofContent(request)).isEqualTo(builderContentFingerprint(request));
  }

  @Test
  void fingerprintingLeavesTheRequestAsItWas() {
    InferenceRequest request = rich();
    InferenceRequest before = InferenceRequest.newBuilder(request).build();

    RequestFingerprint.of(request);
    RequestFingerprint.ofContent(request);

    assertThat(request).isEqualTo(before);
  }

  @Test
  void aRedeliveryWithOtherDeliveryDetailsHasTheSameFingerprint() {
    InferenceRequest request = rich();
    InferenceRequest redelivered =
        InferenceRequest.newBuilder(request)
            .setCreatedAt(Instant.parse("2026-11-22T11:00:00Z"))
            .setReplyTo(null)
            .setPriority(Priority.INTERACTIVE)
            .setMetadata(Map.of())
            .build();
    InferenceRequest otherWork =
        InferenceRequest.newBuilder(request)
            .setMessages(List.of(new ChatMessage("user", "Goodbye", null)))
            .build();

    assertThat(RequestFingerprint.of(redelivered)).isEqualTo(RequestFingerprint.of(request));
    assertThat(RequestFingerprint.of(otherWork)).isNotEqualTo(RequestFingerprint.of(request));
    assertThat(RequestFingerprint.ofContent(otherWork))
        .isNotEqualTo(RequestFingerprint.ofContent(request));
  }

  /** The implementation before issue 16's profile: builder copy, single-object encoding. */
  private static String builderFingerprint(InferenceRequest request) throws Exception {
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

  private static String builderContentFingerprint(InferenceRequest request) throws Exception {
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

  private static String sha256(InferenceRequest content)
      throws IOException, NoSuchAlgorithmException {
    MessageDigest sha = MessageDigest.getInstance("SHA-256");
    sha.update(content.toByteBuffer());
    return HexFormat.of().formatHex(sha.digest());
  }
}
