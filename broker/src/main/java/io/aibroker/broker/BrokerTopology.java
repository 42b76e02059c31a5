package io.aibroker.broker;

import io.aibroker.records.DispatchRequest;
import io.aibroker.records.InferenceResult;
import io.aibroker.records.PriceList;
import io.aibroker.records.Priority;
import io.aibroker.records.ProviderHealth;
import io.aibroker.records.TenantPolicy;
import io.aibroker.records.UsageEvent;
import io.aibroker.records.UsageRollup;
import io.aibroker.records.internal.CacheEntry;
import io.aibroker.records.internal.IdempotencyEntry;
import io.aibroker.records.internal.InFlightRequest;
import io.aibroker.records.internal.TenantUsage;
import io.aibroker.records.internal.WaiterList;
import io.aibroker.schemas.RecordSerdes;
import io.aibroker.topics.Topics;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.serialization.Serializer;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.processor.TopicNameExtractor;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.StoreBuilder;
import org.apache.kafka.streams.state.Stores;

/**
 * Builds the broker's Kafka Streams topology.
 *
 * <pre>
 *   requests.&lt;tenant&gt; ──► tenant-ingress ──► requests.by-tenant   (TENANT_MISMATCH: results)
 *   requests ──► rekey-by-tenant ──► admit-request ──► dispatch.&lt;provider&gt;
 *                    │                 ▲     └───────► results (+ replyTo): rejections, cache
 *                    ▼                 │               hits, duplicates; usage (cache hits)
 *             requests.by-tenant ──────┘
 *   outcomes ──► complete-request ──► results (+ results.&lt;tenant&gt;, replyTo), usage ──► roll-up,
 *                                     dispatch (failover, queued work)
 *   tenants, provider-health, cache.shared, prices ──► global tables read by both
 * </pre>
 *
 * Tenants' own request topics are read by pattern (a topic created while the broker runs is read
 * from its next metadata refresh), in a stateless sub-topology of their own: they may have any
 * partition count. The shared requests topic is read only with {@link Tenancy#sharedIngress()}.
 *
 * <p>Both processors share the tenant-keyed stores (in flight, idempotency, waiters, content
 * leaders, response cache, tenant usage), so every source of that sub-topology is keyed by tenant
 * and co-partitioned: one task owns all of a tenant's state.
 */
public final class BrokerTopology {

  private BrokerTopology() {}

  /** The topology for the given configuration, serdes, metrics, reply-topic check and clock. */
  public static Topology build(
      BrokerConfig config,
      RecordSerdes serdes,
      BrokerMetrics metrics,
      ReplyTopics replyTopics,
      Clock clock) {
    Topics topics = config.topics();
    Serde<String> keys = Serdes.String();
    Topology topology = new Topology();
    PriceTable prices = new PriceTable();

    if (config.tenancy().sharedIngress()) {
      topology.addSource(
          NodeNames.REQUESTS_SOURCE,
          keys.deserializer(),
          serdes.requests().deserializer(),
          topics.requests());
      topology.addProcessor(
          NodeNames.REKEY, RekeyByTenantProcessor::new, NodeNames.REQUESTS_SOURCE);
    }
    addTenantIngress(topology, config, serdes, metrics, replyTopics, clock);
    topology.addSource(
        NodeNames.REQUESTS_BY_TENANT_SOURCE,
        keys.deserializer(),
        serdes.requests().deserializer(),
        topics.requestsByTenant());
    topology.addSource(
        NodeNames.OUTCOMES_SOURCE,
        keys.deserializer(),
        serdes.outcomes().deserializer(),
        topics.outcomes());

    String[] admitParents =
        config.tenancy().sharedIngress()
            ? new String[] {NodeNames.REKEY, NodeNames.REQUESTS_BY_TENANT_SOURCE}
            : new String[] {NodeNames.REQUESTS_BY_TENANT_SOURCE};
    topology.addProcessor(
        NodeNames.ADMIT,
        () -> new AdmitRequestProcessor(config, prices, metrics, replyTopics, clock),
        admitParents);
    topology.addProcessor(
        NodeNames.COMPLETE,
        () -> new CompleteRequestProcessor(config, prices, metrics, replyTopics, clock),
        NodeNames.OUTCOMES_SOURCE);
    topology.addProcessor(
        NodeNames.ROLLUP, UsageRollupProcessor::new, NodeNames.ADMIT, NodeNames.COMPLETE);

    addLocalStores(topology, serdes, keys);
    addGlobalTables(topology, topics, serdes, keys, prices);
    addSinks(topology, config, serdes, keys);
    return topology;
  }

