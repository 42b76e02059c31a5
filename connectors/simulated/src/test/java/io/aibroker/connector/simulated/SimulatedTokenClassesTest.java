package io.aibroker.connector.simulated;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.aibroker.connector.CacheLifetime;
import io.aibroker.connector.ChatMessage;
import io.aibroker.connector.Connectors;
import io.aibroker.connector.ProviderCall;
import io.aibroker.connector.ProviderResponse;
import io.aibroker.connector.TokenUsage;
import io.aibroker.testing.MutableClock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Cache reads and writes from the simulated prompt cache, and reasoning tokens. */
class SimulatedTokenClassesTest {

  private static final String SYSTEM = "You are a careful assistant. ".repeat(40);
  private static final SimulatedConfig INSTANT =
      SimulatedConfig.builder().latency(Duration.ZERO).build();

  private final MutableClock clock = new MutableClock(Instant.parse("2030-01-01T00:00:00Z"));
  private final List<SimulatedConnector> connectors = new ArrayList<>();

  @AfterEach
  void close() {
    connectors.forEach(SimulatedConnector::close);
  }

  @Test
  void firstCallWithACachePointWritesThePrefixAndTheNextReadsIt() {
    SimulatedConnector connector = connector(INSTANT);
    long prefix = SimulatedModel.inputTokens(SYSTEM);

    TokenUsage first = answer(connector, cached("r1", CacheLifetime.FIVE_MINUTES, "Hi")).usage();
    clock.advance(Duration.ofMinutes(4));
    TokenUsage second =
        answer(connector, cached("r2", CacheLifetime.FIVE_MINUTES, "Other question")).usage();

    assertThat(first.cacheWriteInputTokens()).isEqualTo(prefix);
    assertThat(first.cacheWrite1hInputTokens()).isZero();
    assertThat(first.cacheReadInputTokens()).isZero();
    assertThat(first.uncachedInputTokens()).isEqualTo(SimulatedModel.inputTokens("Hi"));
    assertThat(second.cacheReadInputTokens()).isEqualTo(prefix);
    assertThat(second.cacheWriteInputTokens()).isZero();
    assertThat(second.inputTokens())
        .isEqualTo(prefix + SimulatedModel.inputTokens("Other question"));
  }

  @Test
  void oneHourCachePointsWriteAtTheOneHourLifetimeAndOutliveFiveMinutes() {
    SimulatedConnector connector = connector(INSTANT);
    long prefix = SimulatedModel.inputTokens(SYSTEM);

    TokenUsage first = answer(connector, cached("r1", CacheLifetime.ONE_HOUR, "Hi")).usage();
    clock.advance(Duration.ofMinutes(50));
    TokenUsage second = answer(connector, cached("r2", CacheLifetime.ONE_HOUR, "Hi")).usage();

    assertThat(first.cacheWriteInputTokens()).isEqualTo(prefix);
    assertThat(first.cacheWrite1hInputTokens()).isEqualTo(prefix);
    assertThat(second.cacheReadInputTokens()).isEqualTo(prefix);
  }

  @Test
  void anExpiredPrefixIsWrittenAgain() {
    SimulatedConnector connector = connector(INSTANT);

    answer(connector, cached("r1", CacheLifetime.FIVE_MINUTES, "Hi"));
    clock.advance(Duration.ofMinutes(5));
    TokenUsage again = answer(connector, cached("r2", CacheLifetime.FIVE_MINUTES, "Hi")).usage();

    assertThat(again.cacheReadInputTokens()).isZero();
    assertThat(again.cacheWriteInputTokens()).isEqualTo(SimulatedModel.inputTokens(SYSTEM));
  }

  @Test
  void readingAPrefixKeepsItAliveForAnotherLifetime() {
    SimulatedConnector connector = connector(INSTANT);

    answer(connector, cached("r1", CacheLifetime.FIVE_MINUTES, "Hi"));
    clock.advance(Duration.ofMinutes(4));
    answer(connector, cached("r2", CacheLifetime.FIVE_MINUTES, "Hi"));
    clock.advance(Duration.ofMinutes(4));
    TokenUsage third = answer(connector, cached("r3", CacheLifetime.FIVE_MINUTES, "Hi")).usage();

    assertThat(third.cacheReadInputTokens()).isEqualTo(SimulatedModel.inputTokens(SYSTEM));
  }

