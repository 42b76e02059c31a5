package io.aibroker.broker;

import io.aibroker.money.Usd;
import io.aibroker.records.DispatchRequest;
import io.aibroker.records.ProviderOutcome;
import io.aibroker.records.ResultStatus;
import io.aibroker.records.UsageEvent;
import java.math.BigDecimal;
import java.time.Instant;

/** Builds the ledger entries of billable requests. */
final class UsageEvents {

  private UsageEvents() {}

  /** The usage event of a request served by a provider. Its id is stable under replay. */
  static UsageEvent billed(
      DispatchRequest dispatch,
      ProviderOutcome outcome,
      BigDecimal cost,
      String priceVersion,
      Instant now) {
    var request = dispatch.getRequest();
    var usage = outcome.getUsage();
    return UsageEvent.newBuilder()
        .setEventId("usage:" + request.getTenantId() + ":" + request.getRequestId())
        .setRequestId(request.getRequestId())
        .setTenantId(request.getTenantId())
        .setUserId(request.getUserId())
        .setTags(request.getTags())
        .setModel(request.getModel())
        .setProvider(outcome.getRoute().getProvider())
        .setProviderModel(outcome.getRoute().getProviderModel())
        .setInputTokens(usage == null ? 0 : usage.getInputTokens())
        .setOutputTokens(usage == null ? 0 : usage.getOutputTokens())
        .setCost(cost)
        .setPriceVersion(priceVersion)
        .setCacheHit(false)
        .setSavedCost(Usd.ZERO)
        .setStatus(ResultStatus.SUCCEEDED)
        .setOccurredAt(now)
        .build();
  }
}
