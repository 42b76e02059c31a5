package io.aibroker.broker;

import io.aibroker.records.DispatchRequest;
import io.aibroker.records.InferenceResult;
import io.aibroker.records.UsageEvent;
import io.aibroker.records.internal.CacheEntry;
import java.nio.charset.StandardCharsets;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;

/** Where the broker's decisions go: the sinks of the topology. */
final class Outputs {

  /** Header carrying the topic a result is also copied to. */
  static final String REPLY_TO_HEADER = "aibroker.reply-to";

  private final ProcessorContext<String, Object> context;

  Outputs(ProcessorContext<String, Object> context) {
    this.context = context;
  }

  /**
   * Publishes a result on the shared results topic (the operator's), on the tenant's own results
   * topic when {@code tenantTopic} (the tenant has topics of its own, see {@link TenantTopics}),
   * and on its reply topic if it names one.
   */
  void result(InferenceResult result, String replyTo, boolean tenantTopic) {
    long timestamp = result.getCompletedAt().toEpochMilli();
    context.forward(
        new Record<>(result.getRequestId(), (Object) result, timestamp), NodeNames.RESULTS_SINK);
    if (tenantTopic) {
      context.forward(
          new Record<>(result.getRequestId(), (Object) result, timestamp),
          NodeNames.TENANT_RESULTS_SINK);
    }
    if (replyTo != null) {
      var headers = new RecordHeaders();
      headers.add(REPLY_TO_HEADER, replyTo.getBytes(StandardCharsets.UTF_8));
      context.forward(
          new Record<>(result.getRequestId(), (Object) result, timestamp, headers),
          NodeNames.REPLY_SINK);
    }
  }

  void usage(UsageEvent event) {
    var record =
        new Record<>(event.getTenantId(), (Object) event, event.getOccurredAt().toEpochMilli());
    context.forward(record, NodeNames.USAGE_SINK);
    context.forward(record, NodeNames.ROLLUP);
  }

  void sharedCacheEntry(String cacheKey, CacheEntry entry) {
    context.forward(
        new Record<>(
            cacheKey, (Object) entry, entry.getCachedResult().getCompletedAt().toEpochMilli()),
        NodeNames.SHARED_CACHE_SINK);
  }

  void dispatch(DispatchRequest dispatch) {
    context.forward(
        new Record<>(
            dispatch.getRequestId(), (Object) dispatch, dispatch.getDispatchedAt().toEpochMilli()),
        NodeNames.DISPATCH_SINK);
  }
}
