package io.aibroker.connector;

/** What a provider call does. */
public enum Task {
  /** Chat completion: messages in, text out. */
  CHAT,
  /** Embedding: input strings in, one vector per input out. */
  EMBED
}
