package io.aibroker.broker;

/**
 * Size limits every request must respect, whatever its tenant.
 *
 * @param maxMessages most messages in a chat request
 * @param maxInputs most texts in an embedding request
 * @param maxPromptBytes most UTF-8 bytes over all messages or inputs
 * @param maxIdLength longest requestId, tenantId, userId or idempotency key
 * @param maxAttributeBytes most UTF-8 bytes over the keys and values of tags and metadata, which
 *     are copied to results and usage events (so they must stay far below Kafka's record limit)
 * @param replyToTenantTopicOnly a request's {@code replyTo} may only be its tenant's reply topic,
 *     {@code <prefix>.replies.<tenantId>}: the broker then never writes one tenant's result into a
 *     topic another tenant reads (default false: any topic but aibroker's own)
 */
public record RequestLimits(
    int maxMessages,
    int maxInputs,
    int maxPromptBytes,
    int maxIdLength,
    int maxAttributeBytes,
    boolean replyToTenantTopicOnly) {

  /** Default of {@link #maxAttributeBytes()}: 64 KiB. */
  public static final int DEFAULT_MAX_ATTRIBUTE_BYTES = 64 * 1024;

  /** Validates: every limit positive. */
  public RequestLimits {
    if (maxMessages <= 0
        || maxInputs <= 0
        || maxPromptBytes <= 0
        || maxIdLength <= 0
        || maxAttributeBytes <= 0) {
      throw new IllegalArgumentException("request limits must be positive");
    }
  }

  /** Limits that let {@code replyTo} name any topic but aibroker's own. */
  public RequestLimits(
      int maxMessages, int maxInputs, int maxPromptBytes, int maxIdLength, int maxAttributeBytes) {
    this(maxMessages, maxInputs, maxPromptBytes, maxIdLength, maxAttributeBytes, false);
  }

  /** Limits with the default {@link #maxAttributeBytes()}. */
  public RequestLimits(int maxMessages, int maxInputs, int maxPromptBytes, int maxIdLength) {
    this(maxMessages, maxInputs, maxPromptBytes, maxIdLength, DEFAULT_MAX_ATTRIBUTE_BYTES);
  }

  /** 1,000 messages, 2,048 inputs, 1 MiB of prompt, ids up to 128 characters, 64 KiB of tags. */
  public static RequestLimits defaults() {
    return new RequestLimits(1_000, 2_048, 1 << 20, 128);
  }
}
