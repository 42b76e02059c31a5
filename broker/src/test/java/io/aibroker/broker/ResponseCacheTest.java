package io.aibroker.broker;

import static io.aibroker.broker.TestRequests.NOW;
import static io.aibroker.broker.TestRequests.chat;
import static org.assertj.core.api.Assertions.assertThat;

import io.aibroker.records.CacheMode;
import io.aibroker.records.CacheOptions;
import io.aibroker.records.DispatchRequest;
import io.aibroker.records.InferenceRequest;
import io.aibroker.records.InferenceResult;
import io.aibroker.records.OverLimitAction;
import io.aibroker.records.ResultStatus;
import io.aibroker.records.internal.CacheEntry;
import io.aibroker.records.internal.InFlightRequest;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Cache keys, lookup, fill and TTL, in the tenant's scope or the shared one. */
class ResponseCacheTest {

  private static final ModelDefinition MODEL =
      TestRequests.models().resolve("chat-default").orElseThrow();
  private static final EffectivePolicy OWN = RuleFixture.unlimited();
  private static final EffectivePolicy SHARING =
      new EffectivePolicy(
          null,
          null,
          null,
          null,
          null,
          OverLimitAction.REJECT,
          List.of(),
          Duration.ofMinutes(10),
          true);

  private final RuleFixture fixture = new RuleFixture();
  private final ResponseCache cache =
      new ResponseCache(fixture.cache, fixture.sharedCache, fixture.outputs, fixture.metrics);

  private static InferenceRequest withCache(CacheMode mode, Integer ttlSeconds, String key) {
    return chat("r1", "acme", "hello")
        .setCache(
            CacheOptions.newBuilder().setMode(mode).setTtlSeconds(ttlSeconds).setKey(key).build())
        .build();
  }

  private static CacheEntry entry(String answer, Instant expiresAt) {
    InferenceResult result =
        InferenceResult.newBuilder()
            .setRequestId("r0")
            .setTenantId("acme")
            .setStatus(ResultStatus.SUCCEEDED)
            .setMessage(answer)
            .setCompletedAt(NOW)
            .build();
    return CacheEntry.newBuilder()
        .setCachedResult(result)
        .setCost(new BigDecimal("0.5"))
        .setExpiresAt(expiresAt)
        .build();
  }

  private static InFlightRequest inFlight(
      InferenceRequest request, String cacheKey, boolean fill, int ttlSeconds) {
    return InFlightRequest.newBuilder()
        .setDispatch(
            DispatchRequest.newBuilder()
                .setRequestId(request.getRequestId())
                .setTenantId(request.getTenantId())
                .setRequest(request)
                .setRoute(TestRequests.PRIMARY)
                .setDispatchedAt(NOW)
                .build())
        .setIdempotencyKey(request.getRequestId())
        .setCacheKey(cacheKey)
        .setCacheFill(fill)
        .setCacheTtlSeconds(ttlSeconds)
        .setReservedCost(BigDecimal.ZERO)
        .setReservedAt(NOW)
        .build();
  }

  @Test
  void theModeSaysWhetherARequestLooksUpAndFills() {
    InferenceRequest plain = chat("r1", "acme", "hello").build();
    assertThat(ResponseCache.mode(plain)).isEqualTo(CacheMode.DEFAULT);
    assertThat(ResponseCache.looksUp(plain)).isTrue();
    assertThat(ResponseCache.fills(plain)).isTrue();

    InferenceRequest refresh = withCache(CacheMode.REFRESH, null, null);
    assertThat(ResponseCache.looksUp(refresh)).isFalse();
    assertThat(ResponseCache.fills(refresh)).isTrue();

    InferenceRequest bypass = withCache(CacheMode.BYPASS, null, null);
    assertThat(ResponseCache.looksUp(bypass)).isFalse();
    assertThat(ResponseCache.fills(bypass)).isFalse();
    assertThat(ResponseCache.key(bypass, MODEL, OWN)).isNull();
  }

  @Test
  void keysAreTheTenantsOwnUnlessItSharesAndTheKeyIsNotExplicit() {
    InferenceRequest acme = chat("r1", "acme", "hello").build();
    InferenceRequest globex = chat("r2", "globex", "hello").build();

    assertThat(ResponseCache.key(acme, MODEL, OWN))
        .isNotEqualTo(ResponseCache.key(globex, MODEL, OWN));
    assertThat(ResponseCache.key(acme, MODEL, SHARING))
        .isEqualTo(ResponseCache.key(globex, MODEL, SHARING));
    assertThat(ResponseCache.isShared(acme, SHARING)).isTrue();
    assertThat(ResponseCache.isShared(acme, OWN)).isFalse();

    InferenceRequest named = withCache(CacheMode.DEFAULT, null, "faq-1");
    assertThat(ResponseCache.isShared(named, SHARING)).isFalse();
    assertThat(ResponseCache.key(named, MODEL, SHARING))
        .isEqualTo(ResponseCache.key(named, MODEL, OWN));
  }

