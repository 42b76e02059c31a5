package io.aibroker.schemas;

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
import java.util.List;
import org.apache.avro.Schema;

/** The top-level record schemas of aibroker's topics, as compiled into this release. */
public final class AibrokerSchemas {

  private AibrokerSchemas() {}

  /** Every top-level record schema (the values of aibroker's topics). */
  public static List<Schema> topLevel() {
    return List.of(
        InferenceRequest.getClassSchema(),
        InferenceResult.getClassSchema(),
        UsageEvent.getClassSchema(),
        DispatchRequest.getClassSchema(),
        ProviderOutcome.getClassSchema(),
        TenantPolicy.getClassSchema(),
        UsageRollup.getClassSchema(),
        ProviderHealth.getClassSchema(),
        ResultChunk.getClassSchema(),
        PriceList.getClassSchema());
  }
}
