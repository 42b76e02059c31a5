package io.aibroker.connector;

import java.util.Objects;

/**
 * One message of a chat conversation.
 *
 * @param role who wrote it, usually {@code system}, {@code user} or {@code assistant}; passed to
 *     the provider as is
 * @param content the text, may be empty
 */
public record ChatMessage(String role, String content) {

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
    return "ChatMessage[role=" + role + ", chars=" + content.length() + "]";
  }
}
