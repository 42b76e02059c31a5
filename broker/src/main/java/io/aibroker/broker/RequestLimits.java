package io.aibroker.broker;

/**
 * Size limits every request must respect, whatever its tenant.
 *
 * @param maxMessages most messages in a chat request
 * @param maxInputs most texts in an embedding request
 * @param maxPromptBytes most UTF-8 bytes over all messages or inputs
 * @param maxIdLength longest requestId, tenantId, userId or idempotency key
 */
public record RequestLimits(int maxMessages, int maxInputs, int maxPromptBytes, int maxIdLength) {

  /** Validates: every limit positive. */
  public RequestLimits {
    if (maxMessages <= 0 || maxInputs <= 0 || maxPromptBytes <= 0 || maxIdLength <= 0) {
      throw new IllegalArgumentException("request limits must be positive");
    }
  }

  /** 1,000 messages, 2,048 inputs, 1 MiB of prompt, ids up to 128 characters. */
  public static RequestLimits defaults() {
    return new RequestLimits(1_000, 2_048, 1 << 20, 128);
  }
}
