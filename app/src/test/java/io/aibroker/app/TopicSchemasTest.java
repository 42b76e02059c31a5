package io.aibroker.app;

import static org.assertj.core.api.Assertions.assertThat;

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
import io.aibroker.topics.Topics;
import java.util.List;
import org.apache.avro.Schema;
import org.junit.jupiter.api.Test;

class TopicSchemasTest {

  private static final Topics TOPICS = new Topics("acme-ai");
  private final TopicSchemas schemas = new TopicSchemas(TOPICS);

  @Test
  void everyTopicAibrokerProvisionsHasASchemaOrIsDeliberatelySchemaless() {
    List<String> all = TOPICS.all(List.of("simulated", "bedrock", "azure-openai", "workers-ai"));
    for (String topic : all) {
      assertThat(schemas.valueSchema(topic).isPresent() || schemas.isSchemaless(topic))
          .as("%s has a value schema or is schemaless on purpose", topic)
          .isTrue();
    }
    assertThat(all.stream().filter(schemas::isSchemaless)).containsExactly(TOPICS.dlq());
    assertThat(schemas.valueSchema(TOPICS.dlq())).isEmpty();
  }

  @Test
  void mapsEachSharedTopicToTheRecordItCarries() {
    assertSchema(TOPICS.requests(), InferenceRequest.getClassSchema());
    assertSchema(TOPICS.requestsByTenant(), InferenceRequest.getClassSchema());
    assertSchema(TOPICS.dispatch("bedrock"), DispatchRequest.getClassSchema());
    assertSchema(TOPICS.dispatchBatch("bedrock"), DispatchRequest.getClassSchema());
    assertSchema(TOPICS.outcomes(), ProviderOutcome.getClassSchema());
    assertSchema(TOPICS.results(), InferenceResult.getClassSchema());
    assertSchema(TOPICS.resultsStream(), ResultChunk.getClassSchema());
    assertSchema(TOPICS.usage(), UsageEvent.getClassSchema());
    assertSchema(TOPICS.usageRollups(), UsageRollup.getClassSchema());
    assertSchema(TOPICS.tenants(), TenantPolicy.getClassSchema());
    assertSchema(TOPICS.providerHealth(), ProviderHealth.getClassSchema());
    assertSchema(TOPICS.sharedCache(), CacheEntry.getClassSchema());
    assertSchema(TOPICS.prices(), PriceList.getClassSchema());
  }

  @Test
  void mapsATenantsOwnTopicsAndItsReplyTopic() {
    for (String topic : TOPICS.tenantTopics("globex")) {
      assertThat(schemas.valueSchema(topic)).as(topic).isPresent();
    }
    assertSchema(TOPICS.tenantRequests("globex"), InferenceRequest.getClassSchema());
    assertSchema(TOPICS.tenantResults("globex"), InferenceResult.getClassSchema());
    assertSchema(TOPICS.tenantResultsStream("globex"), ResultChunk.getClassSchema());
    assertSchema(TOPICS.tenantReplies("globex"), InferenceResult.getClassSchema());
  }

  @Test
  void leavesOtherTopicsAlone() {
    assertThat(schemas.valueSchema("aibroker.requests")).isEmpty(); // another prefix
    assertThat(schemas.valueSchema("acme-ai.dispatch.")).isEmpty();
    assertThat(schemas.valueSchema("acme-ai.results.a.b")).isEmpty();
    assertThat(schemas.valueSchema("_schemas")).isEmpty();
  }

  @Test
  void registersUnderTopicNameStrategySubjects() {
    assertThat(TopicSchemas.subject("aibroker.requests", InferenceRequest.getClassSchema()))
        .isEqualTo("aibroker.requests-value");
  }

  private void assertSchema(String topic, Schema expected) {
    assertThat(schemas.valueSchema(topic)).as(topic).contains(expected);
  }
}
