package io.aibroker.broker;

import io.aibroker.money.TierSavings;
import io.aibroker.money.Usd;
import io.aibroker.records.RollupWindow;
import io.aibroker.records.UsageEvent;
import io.aibroker.records.UsageRollup;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * Adds each usage event to its tenant x model x provider hour (its cost, and its cost at the
 * standard tier, so a report shows what cheaper tiers saved), and publishes the rollups of each
 * hour and of its day once per {@link #PUBLISH_INTERVAL} in which the hour changed (later records
 * for a window supersede earlier ones), not once per event: at a thousand requests a second a
 * window used to be written two thousand times a second. A day's rollup is the sum of its hours,
 * taken when it is published: the store keeps hours only, so each commit writes one changed window
 * per tenant x model x provider, not two. The hours changed since their last publication are kept
 * in a store of their own, so a crash between a change and its publication only delays it. Windows
 * older than three days are dropped from the store; their last rollup stays on the topic.
 */
final class UsageRollupProcessor implements Processor<String, Object, String, Object> {

  static final String STORE = "usage-rollups";

  /** The keys of windows changed since their rollup was last published. */
  static final String UNPUBLISHED_STORE = "usage-rollups-unpublished";

  /** How often changed windows are published: the delay a usage report may lag behind. */
  static final Duration PUBLISH_INTERVAL = Duration.ofSeconds(1);

  private static final Duration RETENTION = Duration.ofDays(3);

  private ProcessorContext<String, Object> context;
  private KeyValueStore<String, UsageRollup> rollups;
  private KeyValueStore<String, String> unpublished;
  private StoreSweeper<UsageRollup> sweeper;
  private Instant cutoff = Instant.EPOCH;

  @Override
  public void init(ProcessorContext<String, Object> context) {
    this.context = context;
    this.rollups = context.getStateStore(STORE);
    this.unpublished = context.getStateStore(UNPUBLISHED_STORE);
    context.schedule(PUBLISH_INTERVAL, PunctuationType.WALL_CLOCK_TIME, this::publish);
    // a slice of the store per minute (windows are dropped days after they end: no hurry)
    this.sweeper = new StoreSweeper<>(rollups, r -> r.getWindowEnd().isBefore(cutoff), 10_000);
    context.schedule(Duration.ofMinutes(1), PunctuationType.WALL_CLOCK_TIME, this::evictOld);
  }

  @Override
  public void process(Record<String, Object> record) {
    if (!(record.value() instanceof UsageEvent event)) {
      return;
    }
    Instant hour = event.getOccurredAt().truncatedTo(ChronoUnit.HOURS);
    String key =
        key(
            event.getTenantId(),
            event.getModel(),
            event.getProvider(),
            event.getProviderModel(),
            RollupWindow.HOUR,
            hour);
    UsageRollup one = ofOne(event, hour);
    UsageRollup rollup = rollups.get(key);
    if (rollup == null) {
      rollup = one;
    } else {
      add(rollup, one);
    }
    rollups.put(key, rollup);
    markUnpublished(key);
  }

  private static String key(
      String tenant,
      String model,
      String provider,
      String providerModel,
      RollupWindow window,
      Instant start) {
    return String.join(
        "\u0000",
        tenant,
        model,
        provider,
        providerModel,
        window.name(),
        Long.toString(start.toEpochMilli()));
  }

  /** The event as the rollup of its hour. */
  private static UsageRollup ofOne(UsageEvent event, Instant hour) {
    return UsageRollup.newBuilder()
        .setTenantId(event.getTenantId())
        .setModel(event.getModel())
        .setProvider(event.getProvider())
        .setProviderModel(event.getProviderModel())
        .setWindow(RollupWindow.HOUR)
        .setWindowStart(hour)
        .setWindowEnd(hour.plus(Duration.ofHours(1)))
        .setRequests(1)
        .setCacheHits(event.getCacheHit() ? 1 : 0)
        .setInputTokens(event.getInputTokens())
        .setOutputTokens(event.getOutputTokens())
        .setCacheReadInputTokens(event.getCacheReadInputTokens())
        .setCacheWriteInputTokens(event.getCacheWriteInputTokens())
        .setCacheWrite1hInputTokens(event.getCacheWrite1hInputTokens())
        .setReasoningTokens(event.getReasoningTokens())
        .setCost(Usd.of(event.getCost()))
        .setSavedCost(Usd.of(event.getSavedCost()))
        .setStandardCost(Usd.of(TierSavings.standardCost(event)))
        .setUpdatedAt(event.getOccurredAt())
        .build();
  }