  @Test
  void callsWithoutACachePointNeitherReadNorWrite() {
    SimulatedConnector connector = connector(INSTANT);
    ProviderCall plain =
        ProviderCall.chat(
            "r1", "t1", "sim", List.of(ChatMessage.system(SYSTEM), ChatMessage.user("Hi")));

    TokenUsage first = answer(connector, plain).usage();
    TokenUsage second = answer(connector, plain).usage();

    assertThat(first).isEqualTo(new TokenUsage(first.inputTokens(), first.outputTokens()));
    assertThat(second).isEqualTo(first);
  }

  @Test
  void anotherDeploymentHasItsOwnCache() {
    SimulatedConnector connector = connector(INSTANT);

    answer(connector, cached("r1", CacheLifetime.FIVE_MINUTES, "Hi"));
    TokenUsage elsewhere =
        answer(connector, cached("r2", CacheLifetime.FIVE_MINUTES, "Hi").withDeployment("eu"))
            .usage();

    assertThat(elsewhere.cacheReadInputTokens()).isZero();
    assertThat(elsewhere.cacheWriteInputTokens()).isPositive();
  }

  @Test
  void theCacheKeepsAtMostItsBoundOfPrefixes() {
    PromptCache cache = new PromptCache(clock);
    for (int i = 0; i < PromptCache.MAX_ENTRIES + 10; i++) {
      ProviderCall call =
          ProviderCall.chat(
              "r" + i,
              "t1",
              "sim",
              List.of(ChatMessage.user("prefix " + i).withCachePoint(CacheLifetime.ONE_HOUR)));
      cache.apply(call, new TokenUsage(10, 1));
    }

    assertThat(cache.size()).isEqualTo(PromptCache.MAX_ENTRIES);
  }

  @Test
  void reasoningIsTheConfiguredShareOfTheOutput() {
    SimulatedConnector reasoning =
        connector(SimulatedConfig.builder().latency(Duration.ZERO).reasoningRatio(0.5).build());
    SimulatedConnector plain = connector(INSTANT);
    ProviderCall call = ProviderCall.chat("r1", "t1", "sim", List.of(ChatMessage.user("Hi")));

    TokenUsage withReasoning = answer(reasoning, call).usage();
    TokenUsage without = answer(plain, call).usage();

    assertThat(withReasoning.reasoningTokens())
        .isEqualTo(withReasoning.outputTokens() / 2)
        .isPositive();
    assertThat(without.reasoningTokens()).isZero();
  }

  @Test
  void theServedTierIsTheOneAskedFor() {
    ProviderCall call =
        ProviderCall.chat("r1", "t1", "sim", List.of(ChatMessage.user("Hi")))
            .withServiceTier("flex");

    assertThat(answer(connector(INSTANT), call).serviceTier()).isEqualTo("flex");
  }

  @Test
  void reasoningRatioIsConfiguredAndValidated() {
    SimulatedConfig config =
        Connectors.config(new SimulatedConnectorFactory(), Map.of("reasoningRatio", 0.25));

    assertThat(config.reasoningRatio()).isEqualTo(0.25);
    assertThat(config.toBuilder().build()).isEqualTo(config);
    assertThat(SimulatedConfig.defaults().reasoningRatio()).isZero();
    assertThatThrownBy(() -> SimulatedConfig.builder().reasoningRatio(1.5).build())
        .hasMessage("reasoningRatio must be between 0 and 1, was 1.5");
    assertThatThrownBy(() -> SimulatedConfig.builder().reasoningRatio(Double.NaN).build())
        .isInstanceOf(IllegalArgumentException.class);
  }

  private ProviderCall cached(String requestId, CacheLifetime lifetime, String question) {
    return ProviderCall.chat(
        requestId,
        "t1",
        "sim",
        List.of(ChatMessage.system(SYSTEM).withCachePoint(lifetime), ChatMessage.user(question)));
  }

  private SimulatedConnector connector(SimulatedConfig config) {
    SimulatedConnector connector = new SimulatedConnector(config, clock);
    connectors.add(connector);
    return connector;
  }

  private static ProviderResponse answer(SimulatedConnector connector, ProviderCall call) {
    try {
      return connector.call(call).toCompletableFuture().get(5, TimeUnit.SECONDS);
    } catch (Exception e) {
      throw new AssertionError("call " + call.requestId() + " failed", e);
    }
  }
}
