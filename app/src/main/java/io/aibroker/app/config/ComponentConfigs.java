package io.aibroker.app.config;

import io.aibroker.broker.BatchSettings;
import io.aibroker.broker.BrokerConfig;
import io.aibroker.broker.ModelCatalog;
import io.aibroker.broker.ModelDefinition;
import io.aibroker.broker.PriceCatalog;
import io.aibroker.broker.RequestLimits;
import io.aibroker.broker.RouteOption;
import io.aibroker.broker.Tenancy;
import io.aibroker.broker.TenantDefaults;
import io.aibroker.connector.Durations;
import io.aibroker.money.Usd;
import io.aibroker.records.OverLimitAction;
import io.aibroker.records.PriceList;
import io.aibroker.records.Route;
import io.aibroker.records.Task;
import io.aibroker.topics.Topics;
import io.aibroker.workers.WorkerConfig;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** Turns the app configuration into the self-validating config records of each component. */
public final class ComponentConfigs {

  private ComponentConfigs() {}

  /** Topic names. */
  public static Topics topics(AppConfig config) {
    return new Topics(config.topics().prefix());
  }

  /** The model catalog. */
  public static ModelCatalog models(AppConfig config) {
    var models =
        config.models().stream()
            .map(
                m ->
                    new ModelDefinition(
                        m.name(),
                        Task.valueOf(m.task()),
                        m.maxOutputTokens(),
                        m.routes().stream().map(r -> routeOption(m.name(), r)).toList()))
            .toList();
    return ModelCatalog.of(models, config.aliases() == null ? Map.of() : config.aliases());
  }

  private static RouteOption routeOption(String model, AppConfig.RouteSettings r) {
    return new RouteOption(
        new Route(
            r.provider(),
            r.deployment(),
            r.providerModel(),
            r.tier() == null || r.tier().isBlank() ? PriceLists.STANDARD_TIER : r.tier(),
            null), // the broker sets batch on the dispatches it pools, never on the route itself
        r.weight() == null ? 1 : r.weight(),
        r.priority() == null ? 0 : r.priority(),
        batchSettings(model, r));
  }

  /**
   * The route's batch pooling settings; null when batch is not enabled on it.
   *
   * @throws IllegalArgumentException naming the route, for a setting missing or out of bounds
   */
  static BatchSettings batchSettings(String model, AppConfig.RouteSettings r) {
    var batch = r.batch();
    if (batch == null || !Boolean.TRUE.equals(batch.enabled())) {
      return null;
    }
    String route = "model " + model + ", route " + r.provider() + "/" + r.deployment() + ": ";
    try {
      return new BatchSettings(
          Durations.parse(required(batch.maxWait(), "max-wait")),
          required(batch.minLines(), "min-lines"),
          required(batch.maxLines(), "max-lines"),
          batch.window() == null ? BatchSettings.DEFAULT_WINDOW : Durations.parse(batch.window()));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(route + e.getMessage(), e);
    }
  }

  private static <T> T required(T value, String key) {
    if (value == null) {
      throw new IllegalArgumentException("batch " + key + " is required when batch is enabled");
    }
    return value;
  }

  /** The policy of tenants without one of their own. */
  public static TenantDefaults tenantDefaults(AppConfig config) {
    var d = config.broker().tenantDefaults();
    return new TenantDefaults(
        d.requestsPerMinute(),
        d.tokensPerMinute(),
        d.maxConcurrent(),
        d.dailyBudgetUsd() == null ? null : Usd.parse(d.dailyBudgetUsd()),
        d.monthlyBudgetUsd() == null ? null : Usd.parse(d.monthlyBudgetUsd()),
        OverLimitAction.valueOf(d.overLimit().toUpperCase(Locale.ROOT)),
        Duration.ofSeconds(d.cacheTtlSeconds()),
        Duration.ofSeconds(d.idempotencyWindowSeconds()),
        d.maxQueued());
  }

