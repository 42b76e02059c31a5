package io.aibroker.app;

import io.aibroker.app.config.AppConfig;
import io.aibroker.app.config.ComponentConfigs;
import io.aibroker.app.dashboard.DashboardData;
import io.aibroker.app.dashboard.DashboardHandler;
import io.aibroker.app.dashboard.DashboardSampler;
import io.aibroker.app.http.AdminKeys;
import io.aibroker.app.http.AllowedModels;
import io.aibroker.app.http.AllowedModelsReader;
import io.aibroker.app.http.ApiKeys;
import io.aibroker.app.http.ContentLog;
import io.aibroker.app.http.HttpEndpoint;
import io.aibroker.app.http.HttpLimits;
import io.aibroker.app.http.ModelDirectory;
import io.aibroker.app.http.OpenAiApi;
import io.aibroker.app.http.UsageView;
import io.aibroker.app.http.UsageViewReader;
import io.aibroker.app.prices.PriceSeeder;
import io.aibroker.app.prices.PriceTopic;
import io.aibroker.broker.AdminReplyTopics;
import io.aibroker.broker.BrokerConfig;
import io.aibroker.broker.BrokerMetrics;
import io.aibroker.broker.BrokerTopology;
import io.aibroker.client.AiBrokerClient;
import io.aibroker.connector.Connector;
import io.aibroker.connector.ConnectorContext;
import io.aibroker.connector.Connectors;
import io.aibroker.embedded.EmbeddedKafka;
import io.aibroker.embedded.EmbeddedKafkaConfig;
import io.aibroker.embedded.EmbeddedSchemaRegistry;
import io.aibroker.records.PriceList;
import io.aibroker.registry.RestSchemaRegistryClient;
import io.aibroker.registry.SchemaRegistryClient;
import io.aibroker.registry.SchemaRegistryConfig;
import io.aibroker.schemas.RecordSerdes;
import io.aibroker.topics.Topics;
import io.aibroker.workers.Worker;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.kafka.KafkaStreamsMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.net.InetAddress;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Deque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.streams.CloseOptions;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.errors.StreamsUncaughtExceptionHandler;
import org.apache.logging.log4j.Level;
import org.apache.logging.log4j.core.config.Configurator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One aibroker process: optionally an embedded Kafka and Schema Registry, the topics, the broker
 * topology, workers and the HTTP endpoint — whichever the configuration enables. Components stop in
 * the reverse order they started.
 */
