package io.aibroker.broker;

import io.aibroker.records.InferenceRequest;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;

/**
 * Makes sure a request reaches the task that owns its tenant. Requests already keyed by their
 * tenant (what aibroker's client does) go straight on; others take one hop through the
 * requests-by-tenant topic, keyed by tenant.
 */
final class RekeyByTenantProcessor implements Processor<String, InferenceRequest, String, Object> {

  private ProcessorContext<String, Object> context;

  @Override
  public void init(ProcessorContext<String, Object> context) {
    this.context = context;
  }

  @Override
  public void process(Record<String, InferenceRequest> record) {
    InferenceRequest request = record.value();
    if (request == null) {
      // Not silently dropped: every ingress record ends as a result or a dead letter.
      throw new UnprocessableRecordException(
          "a tombstone (null value) on the requests topic carries no request");
    }
    String tenant = request.getTenantId();
    if (tenant == null || tenant.equals(record.key())) {
      context.forward(record, NodeNames.ADMIT);
    } else {
      context.forward(record.withKey(tenant), NodeNames.REQUESTS_BY_TENANT_SINK);
    }
  }
}
