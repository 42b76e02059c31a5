package io.aibroker.broker;

import io.aibroker.records.InferenceRequest;
import io.aibroker.records.InferenceResult;
import io.aibroker.records.ReasonCode;
import java.time.Instant;

/**
 * The answer to a request that names another tenant than the one whose topic it was written to:
 * {@code REJECTED TENANT_MISMATCH}, under the topic's tenant (the one Kafka authenticated), so that
 * it is charged to nobody and reaches only the writer.
 */
final class TenantMismatch {

  private TenantMismatch() {}

  static InferenceResult result(InferenceRequest request, String owner, String topic, Instant now) {
    InferenceRequest asOwner = InferenceRequest.newBuilder(request).setTenantId(owner).build();
    return Results.rejected(
        asOwner,
        new Rejection(
            ReasonCode.TENANT_MISMATCH,
            "the request names tenant '"
                + Printable.of(request.getTenantId())
                + "' but was written to "
                + topic
                + ", the topic of tenant '"
                + owner
                + "'; a tenant's topic carries only that tenant's requests"),
        now);
  }
}
