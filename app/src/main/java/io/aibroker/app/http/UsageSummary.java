package io.aibroker.app.http;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.aibroker.money.TierSavings;
import io.aibroker.records.UsageRollup;
import java.math.BigDecimal;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The body of {@code GET /v1/usage}: a tenant's requests, cache hits, tokens, cost and savings in
 * USD over a range. Tokens by class: {@code input_tokens} and {@code output_tokens} count all, and
 * of them {@code cache_read_tokens}, {@code cache_write_tokens} (of which {@code
 * cache_write_1h_tokens} with a one-hour lifetime) and {@code reasoning_tokens} the ones billed at
 * a price of their own, in total and per model x provider x provider model. {@code saved_usd} is
 * what cache hits saved, {@code saved_vs_standard_usd} what cheaper service tiers (batch, flex)
 * saved against the standard tier (negative for a dearer one). Money is exact: decimal JSON numbers
 * at full precision, never floating-point sums.
 */
final class UsageSummary {

  private static final JsonNodeFactory NODES = JsonNodeFactory.withExactBigDecimals(true);

  private UsageSummary() {}

  /** Totals of one group of rollups. */
  private static final class Totals {
    long requests;
    long cacheHits;
    long inputTokens;
    long outputTokens;
    long cacheReadTokens;
    long cacheWriteTokens;
    long cacheWrite1hTokens;
    long reasoningTokens;
    BigDecimal cost = BigDecimal.ZERO;
    BigDecimal saved = BigDecimal.ZERO;
    BigDecimal savedVsStandard = BigDecimal.ZERO;

    void add(UsageRollup r) {
      requests += r.getRequests();
      cacheHits += r.getCacheHits();
      inputTokens += r.getInputTokens();
      outputTokens += r.getOutputTokens();
      cacheReadTokens += r.getCacheReadInputTokens();
      cacheWriteTokens += r.getCacheWriteInputTokens();
      cacheWrite1hTokens += r.getCacheWrite1hInputTokens();
      reasoningTokens += r.getReasoningTokens();
      cost = cost.add(r.getCost());
      saved = saved.add(r.getSavedCost());
      savedVsStandard = savedVsStandard.add(TierSavings.savedVsStandard(r));
    }

    ObjectNode into(ObjectNode node) {
      return node.put("requests", requests)
          .put("cache_hits", cacheHits)
          .put("input_tokens", inputTokens)
          .put("output_tokens", outputTokens)
          .put("cache_read_tokens", cacheReadTokens)
          .put("cache_write_tokens", cacheWriteTokens)
          .put("cache_write_1h_tokens", cacheWrite1hTokens)
          .put("reasoning_tokens", reasoningTokens)
          .put("cost_usd", plain(cost))
          .put("saved_usd", plain(saved))
          .put("saved_vs_standard_usd", plain(savedVsStandard));
    }
  }

  private record Group(String model, String provider, String providerModel)
      implements Comparable<Group> {
    @Override
    public int compareTo(Group o) {
      int c = model.compareTo(o.model);
      c = c != 0 ? c : provider.compareTo(o.provider);
      return c != 0 ? c : providerModel.compareTo(o.providerModel);
    }
  }

  /** The summary of the tenant's rollups over the range. */
  static ObjectNode of(String tenant, UsageRange range, List<UsageRollup> rollups) {
    Totals all = new Totals();
    Map<Group, Totals> groups = new TreeMap<>();
    for (UsageRollup r : rollups) {
      all.add(r);
      groups
          .computeIfAbsent(
              new Group(r.getModel(), r.getProvider(), r.getProviderModel()), g -> new Totals())
          .add(r);
    }
    ObjectNode body = NODES.objectNode();
    body.put("object", "usage.summary");
    body.put("tenant", tenant);
    body.put("start_time", range.start().getEpochSecond());
    body.put("end_time", range.end().getEpochSecond());
    body.put("start", range.start().toString());
    body.put("end", range.end().toString());
    body.put("currency", "usd");
    all.into(body.putObject("totals"));
    ArrayNode data = body.putArray("data");
    groups.forEach(
        (group, totals) ->
            totals.into(
                data.addObject()
                    .put("model", group.model())
                    .put("provider", group.provider())
                    .put("provider_model", group.providerModel())));
    return body;
  }

  private static BigDecimal plain(BigDecimal amount) {
    BigDecimal stripped = amount.stripTrailingZeros();
    return stripped.scale() < 0 ? stripped.setScale(0) : stripped;
  }
}
