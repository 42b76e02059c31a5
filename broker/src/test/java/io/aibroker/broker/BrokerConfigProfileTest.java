package io.aibroker.broker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.aibroker.records.OverLimitAction;
import io.aibroker.topics.Topics;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class BrokerConfigProfileTest {

  private static BrokerConfig exactlyOnce() {
    return new BrokerConfig(
        Topics.defaults(),
        "app",
        "exactly_once_v2",
        Duration.ofMillis(50),
        Duration.ofMillis(5),
        16L << 20,
        1,
        BrokerConfig.DEFAULT_ROCKSDB_MEMORY_BYTES,
        ModelCatalog.of(List.of(), Map.of()),
        PriceCatalog.of(List.of()),
        new RequestLimits(10, 10, 1000, 128),
        new TenantDefaults(
            null,
            null,
            null,
            null,
            null,
            OverLimitAction.REJECT,
            Duration.ofHours(1),
            Duration.ofDays(1),
            100));
  }

  @Test
  void theLowLatencyProfileIsAtLeastOnceWithoutLingerAndAShortCommitInterval() {
    BrokerConfig low = exactlyOnce().withProfile(BrokerConfig.PROFILE_LOW_LATENCY);

    Map<String, Object> props = low.streamsProperties(Map.of());
    assertThat(props)
        .containsEntry("processing.guarantee", "at_least_once")
        .containsEntry("producer.linger.ms", 0L)
        .containsEntry("commit.interval.ms", BrokerConfig.LOW_LATENCY_COMMIT_INTERVAL.toMillis());
    assertThat(low.streamThreads()).isEqualTo(1);
    assertThat(low.cacheMaxBytes()).isEqualTo(16L << 20);
  }

  @Test
  void theExactlyOnceProfileLeavesTheSettingsAsConfigured() {
    BrokerConfig config = exactlyOnce();

    assertThat(config.withProfile(BrokerConfig.PROFILE_EXACTLY_ONCE)).isEqualTo(config);
    assertThat(config.withProfile(null)).isEqualTo(config);
  }

  @Test
  void anUnknownProfileIsRefusedWithTheNamesThatExist() {
    assertThatThrownBy(() -> exactlyOnce().withProfile("fast"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("exactly-once")
        .hasMessageContaining("low-latency");
  }

  @Test
  void theStreamThreadWaitsForInputATenthOfTheCommitIntervalSoThatIdleOutputsCommitOnTime() {
    assertThat(exactlyOnce().streamsProperties(Map.of())).containsEntry("poll.ms", 5L);
    assertThat(
            exactlyOnce().withProfile(BrokerConfig.PROFILE_LOW_LATENCY).streamsProperties(Map.of()))
        .containsEntry("poll.ms", 10L);
  }

  @Test
  void tasksProcessWhatTheyHaveWithoutWaitingForTheirOtherPartitions() {
    assertThat(exactlyOnce().streamsProperties(Map.of())).containsEntry("max.task.idle.ms", -1L);
    assertThat(
            exactlyOnce().withProfile(BrokerConfig.PROFILE_LOW_LATENCY).streamsProperties(Map.of()))
        .containsEntry("max.task.idle.ms", -1L);
  }

  @Test
  void exactlyOnceCommitsRetryAddingOffsetsSoonerThanKafkasDefaultBackoff() {
    assertThat(exactlyOnce().streamsProperties(Map.of()))
        .containsEntry("producer.retry.backoff.ms", BrokerConfig.TRANSACTION_RETRY_BACKOFF_MS);
    assertThat(
            exactlyOnce().withProfile(BrokerConfig.PROFILE_LOW_LATENCY).streamsProperties(Map.of()))
        .doesNotContainKey("producer.retry.backoff.ms");
  }

  @Test
  void aRetryBackoffTheClientSettingsGiveIsKept() {
    Map<String, Object> props = exactlyOnce().streamsProperties(Map.of("retry.backoff.ms", 250));

    assertThat(props)
        .containsEntry("retry.backoff.ms", 250)
        .doesNotContainKey("producer.retry.backoff.ms");
  }

  @Test
  void onlyTheExactlyOnceGuaranteeCountsAsExactlyOnce() {
    assertThat(exactlyOnce().exactlyOnce()).isTrue();
    assertThat(exactlyOnce().withProfile(BrokerConfig.PROFILE_LOW_LATENCY).exactlyOnce()).isFalse();
  }
}
