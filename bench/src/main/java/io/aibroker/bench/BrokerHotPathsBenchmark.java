package io.aibroker.bench;

import io.aibroker.broker.HotPaths;
import io.aibroker.broker.ModelDefinition;
import io.aibroker.broker.PriceCatalog;
import io.aibroker.broker.PriceVersion;
import io.aibroker.broker.RouteOption;
import io.aibroker.broker.TenantDefaults;
import io.aibroker.broker.TierPrice;
import io.aibroker.money.Usd;
import io.aibroker.records.ChatMessage;
import io.aibroker.records.GenerationParams;
import io.aibroker.records.InferenceRequest;
import io.aibroker.records.OverLimitAction;
import io.aibroker.records.ReasonCode;
import io.aibroker.records.Route;
import io.aibroker.records.Task;
import io.aibroker.records.TenantPolicy;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * The broker's per-request arithmetic, through its public entry points ({@link HotPaths}):
 * cache-key hashing, quota admission (demand estimate, check, reserve, settle) and route ordering.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class BrokerHotPathsBenchmark {

  private InferenceRequest request;
  private ModelDefinition model;
  private HotPaths.QuotaLedgerProbe ledger;
  private Instant now;
  private List<RouteOption> routes;
  private long sequence;

  /** A typical chat request, a model with three routes, a tenant with every limit set. */
  @Setup
  public void setUp() {
    now = Instant.parse("2026-03-15T10:15:30Z");
    request =
        InferenceRequest.newBuilder()
            .setRequestId("bench-request-1")
            .setTenantId("acme")
            .setTask(Task.CHAT)
            .setModel("chat-default")
            .setMessages(
                List.of(
                    new ChatMessage("system", "You are a helpful assistant.", null),
                    new ChatMessage(
                        "user", "Summarize the quarterly report in three bullet points.", null)))
            .setParams(GenerationParams.newBuilder().setMaxTokens(256).setTemperature(0.2).build())
            .setCreatedAt(now)
            .build();
    routes =
        List.of(
            new RouteOption(
                new Route(
                    "bedrock",
                    "bedrock-us-east-1",
                    "anthropic.claude-3-5-haiku-20241022-v1:0",
                    "standard",
                    null),
                3,
                0),
            new RouteOption(
                new Route("azure-openai", "azure-eu", "gpt-4o-mini", "standard", null), 1, 0),
            new RouteOption(
                new Route(
                    "workers-ai", "cloudflare", "@cf/meta/llama-3.1-8b-instruct", "standard", null),
                1,
                1));
    model = new ModelDefinition("chat-default", Task.CHAT, 4096, routes);
    PriceCatalog prices =
        PriceCatalog.of(
            List.of(
                new PriceVersion(
                    "2026-12",
                    Instant.parse("2026-12-01T00:00:00Z"),
                    Map.of(
                        "anthropic.claude-3-5-haiku-20241022-v1:0",
                        Map.of(
                            "standard",
                            new TierPrice(
                                new BigDecimal("0.80"),
                                new BigDecimal("4.00"),
                                new BigDecimal("0.08"),
                                new BigDecimal("1.00"),
                                new BigDecimal("1.60"))),
                        "gpt-4o-mini",
                        Map.of(
                            "standard",
                            new TierPrice(
                                new BigDecimal("0.15"),
                                new BigDecimal("0.60"),
                                new BigDecimal("0.075"),
                                null,
                                null)),
                        "@cf/meta/llama-3.1-8b-instruct",
                        Map.of(
                            "standard",
                            new TierPrice(new BigDecimal("0.28"), new BigDecimal("0.83")))))));
    TenantDefaults defaults =
        new TenantDefaults(
            null,
            null,
            null,
            null,
            null,
            OverLimitAction.REJECT,
            Duration.ofHours(1),
            Duration.ofDays(1),
            10_000);
    ledger =
        new HotPaths.QuotaLedgerProbe(
            TenantPolicy.newBuilder()
                .setTenantId("acme")
                .setRequestsPerMinute(1_000_000_000)
                .setTokensPerMinute(Long.MAX_VALUE / 4)
                .setMaxConcurrent(1_000_000_000)
                .setDailyBudgetUsd(Usd.parse("1000000000"))
                .setMonthlyBudgetUsd(Usd.parse("1000000000"))
                .setUpdatedAt(now)
                .build(),
            defaults,
            prices,
            now);
  }

  /** SHA-256 content key of a two-message chat request. */
  @Benchmark
  public String cacheKey() {
    return HotPaths.cacheKey(request, "chat-default", false);
  }

  /** Admission of one request against every limit, then its settlement. */
  @Benchmark
  public Optional<ReasonCode> quotaAdmitAndSettle() {
    return ledger.admitAndSettle(request, model, now, 120, Usd.of(new BigDecimal("0.0000312")));
  }

  /** Ordering three routes over two priorities with weights, no circuit open. */
  @Benchmark
  public List<Route> route() {
    return HotPaths.routeOrder(routes, r -> false, "req-" + (sequence++ & 1023));
  }
}