  /** Adds one window's totals to another's (an event's to its hour's, an hour's to its day's). */
  private static void add(UsageRollup total, UsageRollup part) {
    total.setRequests(total.getRequests() + part.getRequests());
    total.setCacheHits(total.getCacheHits() + part.getCacheHits());
    total.setInputTokens(total.getInputTokens() + part.getInputTokens());
    total.setOutputTokens(total.getOutputTokens() + part.getOutputTokens());
    total.setCacheReadInputTokens(total.getCacheReadInputTokens() + part.getCacheReadInputTokens());
    total.setCacheWriteInputTokens(
        total.getCacheWriteInputTokens() + part.getCacheWriteInputTokens());
    total.setCacheWrite1hInputTokens(
        total.getCacheWrite1hInputTokens() + part.getCacheWrite1hInputTokens());
    total.setReasoningTokens(total.getReasoningTokens() + part.getReasoningTokens());
    total.setCost(Usd.of(total.getCost().add(part.getCost())));
    total.setSavedCost(Usd.of(total.getSavedCost().add(part.getSavedCost())));
    total.setStandardCost(
        Usd.of(TierSavings.standardCost(total).add(TierSavings.standardCost(part))));
    if (part.getUpdatedAt().isAfter(total.getUpdatedAt())) {
      total.setUpdatedAt(part.getUpdatedAt());
    }
  }

  /**
   * Marks the window changed, once until its next publication: the mark is in the store from the
   * commit of the window's first change on, so marking it again at every later change (and commit)
   * only wrote the same changelog record again, about 20 times a second per window exactly-once.
   */
  private void markUnpublished(String key) {
    if (unpublished.get(key) == null) {
      unpublished.put(key, "");
    }
  }

  /**
   * Publishes the current rollup of every hour changed since its last publication, then that of
   * each of their days.
   */
  private void publish(long wallClockMs) {
    List<String> changed = new ArrayList<>();
    try (KeyValueIterator<String, String> keys = unpublished.all()) {
      keys.forEachRemaining(entry -> changed.add(entry.key));
    }
    Map<String, UsageRollup> days = new LinkedHashMap<>();
    for (String key : changed) {
      UsageRollup rollup = rollups.get(key);
      if (rollup != null) {
        forward(rollup);
        if (rollup.getWindow() == RollupWindow.HOUR) {
          days.putIfAbsent(dayKey(rollup), rollup);
        }
      }
      unpublished.delete(key);
    }
    days.values().forEach(hour -> forward(dayOf(hour)));
  }

  private void forward(UsageRollup rollup) {
    context.forward(
        new Record<>(rollup.getTenantId(), (Object) rollup, rollup.getUpdatedAt().toEpochMilli()),
        NodeNames.ROLLUPS_SINK);
  }

  private static String dayKey(UsageRollup hour) {
    return key(
        hour.getTenantId(),
        hour.getModel(),
        hour.getProvider(),
        hour.getProviderModel(),
        RollupWindow.DAY,
        hour.getWindowStart().truncatedTo(ChronoUnit.DAYS));
  }

  /** The rollup of the hour's day: the sum of the day's hours in the store. */
  private UsageRollup dayOf(UsageRollup hour) {
    Instant start = hour.getWindowStart().truncatedTo(ChronoUnit.DAYS);
    UsageRollup day = null;
    for (int h = 0; h < 24; h++) {
      UsageRollup part =
          rollups.get(
              key(
                  hour.getTenantId(),
                  hour.getModel(),
                  hour.getProvider(),
                  hour.getProviderModel(),
                  RollupWindow.HOUR,
                  start.plus(Duration.ofHours(h))));
      if (part == null) {
        continue;
      }
      if (day == null) {
        day = part;
        day.setWindow(RollupWindow.DAY);
        day.setWindowStart(start);
        day.setWindowEnd(start.plus(Duration.ofDays(1)));
      } else {
        add(day, part);
      }
    }
    return day;
  }

  private void evictOld(long wallClockMs) {
    cutoff = Instant.ofEpochMilli(wallClockMs).minus(RETENTION);
    sweeper.sweep();
  }
}