  /** Tenants' own request topics, where the topic names the tenant. */
  private static void addTenantIngress(
      Topology topology,
      BrokerConfig config,
      RecordSerdes serdes,
      BrokerMetrics metrics,
      ReplyTopics replyTopics,
      Clock clock) {
    Topics topics = config.topics();
    Serde<String> keys = Serdes.String();
    topology.addSource(
        NodeNames.TENANT_REQUESTS_SOURCE,
        keys.deserializer(),
        serdes.requests().deserializer(),
        topics.tenantRequestsPattern());
    topology.addProcessor(
        NodeNames.TENANT_INGRESS,
        () -> new TenantIngressProcessor(topics, metrics, replyTopics, clock, config.exactlyOnce()),
        NodeNames.TENANT_REQUESTS_SOURCE);
    topology.addSink(
        NodeNames.INGRESS_BY_TENANT_SINK,
        topics.requestsByTenant(),
        keys.serializer(),
        serdes.requests().serializer(),
        NodeNames.TENANT_INGRESS);
    topology.addSink(
        NodeNames.INGRESS_RESULTS_SINK,
        topics.results(),
        keys.serializer(),
        serdes.results().serializer(),
        NodeNames.TENANT_INGRESS);
    topology.addSink(
        NodeNames.INGRESS_TENANT_RESULTS_SINK,
        tenantResultsTopic(topics),
        keys.serializer(),
        serdes.results().serializer(),
        NodeNames.TENANT_INGRESS);
  }

  private static TopicNameExtractor<String, InferenceResult> tenantResultsTopic(Topics topics) {
    return (key, result, ctx) -> topics.tenantResults(result.getTenantId());
  }

  private static void addLocalStores(Topology topology, RecordSerdes serdes, Serde<String> keys) {
    String[] users = {NodeNames.ADMIT, NodeNames.COMPLETE};
    // written about once per request each (the in-flight entry put at dispatch and deleted in a
    // later commit): the record cache would not merge their writes, and every read would search
    // its sorted map before RocksDB (a tenth of the stream thread's samples at 500 requests/s)
    topology.addStateStore(
        store(BrokerStores.IN_FLIGHT, keys, serdes.of(InFlightRequest.class)), users);
    topology.addStateStore(
        store(BrokerStores.IDEMPOTENCY, keys, serdes.of(IdempotencyEntry.class)), users);
    topology.addStateStore(store(BrokerStores.WAITERS, keys, serdes.of(WaiterList.class)), users);
    topology.addStateStore(store(BrokerStores.CACHE, keys, serdes.of(CacheEntry.class)), users);
    // leaders of content keys, an optimisation a task starts without (Coalescing): no changelog
    topology.addStateStore(
        Stores.keyValueStoreBuilder(
                Stores.inMemoryKeyValueStore(BrokerStores.CONTENT_LEADERS), keys, Serdes.String())
            .withLoggingDisabled(),
        users);
    // written by every request of a tenant or window: merged to one write per key and commit
    topology.addStateStore(
        cachedStore(BrokerStores.USAGE, keys, serdes.of(TenantUsage.class)), users);
    topology.addStateStore(
        cachedStore(UsageRollupProcessor.STORE, keys, serdes.rollups()), NodeNames.ROLLUP);
    topology.addStateStore(
        cachedStore(UsageRollupProcessor.UNPUBLISHED_STORE, keys, Serdes.String()),
        NodeNames.ROLLUP);
  }

