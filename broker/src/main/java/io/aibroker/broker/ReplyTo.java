package io.aibroker.broker;

import io.aibroker.records.InferenceRequest;
import io.aibroker.records.ReasonCode;
import java.util.Optional;

/**
 * Where a copy of a request's result may go: its {@code replyTo} topic, if {@link ReplyToRules}
 * allow it for the tenant and the topic exists (writing to a missing topic would stall the broker's
 * exactly-once producer).
 */
final class ReplyTo {

  private final ReplyToRules rules;
  private final ReplyTopics topics;

  ReplyTo(ReplyToRules rules, ReplyTopics topics) {
    this.rules = rules;
    this.topics = topics;
  }

  /**
   * Why the request's replyTo may not receive its result, or empty if it may (or names none).
   *
   * @param ownTopics whether the tenant has topics of its own ({@link TenantTopics})
   */
  Optional<Rejection> check(InferenceRequest request, boolean ownTopics) {
    String replyTo = request.getReplyTo();
    Optional<Rejection> refused = rules.check(replyTo, request.getTenantId(), ownTopics);
    if (refused.isEmpty() && replyTo != null && !topics.exists(replyTo)) {
      return Optional.of(
          new Rejection(
              ReasonCode.INVALID_REQUEST, "replyTo topic '" + replyTo + "' does not exist"));
    }
    return refused;
  }

  /** The topic the result is copied to: the request's replyTo if {@link #check} allows it. */
  String target(InferenceRequest request, boolean ownTopics) {
    return request.getReplyTo() != null && check(request, ownTopics).isEmpty()
        ? request.getReplyTo()
        : null;
  }
}
