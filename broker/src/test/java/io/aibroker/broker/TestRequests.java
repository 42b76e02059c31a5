package io.aibroker.broker;

import io.aibroker.records.ChatMessage;
import io.aibroker.records.GenerationParams;
import io.aibroker.records.InferenceRequest;
import io.aibroker.records.InferenceResult;
import io.aibroker.records.ReasonCode;
import io.aibroker.records.ResultStatus;
import io.aibroker.records.Route;
import io.aibroker.records.Task;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/** Requests, models and prices the broker tests share. */
final class TestRequests {

  static final Instant NOW = Instant.parse("2026-11-22T10:00:00Z");
  static final Route PRIMARY = new Route("simulated", "local", "sim-chat-1", "standard", null);
  static final Route FALLBACK = new Route("backup", "eu", "backup-chat-1", "standard", null);

  /**
   * How chat-batch's first route pools BATCH requests: jobs of up to 1,000 lines, a 24 h window.
   */
  static final BatchSettings BATCH =
      new BatchSettings(Duration.ofSeconds(2), 1, 1000, BatchSettings.DEFAULT_WINDOW);

  private TestRequests() {}

  static ModelCatalog models() {
    return ModelCatalog.of(
        List.of(
            new ModelDefinition(
                "chat-default",
                Task.CHAT,
                1000,
                List.of(RouteOption.of(PRIMARY), new RouteOption(FALLBACK, 1, 1))),
            new ModelDefinition(
                "chat-batch",
                Task.CHAT,
                1000,
                List.of(new RouteOption(PRIMARY, 1, 0, BATCH), new RouteOption(FALLBACK, 1, 1))),
            new ModelDefinition(
                "embed-default",
                Task.EMBED,
                1,
                List.of(
                    RouteOption.of(
                        new Route("simulated", "local", "sim-embed-1", "standard", null))))),
        Map.of("default", "chat-default"));
  }

  /**
   * One version, "test-1", in effect since the epoch: sim-chat-1 (and its batch tier, at half
   * price) and backup-chat-1 priced.
   */
  static PriceCatalog prices() {
    return PriceCatalog.of(
        List.of(
            new PriceVersion(
                "test-1",
                Instant.EPOCH,
                Map.of(
                    "sim-chat-1",
                    Map.of(
                        PriceVersion.STANDARD_TIER,
                        new TierPrice(new BigDecimal("1.00"), new BigDecimal("2.00")),
                        BatchRouting.TIER,
                        new TierPrice(new BigDecimal("0.50"), new BigDecimal("1.00"))),
                    "backup-chat-1",
                    Map.of(
                        PriceVersion.STANDARD_TIER,
                        new TierPrice(new BigDecimal("3.00"), new BigDecimal("4.00")))))));
  }

  /** {@link #prices()}, as the rules read them. */
  static LivePrices livePrices() {
    return LivePrices.fixed(prices());
  }

  static BrokerConfig config(TenantDefaults defaults) {
    return new BrokerConfig(
        io.aibroker.topics.Topics.defaults(),
        "test-broker",
        "exactly_once_v2",
        java.time.Duration.ofMillis(10),
        java.time.Duration.ZERO,
        0,
        1,
        BrokerConfig.DEFAULT_ROCKSDB_MEMORY_BYTES,
        models(),
        prices(),
        RequestLimits.defaults(),
        defaults);
  }

  static InferenceRequest.Builder chat(String requestId, String tenant, String text) {
    return InferenceRequest.newBuilder()
        .setRequestId(requestId)
        .setTenantId(tenant)
        .setTask(Task.CHAT)
        .setModel("chat-default")
        .setMessages(List.of(new ChatMessage("user", text, null)))
        .setCreatedAt(NOW.minusMillis(100));
  }

  static GenerationParams params(Integer maxTokens, Double temperature, Double topP) {
    return GenerationParams.newBuilder()
        .setMaxTokens(maxTokens)
        .setTemperature(temperature)
        .setTopP(topP)
        .build();
  }

  /** A SUCCEEDED result of the request whose message names it. */
  static InferenceResult succeeded(InferenceRequest request) {
    InferenceResult result =
        Results.rejected(request, new Rejection(ReasonCode.INVALID_REQUEST, "x"), NOW);
    result.setStatus(ResultStatus.SUCCEEDED);
    result.setReason(null);
    result.setMessage("answer of " + request.getRequestId());
    return result;
  }
}