  @Test
  void theTtlIsTheRequestsOwnElseTheTenants() {
    assertThat(ResponseCache.ttlSeconds(withCache(CacheMode.DEFAULT, 30, null), SHARING))
        .isEqualTo(30);
    assertThat(ResponseCache.ttlSeconds(withCache(CacheMode.DEFAULT, 0, null), SHARING)).isZero();
    assertThat(ResponseCache.ttlSeconds(chat("r1", "acme", "a").build(), SHARING)).isEqualTo(600);
    assertThat(ResponseCache.ttlSeconds(chat("r1", "acme", "a").build(), OWN)).isEqualTo(3600);
  }

  @Test
  void aLiveEntryIsAHitAndAMissingOrExpiredOneAMiss() {
    InferenceRequest request = chat("r1", "acme", "hello").build();
    assertThat(cache.lookup(request, "k", OWN, NOW)).isEmpty();

    fixture.cache.put("k", entry("cached", NOW));
    assertThat(cache.lookup(request, "k", OWN, NOW)).isEmpty(); // expires at now

    fixture.cache.put("k", entry("cached", NOW.plusSeconds(1)));
    assertThat(cache.lookup(request, "k", OWN, NOW))
        .hasValueSatisfying(e -> assertThat(e.getCachedResult().getMessage()).isEqualTo("cached"));

    assertThat(fixture.counted(BrokerMetrics.CACHE, "result", "miss")).isEqualTo(2);
    assertThat(fixture.counted(BrokerMetrics.CACHE, "result", "hit")).isEqualTo(1);
  }

  @Test
  void aSharingTenantLooksUpTheSharedTableOnly() {
    InferenceRequest request = chat("r1", "acme", "hello").build();
    fixture.cache.put("k", entry("own", NOW.plusSeconds(60)));
    assertThat(cache.lookup(request, "k", SHARING, NOW)).isEmpty();

    fixture.sharedCache.put("k", entry("shared", NOW.plusSeconds(60)));
    assertThat(cache.lookup(request, "k", SHARING, NOW))
        .hasValueSatisfying(e -> assertThat(e.getCachedResult().getMessage()).isEqualTo("shared"));
  }

  @Test
  void aSuccessFillsTheTenantsStoreForItsTtl() {
    InferenceRequest request = chat("r1", "acme", "hello").build();
    InferenceResult result = entry("answer", NOW).getCachedResult();

    cache.fill(inFlight(request, "k", true, 60), result, new BigDecimal("0.25"), OWN, NOW);

    CacheEntry filled = fixture.cache.get("k");
    assertThat(filled.getCachedResult().getMessage()).isEqualTo("answer");
    assertThat(filled.getCost()).isEqualByComparingTo("0.25");
    assertThat(filled.getExpiresAt()).isEqualTo(NOW.plusSeconds(60));
    assertThat(fixture.forwarded(NodeNames.SHARED_CACHE_SINK)).isEmpty();
  }

  @Test
  void nothingIsFilledWithoutFillKeyOrTtl() {
    InferenceRequest request = chat("r1", "acme", "hello").build();
    InferenceResult result = entry("answer", NOW).getCachedResult();

    cache.fill(inFlight(request, "k", false, 60), result, BigDecimal.ONE, OWN, NOW);
    cache.fill(inFlight(request, null, true, 60), result, BigDecimal.ONE, OWN, NOW);
    cache.fill(inFlight(request, "k", true, 0), result, BigDecimal.ONE, OWN, NOW);

    assertThat(fixture.cache.get("k")).isNull();
    assertThat(fixture.forwarded(NodeNames.SHARED_CACHE_SINK)).isEmpty();
  }

  @Test
  void aSharingTenantsEntryGoesToTheSharedTopicUnlessItsKeyIsExplicit() {
    InferenceRequest request = chat("r1", "acme", "hello").build();
    InferenceResult result = entry("answer", NOW).getCachedResult();

    cache.fill(inFlight(request, "k", true, 60), result, BigDecimal.ONE, SHARING, NOW);

    assertThat(fixture.cache.get("k")).isNull();
    assertThat(fixture.context.forwarded(NodeNames.SHARED_CACHE_SINK))
        .singleElement()
        .satisfies(f -> assertThat(f.record().key()).isEqualTo("k"));

    InferenceRequest named = withCache(CacheMode.DEFAULT, null, "faq-1");
    cache.fill(inFlight(named, "n", true, 60), result, BigDecimal.ONE, SHARING, NOW);
    assertThat(fixture.cache.get("n")).isNotNull();
  }
}
