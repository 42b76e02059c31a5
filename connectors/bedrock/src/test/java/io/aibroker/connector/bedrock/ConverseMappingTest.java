package io.aibroker.connector.bedrock;

import static org.assertj.core.api.Assertions.assertThat;

import io.aibroker.connector.CacheLifetime;
import io.aibroker.connector.TokenUsage;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.bedrockruntime.model.CacheDetail;
import software.amazon.awssdk.services.bedrockruntime.model.CacheTTL;
import software.amazon.awssdk.services.bedrockruntime.model.ServiceTier;

class ConverseMappingTest {

  @Test
  void inputTokensAddTheCacheReadsAndWritesToBedrocksUncachedCount() {
    TokenUsage usage =
        ConverseMapping.usage(
            bedrock(300, 500).cacheReadInputTokens(1_000).cacheWriteInputTokens(200).build());

    assertThat(usage).isEqualTo(new TokenUsage(1_500, 500, 1_000, 200, 0, 0));
    assertThat(usage.uncachedInputTokens()).isEqualTo(300);
  }

  @Test
  void oneHourWritesComeFromTheCacheDetails() {
    TokenUsage usage =
        ConverseMapping.usage(
            bedrock(10, 5)
                .cacheWriteInputTokens(200)
                .cacheDetails(
                    CacheDetail.builder().ttl(CacheTTL.VALUE_5_M).inputTokens(120).build(),
                    CacheDetail.builder().ttl(CacheTTL.VALUE_1_H).inputTokens(80).build())
                .build());

    assertThat(usage).isEqualTo(new TokenUsage(210, 5, 0, 200, 80, 0));
  }

  @Test
  void cacheDetailsWithoutATotalStillCountAsWrites() {
    TokenUsage usage =
        ConverseMapping.usage(
            bedrock(10, 5)
                .cacheDetails(CacheDetail.builder().ttl("1h").inputTokens(40).build())
                .build());

    assertThat(usage).isEqualTo(new TokenUsage(50, 5, 0, 40, 40, 0));
  }

  @Test
  void missingCountsAreZero() {
    TokenUsage usage =
        ConverseMapping.usage(
            software.amazon.awssdk.services.bedrockruntime.model.TokenUsage.builder().build());

    assertThat(usage).isEqualTo(TokenUsage.ZERO);
  }

  @Test
  void oneHourCachePointsCarryTheirTtlAndFiveMinuteOnesTheDefault() {
    assertThat(ConverseMapping.cachePoint(CacheLifetime.ONE_HOUR).ttl())
        .isEqualTo(CacheTTL.VALUE_1_H);
    assertThat(ConverseMapping.cachePoint(CacheLifetime.FIVE_MINUTES).ttl()).isNull();
    assertThat(ConverseMapping.cachePoint(CacheLifetime.FIVE_MINUTES).typeAsString())
        .isEqualTo("default");
  }

  @Test
  void bedrocksDefaultTierIsStandard() {
    assertThat(ConverseMapping.servedTier(ServiceTier.builder().type("default").build()))
        .isEqualTo("standard");
    assertThat(ConverseMapping.servedTier(ServiceTier.builder().type("flex").build()))
        .isEqualTo("flex");
    assertThat(ConverseMapping.servedTier(null)).isNull();
    assertThat(ConverseMapping.serviceTier("standard")).isNull();
    assertThat(ConverseMapping.serviceTier("priority").typeAsString()).isEqualTo("priority");
  }

  private static software.amazon.awssdk.services.bedrockruntime.model.TokenUsage.Builder bedrock(
      int input, int output) {
    return software.amazon.awssdk.services.bedrockruntime.model.TokenUsage.builder()
        .inputTokens(input)
        .outputTokens(output)
        .totalTokens(input + output);
  }
}