  private static <V> StoreBuilder<KeyValueStore<String, V>> store(
      String name, Serde<String> keys, Serde<V> values) {
    // persistent (RocksDB) with a changelog topic: state survives restarts and moves with tasks
    return Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(name), keys, values);
  }

  private static <V> StoreBuilder<KeyValueStore<String, V>> cachedStore(
      String name, Serde<String> keys, Serde<V> values) {
    // With the record cache (statestore.cache.max.bytes), the many writes of one key between two
    // commits (a tenant's usage, a rollup window) reach RocksDB and the changelog once, at the
    // commit: the cache is flushed before the
    // transaction commits, so exactly-once is unchanged. Processors forward explicitly, so no
    // output waits for the cache.
    return store(name, keys, values).withCachingEnabled();
  }

  private static void addGlobalTables(
      Topology topology,
      Topics topics,
      RecordSerdes serdes,
      Serde<String> keys,
      PriceTable prices) {
    topology.addGlobalStore(
        store(BrokerStores.POLICIES, keys, serdes.tenants()).withLoggingDisabled(),
        NodeNames.POLICIES_SOURCE,
        keys.deserializer(),
        serdes.tenants().deserializer(),
        topics.tenants(),
        NodeNames.POLICIES_LOADER,
        () -> new TableLoader<TenantPolicy>(BrokerStores.POLICIES));
    topology.addGlobalStore(
        store(BrokerStores.HEALTH, keys, serdes.health()).withLoggingDisabled(),
        NodeNames.HEALTH_SOURCE,
        keys.deserializer(),
        serdes.health().deserializer(),
        topics.providerHealth(),
        NodeNames.HEALTH_LOADER,
        () -> new TableLoader<ProviderHealth>(BrokerStores.HEALTH));
    Serde<CacheEntry> entries = serdes.of(CacheEntry.class);
    topology.addGlobalStore(
        store(BrokerStores.SHARED_CACHE, keys, entries).withLoggingDisabled(),
        NodeNames.SHARED_CACHE_SOURCE,
        keys.deserializer(),
        entries.deserializer(),
        topics.sharedCache(),
        NodeNames.SHARED_CACHE_LOADER,
        () -> new TableLoader<CacheEntry>(BrokerStores.SHARED_CACHE));
    // price versions: few, small and read on every completion, so the readers keep a catalog
    // built from the table and rebuild it when the loader reports a change
    Serde<PriceList> priceLists = serdes.of(PriceList.class);
    topology.addGlobalStore(
        store(BrokerStores.PRICES, keys, priceLists).withLoggingDisabled(),
        NodeNames.PRICES_SOURCE,
        keys.deserializer(),
        priceLists.deserializer(),
        topics.prices(),
        NodeNames.PRICES_LOADER,
        () -> new TableLoader<PriceList>(BrokerStores.PRICES, prices::changed));
  }

  private static void addSinks(
      Topology topology, BrokerConfig config, RecordSerdes serdes, Serde<String> keys) {
    Topics topics = config.topics();
    if (config.tenancy().sharedIngress()) {
      topology.addSink(
          NodeNames.REQUESTS_BY_TENANT_SINK,
          topics.requestsByTenant(),
          keys.serializer(),
          serdes.requests().serializer(),
          NodeNames.REKEY);
    }
    TopicNameExtractor<String, DispatchRequest> dispatchTopic =
        (key, dispatch, ctx) ->
            dispatch.getRequest().getPriority() == Priority.BATCH
                ? topics.dispatchBatch(dispatch.getRoute().getProvider())
                : topics.dispatch(dispatch.getRoute().getProvider());
    topology.addSink(
        NodeNames.DISPATCH_SINK,
        dispatchTopic,
        keys.serializer(),
        serdes.dispatches().serializer(),
        NodeNames.ADMIT,
        NodeNames.COMPLETE);
    topology.addSink(
        NodeNames.RESULTS_SINK,
        topics.results(),
        keys.serializer(),
        serdes.results().serializer(),
        NodeNames.ADMIT,
        NodeNames.COMPLETE);
    topology.addSink(
        NodeNames.TENANT_RESULTS_SINK,
        tenantResultsTopic(topics),
        keys.serializer(),
        serdes.results().serializer(),
        NodeNames.ADMIT,
        NodeNames.COMPLETE);
    TopicNameExtractor<String, InferenceResult> replyTopic =
        (key, result, ctx) ->
            new String(
                ctx.headers().lastHeader(Outputs.REPLY_TO_HEADER).value(), StandardCharsets.UTF_8);
    topology.addSink(
        NodeNames.REPLY_SINK,
        replyTopic,
        keys.serializer(),
        serdes.results().serializer(),
        NodeNames.ADMIT,
        NodeNames.COMPLETE);
    topology.addSink(
        NodeNames.USAGE_SINK,
        topics.usage(),
        keys.serializer(),
        (Serializer<UsageEvent>) serdes.usage().serializer(),
        NodeNames.ADMIT,
        NodeNames.COMPLETE);
    topology.addSink(
        NodeNames.SHARED_CACHE_SINK,
        topics.sharedCache(),
        keys.serializer(),
        serdes.of(CacheEntry.class).serializer(),
        NodeNames.COMPLETE);
    topology.addSink(
        NodeNames.ROLLUPS_SINK,
        topics.usageRollups(),
        keys.serializer(),
        (Serializer<UsageRollup>) serdes.rollups().serializer(),
        NodeNames.ROLLUP);
  }
}