public final class Platform implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(Platform.class);

  /** Bound of each call to Kafka while seeding the price catalog. */
  private static final Duration PRICES_TIMEOUT = Duration.ofSeconds(30);

  private final AppConfig config;
  private final Clock clock;
  private final Deque<AutoCloseable> started = new ArrayDeque<>();
  private final PrometheusMeterRegistry metrics =
      new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
  private String bootstrapServers;
  private String schemaRegistryUrl;
  private HttpEndpoint http;
  private KafkaStreams streams;
  private DashboardData dashboard;

  private Platform(AppConfig config, Clock clock) {
    this.config = config;
    this.clock = clock;
  }

  /** Starts every enabled component and returns once they are ready to serve. */
  public static Platform start(AppConfig config, Clock clock) throws Exception {
    Platform platform = new Platform(config, clock);
    try {
      platform.startAll();
      return platform;
    } catch (Exception | Error e) {
      platform.close();
      throw e;
    }
  }

  private void startAll() throws Exception {
    configureContentLogging();
    bindJvmMetrics();
    ApiKeys apiKeys = new ApiKeys(config.http().apiKeys());
    AdminKeys adminKeys = new AdminKeys(config.http().adminKeys());
    adminKeys.requireDistinctFrom(apiKeys);
    http =
        new HttpEndpoint(
            config.http().host(),
            config.http().port(),
            httpLimits(),
            adminKeys,
            config.http().metricsPublic(),
            metrics);
    started.push(http);
    // /health answers 200 only once every endpoint of this process serves: until startAll ends,
    // the API, the registry or the broker may not be there yet.
    AtomicBoolean startedUp = new AtomicBoolean();
    http.addCheck("startup", startedUp::get);
    http.start();
    startDashboard();
    startKafka();
    startSchemaRegistry();
    Topics topics = ComponentConfigs.topics(config);
    SchemaRegistryClient registry = new RestSchemaRegistryClient(registryClientConfig());
    started.push(registry);
    RecordSerdes serdes = new RecordSerdes(registry);
    provisionTopics(topics, registry, serdes);
    if (config.broker().enabled()) {
      // A worker-only process has no business answering API calls (and no reply topic of its own).
      startOpenAiApi(serdes, topics, apiKeys);
      startBroker(serdes);
    }
    if (config.workers().enabled()) {
      startWorker(serdes);
    }
    startedUp.set(true);
  }

  private HttpLimits httpLimits() {
    return new HttpLimits(
        config.http().maxBodyBytes(),
        config.http().maxConcurrentRequests(),
        Duration.ofMillis(config.http().readTimeoutMs()));
  }

  private void startOpenAiApi(RecordSerdes serdes, Topics topics, ApiKeys apiKeys) {
    HttpLimits limits = httpLimits();
    // Created on the first API call: until then no thread reads (and decodes) every result. The
    // API never has more than max-concurrent-requests in flight (it answers 503 beyond), so the
    // client's own bound, which would block, is only a backstop. It publishes each request on
    // its tenant's own topic, so the broker takes the tenant from the topic.
    var client =
        new LazyClient(
            () ->
                AiBrokerClient.builder(clientProperties(), serdes)
                    .topics(topics)
                    .useSharedResultsTopic()
                    .publishOnTenantTopics()
                    .maxInFlight(limits.maxConcurrentRequests())
                    .defaultTimeout(AiBrokerClient.DEFAULT_TIMEOUT)
                    .build());
    started.push(client);
    // One reader per process keeps every tenant's rollups in memory: /v1/usage reads no topic.
    UsageView usage = new UsageView(clock);
    started.push(
        new UsageViewReader(
            clientProperties(),
            topics.usageRollups(),
            serdes.rollups().deserializer(),
            usage,
            clock));
    // And every tenant's allowed models, so /v1/models follows `tenants set` without a restart.
    AllowedModels allowedModels = new AllowedModels();
    started.push(
        new AllowedModelsReader(
            clientProperties(), topics.tenants(), serdes.tenants().deserializer(), allowedModels));
    var api =
        new OpenAiApi(
            apiKeys,
            client,
            usage,
            ModelDirectory.of(ComponentConfigs.models(config), config.aliases()),
            allowedModels,
            new ContentLog(config.logging().includeContent()),
            clock,
            limits);
    dashboard.showTokensFrom(usage::tokensToday);
    Gauge.builder("aibroker.http.streams.active", api, OpenAiApi::activeStreams)
        .description("Streamed chat completions being answered")
        .register(metrics);
    Gauge.builder("aibroker.http.requests.in.flight", api, OpenAiApi::requestsInFlight)
        .description("API requests submitted to the broker and not answered yet")
        .register(metrics);
    http.addHandler("/v1", api);
  }

  /**
   * With {@code logging.include-content} on, content is logged at DEBUG: the content loggers are
   * raised to DEBUG so that one setting is enough. Off, they are left alone, and the components log
   * no content whatever the level.
   */
  private void configureContentLogging() {
    if (config.logging().includeContent()) {
      Configurator.setLevel(ContentLog.LOGGER, Level.DEBUG);
      LOG.warn(
          "logging.include-content is on: prompts and outputs are logged (logger {})",
          ContentLog.LOGGER);
    }
  }

  /** {@code GET /dashboard} (and {@code /} redirecting to it), drawn from this process's meters. */
  private void startDashboard() {
    // Wall clock, not the platform's: rates are per real second whatever clock requests use.
    DashboardData data =
        new DashboardData(
            metrics, Clock.systemUTC(), config.broker().enabled(), config.workers().enabled());
    dashboard = data;
    started.push(new DashboardSampler(data));
    // Every tenant's names and spend: for admins only once admin keys are configured.
    http.addAdminHandler(DashboardHandler.PATH, new DashboardHandler(data));
    // The redirect shows nothing; the dashboard it leads to asks for the key.
    http.addHandler("/", DashboardHandler.rootRedirect());
  }

  /** An {@link AiBrokerClient} made on first use, closed with the platform if it was made. */
  private static final class LazyClient implements Supplier<AiBrokerClient>, AutoCloseable {
    private final Supplier<AiBrokerClient> factory;
    private AiBrokerClient client;
    private boolean closed;

    LazyClient(Supplier<AiBrokerClient> factory) {
      this.factory = factory;
    }

    @Override
    public synchronized AiBrokerClient get() {
      if (closed) {
        throw new IllegalStateException("the platform is stopping");
      }
      if (client == null) {
        client = factory.get();
      }
      return client;
    }

    @Override
    public synchronized void close() {
      closed = true;
      if (client != null) {
        client.close();
      }
    }
  }

  private void bindJvmMetrics() {
    new JvmMemoryMetrics().bindTo(metrics);
    new JvmGcMetrics().bindTo(metrics);
    new JvmThreadMetrics().bindTo(metrics);
    new ProcessorMetrics().bindTo(metrics);
  }

  private void startKafka() {
    if (!config.kafka().embedded()) {
      bootstrapServers = config.kafka().bootstrapServers();
      return;
    }
    EmbeddedKafka kafka =
        new EmbeddedKafka(
            EmbeddedKafkaConfig.builder(config.dataDir().resolve("kafka"))
                .host(config.kafka().embeddedHost())
                .port(config.kafka().embeddedPort())
                .brokerProperties(config.kafka().embeddedBroker())
                .build());
    started.push(kafka);
    kafka.start();
    bootstrapServers = kafka.bootstrapServers();
    http.addCheck("kafka", kafka::isRunning);
  }

  private void startSchemaRegistry() {
    if (!config.schemaRegistry().embedded()) {
      schemaRegistryUrl = config.schemaRegistry().url();
      return;
    }
    EmbeddedSchemaRegistry registry =
        EmbeddedSchemaRegistry.builder(bootstrapServers)
            .kafkaClientProperties(clientProperties())
            .host(config.schemaRegistry().embeddedHost())
            .port(config.schemaRegistry().embeddedPort())
            .writeCredential(config.schemaRegistry().embeddedWriteCredential())
            .build();
    started.push(registry);
    registry.start();
    schemaRegistryUrl = registry.url();
  }

  /**
   * This process's registry client: the registry's URL, plus the embedded registry's write
   * credential when it has one, since the serializers register schemas.
   */
  private SchemaRegistryConfig registryClientConfig() {
    SchemaRegistryConfig plain = SchemaRegistryConfig.of(schemaRegistryUrl);
    var settings = config.schemaRegistry();
    if (!settings.embedded() || !settings.hasEmbeddedWriteCredential()) {
      return plain;
    }
    return new SchemaRegistryConfig(
        plain.urls(),
        plain.requestTimeout(),
        plain.maxAttempts(),
        plain.initialBackoff(),
        settings.embeddedWriteCredential());
  }

  /**
   * Creates the missing topics and registers each one's value schema, so that the contracts exist
   * before the first record (a client that does not own them reads the latest version); a broker
   * process also seeds the price catalog with the configured versions.
   */
  private void provisionTopics(Topics topics, SchemaRegistryClient registry, RecordSerdes serdes)
      throws InterruptedException {
    List<String> provisioned = new ArrayList<>();
    try (Admin admin = Admin.create(clientProperties())) {
      var provisioner =
          new TopicProvisioner(
              admin, topics, config.topicPartitions(), config.topics().replicationFactor());
      List<String> providers = ComponentConfigs.models(config).providers();
      provisioner.ensureTopics(providers);
      provisioned.addAll(topics.all(providers));
      if (config.broker().enabled()) {
        // The HTTP API publishes each request on its key's tenant's own topic (the broker then
        // takes the tenant from the topic, as for any tenant's principal).
        requireIngressFor(config.http().apiKeys().values());
        provisioner.ensureTenantRequestTopics(config.http().apiKeys().values());
        config.http().apiKeys().values().stream()
            .filter(Topics::canHaveOwnTopics)
            .distinct()
            .map(topics::tenantRequests)
            .forEach(provisioned::add);
      }
      if (config.workers().enabled()) {
        provisioner.prepareShareGroup(config.workers().groupId());
      }
    }
    new SchemaRegistration(registry, schemaRegistryUrl, new TopicSchemas(topics))
        .register(provisioned);
    if (config.broker().enabled()) {
      // Only a broker seeds: the prices are its configuration (a worker's may not carry them).
      PriceSeeder.seed(
          new PriceTopic(
              clientProperties(), topics.prices(), serdes.of(PriceList.class), PRICES_TIMEOUT),
          ComponentConfigs.priceLists(config));
    }
  }

  /**
   * Every HTTP tenant needs a way in: its own request topic, or the shared one. Without shared
   * ingress, a tenant id that cannot name a topic would have its requests wait for ever.
   */
  private void requireIngressFor(Collection<String> apiTenants) {
    if (config.broker().ingress().sharedTopic()) {
      return;
    }
    for (String tenant : apiTenants) {
      if (!Topics.canHaveOwnTopics(tenant)) {
        throw new IllegalArgumentException(
            "http.api-keys maps a key to tenant '"
                + tenant
                + "', which cannot have a request topic of its own (1-100 of A-Z a-z 0-9 _ -),"
                + " and broker.ingress.shared-topic is false: rename the tenant or turn shared"
                + " ingress on");
      }
    }
  }

  private void startBroker(RecordSerdes serdes) {
    BrokerConfig brokerConfig = ComponentConfigs.broker(config);
    Properties props = new Properties();
    props.putAll(brokerConfig.streamsProperties(clientProperties()));
    props.put("state.dir", config.dataDir().resolve("streams").toString());
    // Changelog and repartition topics are as durable as aibroker's own topics: with the Streams
    // default they would follow the cluster's default.replication.factor, which may be 1.
    props.put("replication.factor", (int) config.topics().replicationFactor());
    if (config.kafka().embedded()) {
      // One broker instance per data dir: static membership lets a restart after a crash take
      // its tasks back at once instead of waiting for the old session to expire.
      props.put("main.consumer.group.instance.id", brokerConfig.applicationId() + "-embedded");
    }
    props.put(BrokerConfig.REQUEST_PARTITIONS_CONFIG, requestPartitions(brokerConfig));
    var replyTopics = new AdminReplyTopics(Admin.create(clientProperties()), clock);
    started.push(replyTopics);
    streams =
        new KafkaStreams(
            BrokerTopology.build(
                brokerConfig, serdes, new BrokerMetrics(metrics), replyTopics, clock),
            props);
    // registered at 0 so that dashboards and alerts see the series before the first failure
    var threadsReplaced = metrics.counter(BrokerMetrics.STREAM_THREADS_REPLACED);
    streams.setUncaughtExceptionHandler(
        e -> {
          LOG.error("broker stream thread failed; replacing it", e);
          threadsReplaced.increment();
          return StreamsUncaughtExceptionHandler.StreamThreadExceptionResponse.REPLACE_THREAD;
        });
    var streamsMetrics = new KafkaStreamsMetrics(streams);
    streamsMetrics.bindTo(metrics);
    started.push(streamsMetrics);
    // Leaving the group on a clean stop lets the next start rebalance at once instead of
    // waiting for this member's session to time out.
    started.push(
        () ->
            streams.close(
                CloseOptions.groupMembershipOperation(
                        CloseOptions.GroupMembershipOperation.LEAVE_GROUP)
                    .withTimeout(Duration.ofSeconds(30))));
    streams.start();
    http.addCheck("broker", () -> streams.state() == KafkaStreams.State.RUNNING);
  }

  /** Partitions of the requests topic as created (it may predate this configuration). */
  private String requestPartitions(BrokerConfig brokerConfig) {
    String topic = brokerConfig.topics().requests();
    try (Admin admin = Admin.create(clientProperties())) {
      return Integer.toString(
          admin
              .describeTopics(List.of(topic))
              .allTopicNames()
              .get(60, TimeUnit.SECONDS)
              .get(topic)
              .partitions()
              .size());
    } catch (Exception e) {
      if (e instanceof InterruptedException) {
        Thread.currentThread().interrupt();
      }
      throw new IllegalStateException("cannot describe " + topic + ": " + e, e);
    }
  }

  private void startWorker(RecordSerdes serdes) {
    Map<String, Connector> connectors = new LinkedHashMap<>();
    ConnectorContext context = new ConnectorContext(clock, metrics);
    for (String provider : config.workers().providers()) {
      Connector connector =
          Connectors.create(
              provider, ComponentConfigs.connectorSettings(config, provider), context);
      started.push(connector);
      connectors.put(provider, connector);
    }
    Worker worker =
        new Worker(
            ComponentConfigs.worker(config, workerId()),
            connectors,
            serdes,
            clientProperties(),
            clock,
            metrics);
    started.push(worker);
    worker.start();
    http.addCheck("worker", worker::isRunning);
  }

  private static String workerId() {
    String host;
    try {
      host = InetAddress.getLocalHost().getHostName();
    } catch (IOException e) {
      host = "worker";
    }
    return host + "-" + UUID.randomUUID().toString().substring(0, 8);
  }

  /** Kafka connection settings shared by every client of this process. */
  public Map<String, Object> clientProperties() {
    Map<String, Object> props = new HashMap<>();
    if (config.kafka().client() != null) {
      props.putAll(config.kafka().client());
    }
    props.put("bootstrap.servers", bootstrapServers);
    return props;
  }

  /** Bootstrap servers of the Kafka cluster in use. */
  public String bootstrapServers() {
    return bootstrapServers;
  }

  /**
   * URL of the Schema Registry in use. An external one may carry credentials ({@code
   * user:password@}): print it only through {@link io.aibroker.registry.Urls#withoutUserInfo}.
   */
  public String schemaRegistryUrl() {
    return schemaRegistryUrl;
  }

  /** URL of the HTTP endpoint. */
  public String httpUrl() {
    return "http://" + config.http().host() + ":" + http.port();
  }

  /** Where local data lives. */
  public Path dataDir() {
    return config.dataDir();
  }

  /** True when every started component reports ready. */
  public boolean ready() {
    return streams == null || streams.state() == KafkaStreams.State.RUNNING;
  }

  /** The metrics registry of this process. */
  public PrometheusMeterRegistry metrics() {
    return metrics;
  }

  @Override
  public void close() {
    while (!started.isEmpty()) {
      AutoCloseable component = started.pop();
      try {
        component.close();
      } catch (Exception e) {
        LOG.warn("error while stopping {}", component.getClass().getSimpleName(), e);
      }
    }
  }
}
