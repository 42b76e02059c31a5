package io.aibroker.app;

import io.aibroker.records.BatchJobEntry;
import io.aibroker.records.DispatchRequest;
import io.aibroker.records.InferenceRequest;
import io.aibroker.records.InferenceResult;
import io.aibroker.records.PriceList;
import io.aibroker.records.ProviderHealth;
import io.aibroker.records.ProviderOutcome;
import io.aibroker.records.ResultChunk;
import io.aibroker.records.TenantPolicy;
import io.aibroker.records.UsageEvent;
import io.aibroker.records.UsageRollup;
import io.aibroker.records.internal.CacheEntry;
import io.aibroker.serde.TopicNameStrategy;
import io.aibroker.topics.Topics;
import java.util.Map;
import java.util.Optional;
import org.apache.avro.Schema;

/**
 * The value schema of each of aibroker's topics (README's topic table), the one place that says
 * which record a topic carries. The platform registers them under TopicNameStrategy subjects
 * ({@code <topic>-value}) when it provisions the topics, so that a client that does not own the
 * contract (Confluent's serializers with {@code use.latest.version}) finds it on a fresh install.
 * The DLQ is deliberately schemaless: it holds the original bytes of records that could not be
 * read.
 */
public final class TopicSchemas {

  private static final TopicNameStrategy SUBJECTS = new TopicNameStrategy();

  private final Topics topics;
  private final Map<String, Schema> shared;

  /** The schemas of the topics named by {@code topics}. */
  public TopicSchemas(Topics topics) {
    this.topics = topics;
    this.shared =
        Map.ofEntries(
            Map.entry(topics.requests(), InferenceRequest.getClassSchema()),
            Map.entry(topics.requestsByTenant(), InferenceRequest.getClassSchema()),
            Map.entry(topics.outcomes(), ProviderOutcome.getClassSchema()),
            Map.entry(topics.results(), InferenceResult.getClassSchema()),
            Map.entry(topics.resultsStream(), ResultChunk.getClassSchema()),
            Map.entry(topics.usage(), UsageEvent.getClassSchema()),
            Map.entry(topics.usageRollups(), UsageRollup.getClassSchema()),
            Map.entry(topics.tenants(), TenantPolicy.getClassSchema()),
            Map.entry(topics.providerHealth(), ProviderHealth.getClassSchema()),
            Map.entry(topics.sharedCache(), CacheEntry.getClassSchema()),
            Map.entry(topics.prices(), PriceList.getClassSchema()),
            Map.entry(topics.batchJobs(), BatchJobEntry.getClassSchema()));
  }

  /**
   * The value schema of a topic: aibroker's shared topics, the dispatch topics of any provider
   * ({@code .batch} included), and a tenant's own request, results, stream and reply topics. Empty
   * for the DLQ (schemaless by design) and for topics that are not aibroker's.
   */
  public Optional<Schema> valueSchema(String topic) {
    Schema schema = shared.get(topic);
    if (schema != null) {
      return Optional.of(schema);
    }
    String p = topics.prefix() + ".";
    if (topic.startsWith(p + "dispatch.") && topic.length() > (p + "dispatch.").length()) {
      return Optional.of(DispatchRequest.getClassSchema());
    }
    if (topics.tenantOfRequestsTopic(topic).isPresent()) {
      return Optional.of(InferenceRequest.getClassSchema());
    }
    // Tenant ids of own topics have no dots and "stream" is reserved, so these never overlap.
    if (ownTopicOf(topic, topics.resultsStream())) {
      return Optional.of(ResultChunk.getClassSchema());
    }
    if (ownTopicOf(topic, topics.results()) || ownTopicOf(topic, p + "replies")) {
      return Optional.of(InferenceResult.getClassSchema());
    }
    return Optional.empty();
  }

  /** Topics that carry no Avro values on purpose: the DLQ's original bytes. */
  public boolean isSchemaless(String topic) {
    return topic.equals(topics.dlq());
  }

  /** The subject a topic's value schema is registered under ({@code <topic>-value}). */
  public static String subject(String topic, Schema schema) {
    return SUBJECTS.subjectName(topic, false, schema);
  }

  private static boolean ownTopicOf(String topic, String base) {
    return topic.startsWith(base + ".")
        && Topics.canHaveOwnTopics(topic.substring(base.length() + 1));
  }
}
