package io.aibroker.broker;

import io.aibroker.money.Usd;
import io.aibroker.records.DispatchRequest;
import io.aibroker.records.InferenceRequest;
import io.aibroker.records.InferenceResult;
import io.aibroker.records.ProviderOutcome;
import io.aibroker.records.ResultStatus;
import io.aibroker.records.UsageEvent;
import java.math.BigDecimal;
import java.time.Instant;

/** Builds the ledger entries of billable requests. */
final class UsageEvents {

  private UsageEvents() {}

  /**
   * The usage event of a request answered without a provider call of its own (cache hit or
   * coalesced): cost 0, and what it would have cost as savedCost.
   */
  static UsageEvent cacheHit(
      InferenceRequest request,
      InferenceResult result,
      BigDecimal saved,
      String priceVersion,
      Instant now) {
    var usage = result.getUsage();
    return UsageEvent.newBuilder()
        .setEventId("usage:" + request.getTenantId() + ":" + request.getRequestId())
        .setRequestId(request.getRequestId())
        .setTenantId(request.getTenantId())
        .setUserId(request.getUserId())
        .setTags(request.getTags())
        .setModel(request.getModel())
        .setProvider(result.getProvider() == null ? "" : result.getProvider())
        .setProviderModel(result.getProviderModel() == null ? "" : result.getProviderModel())
        .setInputTokens(usage == null ? 0 : usage.getInputTokens())
        .setOutputTokens(usage == null ? 0 : usage.getOutputTokens())
        .setCost(Usd.ZERO)
        .setPriceVersion(priceVersion)
        .setCacheHit(true)
        .setSavedCost(Usd.of(saved))
        .setStatus(ResultStatus.SUCCEEDED)
        .setOccurredAt(now)
        .build();
  }

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
