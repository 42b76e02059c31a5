package io.aibroker.app.config;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * aibroker's configuration, as read from YAML ({@code aibroker-default.yaml} merged with the {@code
 * --config} file and environment overrides). Property names are kebab-case in YAML.
 */
public record AppConfig(
    Path dataDir,
    TopicsConfig topics,
    KafkaConfig kafka,
    SchemaRegistrySettings schemaRegistry,
    HttpConfig http,
    LoggingSettings logging,
    BrokerSettings broker,
    WorkersSettings workers,
    Map<String, Map<String, Object>> connectors,
    List<ModelSettings> models,
    Map<String, String> aliases,
    PriceSettings prices) {

  /** Topic naming and sizing. */
  public record TopicsConfig(String prefix, int partitions, short replicationFactor) {}

  /** Kafka connection: external cluster or embedded broker. */
  public record KafkaConfig(
      String bootstrapServers, String embeddedHost, int embeddedPort, Map<String, Object> client) {

    /** True when aibroker must start its own Kafka. */
    public boolean embedded() {
      return bootstrapServers == null || bootstrapServers.isBlank();
    }
  }

  /** Schema Registry: external URL or embedded server. */
  public record SchemaRegistrySettings(String url, String embeddedHost, int embeddedPort) {

    /** True when aibroker must serve its own registry. */
    public boolean embedded() {
      return url == null || url.isBlank();
    }
  }

  /**
   * The HTTP endpoint (health, metrics, the OpenAI-compatible API and its key hashes).
   *
   * @param adminKeys SHA-256 hex of the admin keys that open /dashboard and /metrics
   * @param metricsPublic /metrics without an admin key (a private scrape network)
   * @param maxBodyBytes largest request body accepted
   * @param maxConcurrentRequests requests handled at once
   * @param readTimeoutMs how long reading a request may take
   */
  public record HttpConfig(
      String host,
      int port,
      Map<String, String> apiKeys,
      List<String> adminKeys,
      boolean metricsPublic,
      long maxBodyBytes,
      int maxConcurrentRequests,
      long readTimeoutMs) {}

  /**
   * What goes into the logs.
   *
   * @param includeContent log prompts and outputs at DEBUG (logger {@code io.aibroker.content})
   *     from the HTTP API and the workers, for troubleshooting; off (the default), content is never
   *     logged
   */
  public record LoggingSettings(boolean includeContent) {}

  /** The broker (Kafka Streams) component. */
  public record BrokerSettings(
      boolean enabled,
      String applicationId,
      String profile,
      String processingGuarantee,
      long commitIntervalMs,
      long producerLingerMs,
      long cacheMaxBytes,
      int streamThreads,
      long rocksdbMemoryBytes,
      IngressSettings ingress,
      String unknownTenants,
      WaiterSettings waiters,
      LimitSettings limits,
      TenantDefaultsSettings tenantDefaults) {}

  /**
   * Where the broker reads requests from.
   *
   * @param sharedTopic read the shared requests topic, whose records name their own tenant (for
   *     trusted producers); tenants' own topics {@code <prefix>.requests.<tenantId>} are always
   *     read
   * @param discoveryIntervalMs how soon a tenant topic created while the broker runs is read
   */
  public record IngressSettings(boolean sharedTopic, long discoveryIntervalMs) {}

  /**
   * Bounds of the requests waiting for another request's result (duplicates, coalesced).
   *
   * @param maxRequests most requests waiting for one request
   * @param maxBytes most bytes of them (ids, reply topic, tags and metadata; not the prompt)
   */
  public record WaiterSettings(int maxRequests, long maxBytes) {}

  /** The policy of tenants without one of their own; null limits are unlimited. */
  public record TenantDefaultsSettings(
      Integer requestsPerMinute,
      Long tokensPerMinute,
      Integer maxConcurrent,
      String dailyBudgetUsd,
      String monthlyBudgetUsd,
      String overLimit,
      long cacheTtlSeconds,
      long idempotencyWindowSeconds,
      int maxQueued) {}

  /** Request size limits. */
  public record LimitSettings(
      int maxMessages,
      int maxInputs,
      int maxPromptBytes,
      int maxIdLength,
      int maxAttributeBytes,
      boolean replyToTenantTopicOnly) {}

  /** The worker component. */
  public record WorkersSettings(
      boolean enabled,
      String groupId,
      List<String> providers,
      int maxPollRecords,
      long callTimeoutMs,
      int consumers,
      int maxInFlightPerDeployment,
      int deliveryLimit,
      long drainTimeoutMs,
      long renewIntervalMs,
      long healthIntervalMs,
      boolean followOutcomes,
      WorkerRetrySettings retry,
      WorkerBreakerSettings breaker) {}

  /** How workers retry failed provider calls. */
  public record WorkerRetrySettings(int maxAttempts, long backoffBaseMs, long backoffCapMs) {}

  /** The circuit breaker of each deployment. */
  public record WorkerBreakerSettings(
      float failureRateThreshold,
      int slidingWindowSize,
      int minimumNumberOfCalls,
      long waitInOpenStateMs,
      int permittedCallsInHalfOpenState) {}

  /** A logical model. */
  public record ModelSettings(
      String name, String task, int maxOutputTokens, List<RouteSettings> routes) {}

  /** One route of a model. */
  public record RouteSettings(
      String provider, String deployment, String providerModel, Integer weight, Integer priority) {}

  /** The price catalog. */
  public record PriceSettings(String version, Map<String, PriceEntry> models) {}

  /** USD per million tokens. */
  public record PriceEntry(String inputPerMillion, String outputPerMillion) {}
}
