package io.aibroker.broker;

import io.aibroker.money.Usd;
import io.aibroker.records.DispatchRequest;
import io.aibroker.records.InferenceRequest;
import io.aibroker.records.InferenceResult;
import io.aibroker.records.ProviderOutcome;
import io.aibroker.records.ResultStatus;
import io.aibroker.records.TokenUsage;
import io.aibroker.records.UsageEvent;
import java.math.BigDecimal;
import java.time.Instant;

/** Builds the ledger entries of billable requests. */
final class UsageEvents {

  private UsageEvents() {}

  /**
   * The usage event of a request answered without a provider call of its own (cache hit or
   * coalesced): cost 0 (and standardCost 0: no tier saved anything), and as savedCost what its
   * tokens cost at the tier its route asks for, by the version in effect at the hit, which it
   * names.
   */
  static UsageEvent cacheHit(
      InferenceRequest request,
      InferenceResult result,
      PriceVersion version,
      String serviceTier,
      Instant now) {
    var usage = result.getUsage();
    String providerModel = result.getProviderModel() == null ? "" : result.getProviderModel();
    return tokens(UsageEvent.newBuilder(), usage)
        .setEventId("usage:" + request.getTenantId() + ":" + request.getRequestId())
        .setRequestId(request.getRequestId())
        .setTenantId(request.getTenantId())
        .setUserId(request.getUserId())
        .setTags(request.getTags())
        .setModel(request.getModel())
        .setProvider(result.getProvider() == null ? "" : result.getProvider())
        .setProviderModel(providerModel)
        .setServiceTier(serviceTier)
        .setCost(Usd.ZERO)
        .setPriceVersion(version.version())
        .setCacheHit(true)
        .setSavedCost(version.cost(providerModel, serviceTier, usage))
        .setStandardCost(Usd.ZERO) // nothing billed; what the hit saved is savedCost
        .setStatus(ResultStatus.SUCCEEDED)
        .setOccurredAt(now)
        .build();
  }

  /**
   * The usage event of a request served by a provider, priced by the given version at the tier the
   * call was served at, and, as standardCost, at that version's standard tier, so finance sees what
   * a cheaper tier (batch, flex) saved. Its id is stable under replay.
   *
   * @param cost what the call costs at the tier it was served at, by {@code version}
   */
  static UsageEvent billed(
      DispatchRequest dispatch,
      ProviderOutcome outcome,
      BigDecimal cost,
      PriceVersion version,
      Instant now) {
    var request = dispatch.getRequest();
    String providerModel = outcome.getRoute().getProviderModel();
    BigDecimal standardCost =
        version.cost(providerModel, PriceVersion.STANDARD_TIER, outcome.getUsage());
    return tokens(UsageEvent.newBuilder(), outcome.getUsage())
        .setEventId("usage:" + request.getTenantId() + ":" + request.getRequestId())
        .setRequestId(request.getRequestId())
        .setTenantId(request.getTenantId())
        .setUserId(request.getUserId())
        .setTags(request.getTags())
        .setModel(request.getModel())
        .setProvider(outcome.getRoute().getProvider())
        .setProviderModel(providerModel)
        .setServiceTier(ServiceTiers.of(outcome))
        .setCost(cost)
        .setPriceVersion(version.version())
        .setCacheHit(false)
        .setSavedCost(Usd.ZERO)
        .setStandardCost(standardCost)
        .setStatus(ResultStatus.SUCCEEDED)
        .setOccurredAt(now)
        .build();
  }

  /** Every token class of the usage (0 for a call that reported none). */
  private static UsageEvent.Builder tokens(UsageEvent.Builder event, TokenUsage usage) {
    if (usage == null) {
      return event.setInputTokens(0).setOutputTokens(0);
    }
    return event
        .setInputTokens(usage.getInputTokens())
        .setOutputTokens(usage.getOutputTokens())
        .setCacheReadInputTokens(usage.getCacheReadInputTokens())
        .setCacheWriteInputTokens(usage.getCacheWriteInputTokens())
        .setCacheWrite1hInputTokens(usage.getCacheWrite1hInputTokens())
        .setReasoningTokens(usage.getReasoningTokens());
  }
}
