package io.aibroker.broker;

import io.aibroker.records.ChatMessage;
import io.aibroker.records.GenerationParams;
import io.aibroker.records.InferenceRequest;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * Content keys of requests: SHA-256 over the cache scope, the resolved model and the canonical
 * content (task, messages or inputs, sampling parameters). Every part is length-prefixed, so no two
 * different requests share an encoding. The scope is the tenant unless the tenant shares its cache,
 * which is what keeps one tenant's answers from another.
 */
final class CacheKeys {

  /** Scope of the entries of tenants that opted into sharing. */
  static final String SHARED_SCOPE = "\u0000shared";

  private CacheKeys() {}

  /**
   * The request's content key. An explicit {@code cache.key} is the client's name for the content,
   * so it stays inside the tenant's own scope even when the tenant shares its cache (another tenant
   * could otherwise read an entry by guessing its name), and is hashed with task and model.
   */
  static String of(InferenceRequest request, String resolvedModel, boolean shared) {
    MessageDigest digest = sha256();
    boolean explicit = explicit(request);
    put(digest, shared && !explicit ? SHARED_SCOPE : request.getTenantId());
    put(digest, resolvedModel);
    put(digest, request.getTask().name());
    if (explicit) {
      put(digest, "explicit");
      put(digest, request.getCache().getKey());
      return HexFormat.of().formatHex(digest.digest());
    }
    put(digest, Integer.toString(request.getMessages().size()));
    for (ChatMessage message : request.getMessages()) {
      put(digest, message.getRole());
      put(digest, message.getContent());
    }
    put(digest, Integer.toString(request.getInputs().size()));
    request.getInputs().forEach(input -> put(digest, input));
    putParams(digest, request.getParams());
    return HexFormat.of().formatHex(digest.digest());
  }

  /** True when the request names its cache entry itself ({@code cache.key}). */
  static boolean explicit(InferenceRequest request) {
    return request.getCache() != null && request.getCache().getKey() != null;
  }

  private static void putParams(MessageDigest digest, GenerationParams params) {
    if (params == null) {
      put(digest, "-");
      return;
    }
    put(digest, String.valueOf(params.getMaxTokens()));
    put(digest, String.valueOf(params.getTemperature()));
    put(digest, String.valueOf(params.getTopP()));
    put(digest, Integer.toString(params.getStop().size()));
    params.getStop().forEach(stop -> put(digest, stop));
  }

  private static void put(MessageDigest digest, String part) {
    byte[] bytes = part.getBytes(StandardCharsets.UTF_8);
    digest.update((byte) (bytes.length >>> 24));
    digest.update((byte) (bytes.length >>> 16));
    digest.update((byte) (bytes.length >>> 8));
    digest.update((byte) bytes.length);
    digest.update(bytes);
  }

  private static MessageDigest sha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JVM has SHA-256", e);
    }
  }
}
