package io.aibroker.broker;

import io.aibroker.money.Usd;
import io.aibroker.records.InferenceRequest;
import io.aibroker.records.ProviderOutcome;
import io.aibroker.records.Task;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.Instant;

/**
 * Worst-case demand of a request, reserved at admission: a prompt token estimate (UTF-8 bytes / 3,
 * rounded up — generous, since real tokenizers average about 4 bytes a token) plus the most output
 * it may produce, priced at the most expensive of the model's routes at its tier; when a message
 * asks for a cache point, every prompt token at the highest of its input and cache-write prices
 * (the prompt may be written to the provider's cache). At completion it is replaced with what the
 * call actually used.
 */
final class Demands {

  private Demands() {}

  /**
   * The worst case of a request admitted at {@code now}, priced by the version in effect now and by
   * any version taking over later (the request may complete under it): a budget is never undershot.
   */
  static Demand of(
      InferenceRequest request, ModelDefinition model, PriceCatalog prices, Instant now) {
    long promptTokens = promptTokens(request);
    long outputTokens = request.getTask() == Task.EMBED ? 0 : maxOutput(request, model);
    boolean writesCache = request.getMessages().stream().anyMatch(m -> m.getCachePoint() != null);
    BigDecimal worst = Usd.ZERO;
    for (PriceVersion version : prices.fromOn(now)) {
      for (RouteOption option : model.routes()) {
        var route = option.route();
        worst =
            worst.max(
                version.worstCase(
                    route.getProviderModel(),
                    ServiceTiers.of(route),
                    promptTokens,
                    outputTokens,
                    writesCache));
      }
    }
    return new Demand(promptTokens + outputTokens, worst);
  }

  /**
   * What a provider call actually used: the tokens it reports, priced for the route and tier that
   * served it by the given version; nothing for a failed call.
   */
  static Demand used(ProviderOutcome outcome, PriceVersion version) {
    if (!outcome.getSuccess()) {
      return Demand.NONE;
    }
    var usage = outcome.getUsage();
    long in = usage == null ? 0 : usage.getInputTokens();
    long out = usage == null ? 0 : usage.getOutputTokens();
    return new Demand(
        in + out,
        version.cost(outcome.getRoute().getProviderModel(), ServiceTiers.of(outcome), usage));
  }

  static long promptTokens(InferenceRequest request) {
    long bytes = 0;
    for (var message : request.getMessages()) {
      bytes += message.getContent().getBytes(StandardCharsets.UTF_8).length + 4;
    }
    for (String input : request.getInputs()) {
      bytes += input.getBytes(StandardCharsets.UTF_8).length;
    }
    return Math.max(1, (bytes + 2) / 3);
  }

  private static long maxOutput(InferenceRequest request, ModelDefinition model) {
    var params = request.getParams();
    if (params != null && params.getMaxTokens() != null) {
      return params.getMaxTokens();
    }
    return model.maxOutputTokens();
  }
}
