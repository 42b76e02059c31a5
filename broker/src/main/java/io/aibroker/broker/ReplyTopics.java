package io.aibroker.broker;

/**
 * Tells whether a request's replyTo topic exists. Writing to a missing topic would stall the
 * exactly-once producer, so requests naming one are rejected at admission instead.
 */
@FunctionalInterface
public interface ReplyTopics {

  /** True when the topic exists and results may be copied to it. */
  boolean exists(String topic);
}
