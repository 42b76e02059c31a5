package io.aibroker.broker;

import io.aibroker.records.TenantPolicy;
import io.aibroker.topics.Topics;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;

/**
 * Whether a tenant's results go to topics of its own: only when {@code aibroker tenants grant} gave
 * it some (its policy says {@code ownTopics}) and its results topic exists, since writing to a
 * missing topic would stall the broker's producer.
 */
final class TenantTopics {

  private final Topics topics;
  private final ReadOnlyKeyValueStore<String, TenantPolicy> policies;
  private final ReplyTopics existing;

  TenantTopics(
      Topics topics, ReadOnlyKeyValueStore<String, TenantPolicy> policies, ReplyTopics existing) {
    this.topics = topics;
    this.policies = policies;
    this.existing = existing;
  }

  /** True when the tenant's results and stream chunks go to its own topics too. */
  boolean has(String tenantId) {
    if (!Topics.canHaveOwnTopics(tenantId)) {
      return false;
    }
    TenantPolicy policy = policies.get(tenantId);
    return policy != null
        && policy.getOwnTopics()
        && existing.exists(topics.tenantResults(tenantId));
  }
}
