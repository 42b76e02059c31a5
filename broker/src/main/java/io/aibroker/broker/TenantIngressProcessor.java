package io.aibroker.broker;

import io.aibroker.records.InferenceRequest;
import io.aibroker.records.InferenceResult;
import io.aibroker.topics.Topics;
import java.time.Clock;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;

/**
 * Reads tenants' own request topics ({@code <prefix>.requests.<tenantId>}), where Kafka's ACLs let
 * only the tenant's principal write: the topic, not the record, names the tenant. A request that
 * claims another tenant ends {@code REJECTED TENANT_MISMATCH}, answered to the topic's tenant and
 * charged to nobody; the others go on, keyed by tenant, to the task that owns their tenant.
 */
final class TenantIngressProcessor implements Processor<String, InferenceRequest, String, Object> {

  private final Topics topics;
  private final BrokerMetrics metrics;
  private final ReplyTopics replyTopics;
  private final Clock clock;
  private final boolean exactlyOnce;
  private ProcessorContext<String, Object> context;
  private TenantTopics tenantTopics;
  private CommitWhenIdle commitWhenIdle;

  TenantIngressProcessor(
      Topics topics,
      BrokerMetrics metrics,
      ReplyTopics replyTopics,
      Clock clock,
      boolean exactlyOnce) {
    this.topics = topics;
    this.metrics = metrics;
    this.replyTopics = replyTopics;
    this.clock = clock;
    this.exactlyOnce = exactlyOnce;
  }

  @Override
  public void init(ProcessorContext<String, Object> context) {
    this.context = context;
    this.tenantTopics =
        new TenantTopics(topics, context.getStateStore(BrokerStores.POLICIES), replyTopics);
    this.commitWhenIdle = CommitWhenIdle.of(context, exactlyOnce);
  }

  @Override
  public void process(Record<String, InferenceRequest> record) {
    commitWhenIdle.processed();
    String topic = context.recordMetadata().map(m -> m.topic()).orElse("");
    String owner =
        topics
            .tenantOfRequestsTopic(topic)
            .orElseThrow(() -> new IllegalStateException("not a tenant request topic: " + topic));
    InferenceRequest request = record.value();
    if (request == null) {
      throw new UnprocessableRecordException(
          "a tombstone (null value) on " + topic + " carries no request");
    }
    if (!owner.equals(request.getTenantId())) {
      rejectMismatch(request, owner, topic);
      return;
    }
    context.forward(record.withKey(owner), NodeNames.INGRESS_BY_TENANT_SINK);
  }

  private void rejectMismatch(InferenceRequest request, String owner, String topic) {
    InferenceResult result = TenantMismatch.result(request, owner, topic, clock.instant());
    // To the writer's own results topic when it has one; the shared one is the operator's.
    String sink =
        tenantTopics.has(owner)
            ? NodeNames.INGRESS_TENANT_RESULTS_SINK
            : NodeNames.INGRESS_RESULTS_SINK;
    context.forward(
        new Record<>(
            result.getRequestId(), (Object) result, result.getCompletedAt().toEpochMilli()),
        sink);
    metrics.result(result, MeterLabels.UNKNOWN, owner);
  }
}
