package io.aibroker.connector;

import java.util.Objects;

/**
 * One message of a chat conversation.
 *
 * @param role who wrote it, usually {@code system}, {@code user} or {@code assistant}; passed to
 *     the provider as is
 * @param content the text, may be empty
 * @param cachePoint asks the provider to cache the prompt up to and including this message, for
 *     this long; {@code null} for no cache point. Connectors of providers that cache on their own
 *     ignore it.
 */
public record ChatMessage(String role, String content, CacheLifetime cachePoint) {

  /** Role of instructions to the model. */
  public static final String SYSTEM = "system";

  /** Role of the end user. */
  public static final String USER = "user";

  /** Role of earlier model replies. */
  public static final String ASSISTANT = "assistant";

  /** Validates that role is non-blank and content non-null. */
  public ChatMessage {
    Objects.requireNonNull(role, "role");
    Objects.requireNonNull(content, "content");
    if (role.isBlank()) {
      throw new IllegalArgumentException("role must not be blank");
    }
  }

  /** A message without a cache point. */
  public ChatMessage(String role, String content) {
    this(role, content, null);
  }

  /** A copy with a cache point after this message. */
  public ChatMessage withCachePoint(CacheLifetime lifetime) {
    return new ChatMessage(role, content, lifetime);
  }

  /** A message from the end user. */
  public static ChatMessage user(String content) {
    return new ChatMessage(USER, content);
  }

  /** Instructions to the model. */
  public static ChatMessage system(String content) {
    return new ChatMessage(SYSTEM, content);
  }

  /** An earlier model reply. */
  public static ChatMessage assistant(String content) {
    return new ChatMessage(ASSISTANT, content);
  }

  /** Shows the role and size only: prompts are tenant data and must not end up in logs. */
  @Override
  public String toString() {
    return "ChatMessage[role="
        + role
        + ", chars="
        + content.length()
        + (cachePoint == null ? "" : ", cachePoint=" + cachePoint)
        + "]";
  }
}
