package io.aibroker.app.config;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.aibroker.registry.Urls;
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

  /**
   * Partitions of the topics aibroker creates: {@code topics.partitions}, or, where that is 0 (the
   * default), as many as suit the Kafka it runs on ({@link TopicsConfig#partitionsOn}).
   */
  public int topicPartitions() {
    return topics.partitionsOn(kafka.embedded());
  }

  /**
   * Topic naming and sizing.
   *
   * @param partitions partitions of each topic aibroker creates; 0 sizes them to the Kafka ({@link
   *     #partitionsOn})
   */
  public record TopicsConfig(String prefix, int partitions, short replicationFactor) {

    /**
     * The embedded Kafka's: one machine, whose broker runs one stream thread by default. Under
     * exactly-once each commit writes a transaction marker to every partition it wrote, so
     * partitions the thread cannot use in parallel cost records and CPU per request (on 2 cores, 2
     * instead of 6: 8.78 Kafka records per request at 1,000/s instead of 9.08, 3,000 requests/s
     * with p99 177 ms instead of 288; docs/PERFORMANCE.md).
     */
    public static final int EMBEDDED_PARTITIONS = 2;

    /**
     * A cluster's: room for the stream threads of several broker instances. A topic's partitions
     * can only grow, and growing them sends tenants away from the state their old task keeps.
     */
    public static final int CLUSTER_PARTITIONS = 6;

    /** Refuses a negative partition count. */
    public TopicsConfig {
      if (partitions < 0) {
        throw new IllegalArgumentException(
            "topics.partitions must be 0 (sized to the Kafka) or more, got " + partitions);
      }
    }

    /** The partitions set, or for 0 those of the embedded Kafka or of a cluster. */
    public int partitionsOn(boolean embeddedKafka) {
      if (partitions > 0) {
        return partitions;
      }
      return embeddedKafka ? EMBEDDED_PARTITIONS : CLUSTER_PARTITIONS;
    }
  }

  /**
   * Kafka connection: external cluster or embedded broker.
   *
   * @param embeddedBroker broker settings of the embedded Kafka over its own (tests shorten
   *     share-group heartbeats and sessions with them); null or empty: none
   */
  public record KafkaConfig(
      String bootstrapServers,
      String embeddedHost,
      int embeddedPort,
      Map<String, Object> client,
      Map<String, String> embeddedBroker) {

    /** Normalizes an absent map of embedded broker settings to an empty one. */
    public KafkaConfig {
      embeddedBroker = embeddedBroker == null ? Map.of() : Map.copyOf(embeddedBroker);
    }

    /** True when aibroker must start its own Kafka. */
    public boolean embedded() {
      return bootstrapServers == null || bootstrapServers.isBlank();
    }
  }

  /**
   * Schema Registry: external URL or embedded server.
   *
   * @param url the external registry's URL (may carry {@code user:password@}); empty for embedded
   * @param embeddedWriteCredential {@code user:password} the embedded registry requires for changes
   *     (HTTP Basic auth); empty for none, when only loopback clients may change it
   */
  public record SchemaRegistrySettings(
      String url, String embeddedHost, int embeddedPort, String embeddedWriteCredential) {

    /** Checks the credential's form; the message never shows it. */
    public SchemaRegistrySettings {
      if (embeddedWriteCredential != null
          && !embeddedWriteCredential.isEmpty()
          && embeddedWriteCredential.indexOf(':') < 1) {
        throw new IllegalArgumentException(
            "schema-registry.embedded-write-credential must have the form user:password (value"
                + " not shown)");
      }
    }

    /** True when aibroker must serve its own registry. */
    public boolean embedded() {
      return url == null || url.isBlank();
    }

    /** True when the embedded registry requires a credential for changes. */
    public boolean hasEmbeddedWriteCredential() {
      return embeddedWriteCredential != null && !embeddedWriteCredential.isEmpty();
    }

    /** Shows the settings without credentials. */
    @Override
    public String toString() {
      return "SchemaRegistrySettings[url="
          + Urls.withoutUserInfo(url)
          + ", embeddedHost="
          + embeddedHost
          + ", embeddedPort="
          + embeddedPort
          + ", embeddedWriteCredential="
          + (hasEmbeddedWriteCredential() ? "[hidden]" : "none")
          + "]";
    }
  }

  /**
   * The HTTP endpoint (health, metrics, dashboard, the OpenAI-compatible API) and its limits.
   *
   * @param host address to bind
   * @param port port to bind, 0 for any free one
   * @param apiKeys SHA-256 hex of each API key -> its tenant
   * @param maxBodyBytes the largest request body accepted; larger ones get 413 unread
   * @param maxConcurrentRequests requests handled at once (and API requests in flight through the
   *     broker); beyond it 503 with Retry-After, except {@code /health} and {@code /metrics}
   * @param readTimeoutMs the longest a request may take to arrive (headers and body) and the
   *     longest a connection may stay silent while a request is read or between requests
   * @param adminKeys SHA-256 hex of each admin key; when any is set, the dashboard, {@code
   *     /metrics} (unless {@code metricsPublic}) and every all-tenant view require one
   * @param metricsPublic serve {@code /metrics} without an admin key, for a private scrape network
   */
  public record HttpConfig(
      String host,
      int port,
      Map<String, String> apiKeys,
      long maxBodyBytes,
      int maxConcurrentRequests,
      long readTimeoutMs,
      List<String> adminKeys,
      boolean metricsPublic) {}

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
      long batchPollIntervalMs,
      long batchJobsSessionTimeoutMs,
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

  /**
   * One route of a model.
   *
   * @param tier the provider service tier to ask for and price at ({@code standard} when unset;
   *     {@code flex}, {@code priority} where the provider sells them)
   * @param batch how the route pools BATCH requests into provider batch jobs; null or not enabled:
   *     it only calls in real time
   */
  public record RouteSettings(
      String provider,
      String deployment,
      String providerModel,
      Integer weight,
      Integer priority,
      String tier,
      BatchRouteSettings batch) {}

  /**
   * How a route pools BATCH requests (non-streaming chats whose deadline, if any, lies beyond the
   * window) into provider batch jobs, priced at the provider's batch tier. Durations as {@code 2s},
   * {@code 500ms}, {@code 24h} or ISO-8601 ({@code PT2S}).
   *
   * @param enabled pool on this route; false or unset: real-time calls only
   * @param maxWait longest a request waits in the pool before its job is submitted (> 0)
   * @param minLines lines a pool gathers before it is submitted ahead of {@code maxWait}
   *     (1..maxLines)
   * @param maxLines most lines one job carries (1..50000)
   * @param window the provider's completion window; {@code 24h} when unset
   */
  public record BatchRouteSettings(
      Boolean enabled, String maxWait, Integer minLines, Integer maxLines, String window) {}

  /**
   * The price catalog as configured: its versions seed the compacted prices topic, which {@code
   * aibroker prices} changes live.
   *
   * @param versions the catalog's versions, in any order
   */
  public record PriceSettings(List<PriceVersionSettings> versions) {}

  /**
   * One version of the price catalog.
   *
   * @param version its id, named by every usage event it prices
   * @param effectiveFrom an ISO-8601 instant ({@code 2026-12-01T00:00:00Z}) or a UTC date ({@code
   *     2026-12-01}) from which it prices completed requests
   * @param source where the prices come from
   * @param models provider model id -> its standard-tier price and other tiers
   */
  public record PriceVersionSettings(
      String version, String effectiveFrom, String source, Map<String, PriceEntry> models) {}

  /**
   * USD per million tokens of one provider model. Cache prices left out are the input price (the
   * one-hour write: the cache-write price).
   *
   * @param tiers other service tiers ({@code batch}, {@code flex}, {@code priority}) priced apart
   *     from the standard tier this entry is
   */
  public record PriceEntry(
      String inputPerMillion,
      String outputPerMillion,
      String cacheReadPerMillion,
      String cacheWritePerMillion,
      // kebab-case of the component name would be "cache-write1h-per-million"
      @JsonProperty("cache-write-1h-per-million") String cacheWrite1hPerMillion,
      Map<String, PriceEntry> tiers) {}
}