  /** The broker's configuration. */
  public static BrokerConfig broker(AppConfig config) {
    var b = config.broker();
    var l = b.limits();
    return new BrokerConfig(
            topics(config),
            b.applicationId(),
            b.processingGuarantee(),
            Duration.ofMillis(b.commitIntervalMs()),
            Duration.ofMillis(b.producerLingerMs()),
            b.cacheMaxBytes(),
            b.streamThreads(),
            b.rocksdbMemoryBytes(),
            models(config),
            prices(config),
            new RequestLimits(
                l.maxMessages(),
                l.maxInputs(),
                l.maxPromptBytes(),
                l.maxIdLength(),
                l.maxAttributeBytes(),
                l.replyToTenantTopicOnly()),
            tenantDefaults(config))
        .withProfile(b.profile())
        .withTenancy(tenancy(config));
  }

  /** Where requests come from, unknown tenants and waiter bounds. */
  public static Tenancy tenancy(AppConfig config) {
    var b = config.broker();
    return new Tenancy(
        b.ingress().sharedTopic(),
        Tenancy.UnknownTenants.valueOf(b.unknownTenants().toUpperCase(Locale.ROOT)),
        b.waiters().maxRequests(),
        b.waiters().maxBytes(),
        Duration.ofMillis(b.ingress().discoveryIntervalMs()));
  }

  /** The configured price versions, which seed the prices topic. */
  public static List<PriceList> priceLists(AppConfig config) {
    return PriceLists.of(config.prices());
  }

  /**
   * The configured price catalog: every configured version, which the broker overlays with the
   * versions on the prices topic.
   */
  public static PriceCatalog prices(AppConfig config) {
    return PriceCatalog.ofLists(priceLists(config));
  }

  /**
   * A connector's settings as its config record expects them: YAML is kebab-case throughout ({@code
   * failure-rate}), config records are camelCase ({@code failureRate}).
   */
  public static Map<String, Object> connectorSettings(AppConfig config, String provider) {
    Map<String, Object> raw =
        config.connectors() == null ? null : config.connectors().get(provider);
    Map<String, Object> settings = new LinkedHashMap<>();
    if (raw != null) {
      raw.forEach((key, value) -> settings.put(camelCase(key), value));
    }
    return settings;
  }

  private static String camelCase(String kebab) {
    StringBuilder out = new StringBuilder(kebab.length());
    boolean upper = false;
    for (char c : kebab.toCharArray()) {
      if (c == '-') {
        upper = true;
      } else {
        out.append(upper ? Character.toUpperCase(c) : c);
        upper = false;
      }
    }
    return out.toString();
  }

  /** The configuration of this process's worker. */
  public static WorkerConfig worker(AppConfig config, String workerId) {
    var w = config.workers();
    var r = w.retry();
    var b = w.breaker();
    return WorkerConfig.builder(topics(config), w.groupId(), workerId, w.providers())
        .maxPollRecords(w.maxPollRecords())
        .callTimeout(Duration.ofMillis(w.callTimeoutMs()))
        .consumers(w.consumers() > 0 ? w.consumers() : WorkerConfig.DEFAULT_CONSUMERS)
        .maxInFlightPerDeployment(w.maxInFlightPerDeployment())
        .deliveryLimit(w.deliveryLimit())
        .drainTimeout(Duration.ofMillis(w.drainTimeoutMs()))
        .renewInterval(Duration.ofMillis(w.renewIntervalMs()))
        .healthInterval(Duration.ofMillis(w.healthIntervalMs()))
        .retry(
            new WorkerConfig.RetrySettings(
                r.maxAttempts(),
                Duration.ofMillis(r.backoffBaseMs()),
                Duration.ofMillis(r.backoffCapMs())))
        .breaker(
            new WorkerConfig.BreakerSettings(
                b.failureRateThreshold(),
                b.slidingWindowSize(),
                b.minimumNumberOfCalls(),
                Duration.ofMillis(b.waitInOpenStateMs()),
                b.permittedCallsInHalfOpenState()))
        .includeContent(config.logging().includeContent())
        .followOutcomes(w.followOutcomes())
        .batchPollInterval(Duration.ofMillis(w.batchPollIntervalMs()))
        .batchJobsSessionTimeout(Duration.ofMillis(w.batchJobsSessionTimeoutMs()))
        .build();
  }
}
