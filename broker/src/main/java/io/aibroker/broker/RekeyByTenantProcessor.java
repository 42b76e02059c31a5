package io.aibroker.broker;

import io.aibroker.records.InferenceRequest;
import java.nio.charset.StandardCharsets;
import org.apache.kafka.common.utils.Utils;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;

/**
 * Makes sure a request reaches the task that owns its tenant. Requests keyed by their tenant and on
 * the partition Kafka's Java partitioner gives that key (what aibroker's client does) go straight
 * on; others take one hop through the requests-by-tenant topic, keyed by tenant.
 *
 * <p>The partition matters, not only the key: librdkafka-based clients (kcat, Confluent's Python,
 * Go, .NET clients) hash keys differently by default, so a request keyed by its tenant may sit on
 * another partition than its tenant's state, and its outcome (keyed by tenant, written by Java
 * workers) would reach the other task and find no request in flight. The partition count comes from
 * the {@value BrokerConfig#REQUEST_PARTITIONS_CONFIG} setting; without it only the key is checked.
 */
final class RekeyByTenantProcessor implements Processor<String, InferenceRequest, String, Object> {

  private ProcessorContext<String, Object> context;
  private int partitions;

  @Override
  public void init(ProcessorContext<String, Object> context) {
    this.context = context;
    Object configured = context.appConfigs().get(BrokerConfig.REQUEST_PARTITIONS_CONFIG);
    this.partitions = configured == null ? 0 : Integer.parseInt(configured.toString());
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
    if (tenant == null || (tenant.equals(record.key()) && onTenantsPartition(tenant))) {
      context.forward(record, NodeNames.ADMIT);
    } else {
      context.forward(record.withKey(tenant), NodeNames.REQUESTS_BY_TENANT_SINK);
    }
  }

  private boolean onTenantsPartition(String tenant) {
    if (partitions <= 0 || context.recordMetadata().isEmpty()) {
      return true;
    }
    int expected =
        Utils.toPositive(Utils.murmur2(tenant.getBytes(StandardCharsets.UTF_8))) % partitions;
    return context.recordMetadata().get().partition() == expected;
  }
}
