package io.aibroker.broker;

import io.aibroker.records.ReasonCode;
import io.aibroker.topics.Topics;
import java.util.Optional;

/**
 * Which topics a request may name as its {@code replyTo}. The broker writes results there with its
 * own (powerful) principal, so a request must not be able to aim it at aibroker's own topics, the
 * Kafka Streams internal topics of the broker or Kafka's and the registry's internal topics: a
 * result on {@code aibroker.tenants} or a changelog would be a poison record for everyone.
 */
final class ReplyToRules {

  private final String ownPrefix;
  private final String repliesPrefix;
  private final String streamsPrefix;
  private final boolean tenantTopicOnly;

  ReplyToRules(Topics topics, String applicationId, boolean tenantTopicOnly) {
    this.ownPrefix = topics.prefix() + ".";
    this.repliesPrefix = topics.prefix() + ".replies.";
    this.streamsPrefix = applicationId + "-";
    this.tenantTopicOnly = tenantTopicOnly;
  }

  ReplyToRules(Topics topics, String applicationId) {
    this(topics, applicationId, false);
  }

  /**
   * Why the topic may not receive results of {@code tenantId}, or empty if it may (when it exists).
   */
  Optional<Rejection> check(String replyTo, String tenantId) {
    return check(replyTo, tenantId, false);
  }

  /**
   * As {@link #check(String, String)}; a tenant with topics of its own ({@code ownTopics}) may only
   * name its own reply topic, whatever the setting: the broker must not write one authenticated
   * tenant's results into topics other tenants read.
   */
  Optional<Rejection> check(String replyTo, String tenantId, boolean ownTopics) {
    if (replyTo == null) {
      return Optional.empty();
    }
    if ((tenantTopicOnly || ownTopics) && !replyTo.equals(repliesPrefix + tenantId)) {
      return Optional.of(
          new Rejection(
              ReasonCode.INVALID_REQUEST,
              "replyTo '"
                  + replyTo
                  + "' is not this tenant's reply topic; only "
                  + repliesPrefix
                  + tenantId
                  + " may receive its results (broker.limits.reply-to-tenant-topic-only)"));
    }
    boolean internal =
        replyTo.startsWith("_")
            || replyTo.startsWith(streamsPrefix)
            || (replyTo.startsWith(ownPrefix) && !replyTo.startsWith(repliesPrefix));
    if (internal) {
      return Optional.of(
          new Rejection(
              ReasonCode.INVALID_REQUEST,
              "replyTo '"
                  + replyTo
                  + "' is an internal topic; use a topic of your own, e.g. "
                  + repliesPrefix
                  + "<client>"));
    }
    return Optional.empty();
  }
}
