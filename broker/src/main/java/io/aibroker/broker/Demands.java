package io.aibroker.broker;

import io.aibroker.money.Usd;
import io.aibroker.records.InferenceRequest;
import io.aibroker.records.ProviderOutcome;
import io.aibroker.records.Task;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;

/**
 * Worst-case demand of a request, reserved at admission: a prompt token estimate (UTF-8 bytes / 3,
 * rounded up — generous, since real tokenizers average about 4 bytes a token) plus the most output
 * it may produce, priced at the most expensive of the model's routes. At completion it is replaced
 * with what the call actually used.
 */
final class Demands {

  private Demands() {}

  static Demand of(InferenceRequest request, ModelDefinition model, PriceCatalog prices) {
    long promptTokens = promptTokens(request);
    long outputTokens = request.getTask() == Task.EMBED ? 0 : maxOutput(request, model);
    BigDecimal worst = Usd.ZERO;
    for (RouteOption option : model.routes()) {
      BigDecimal cost = prices.cost(option.route().getProviderModel(), promptTokens, outputTokens);
      worst = worst.max(cost);
    }
    return new Demand(promptTokens + outputTokens, worst);
  }

  /**
   * What a provider call actually used: the tokens it reports, priced for the route that served it;
   * nothing for a failed call.
   */
  static Demand used(ProviderOutcome outcome, PriceCatalog prices) {
    if (!outcome.getSuccess()) {
      return Demand.NONE;
    }
    var usage = outcome.getUsage();
    long in = usage == null ? 0 : usage.getInputTokens();
    long out = usage == null ? 0 : usage.getOutputTokens();
    return new Demand(in + out, prices.cost(outcome.getRoute().getProviderModel(), in, out));
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
