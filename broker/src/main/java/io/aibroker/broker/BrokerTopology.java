package io.aibroker.broker;

import io.aibroker.records.DispatchRequest;
import io.aibroker.schemas.RecordSerdes;
import io.aibroker.topics.Topics;
import java.time.Clock;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.serialization.Serializer;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.processor.TopicNameExtractor;
import org.apache.kafka.streams.state.Stores;

/**
 * Builds the broker's Kafka Streams topology (DESIGN.md §5).
 *
 * <pre>
 *   requests ──► rekey-by-tenant ──► admit-request ──► dispatch.&lt;provider&gt;
 *                    │                 ▲     │
 *                    ▼                 │     └───────► results (REJECTED)
 *             requests.by-tenant ──────┘
 *   outcomes ──► complete-request ──► results, usage, dispatch (failover)
 * </pre>
 *
 * Both processors share the in-flight store, so every source of the sub-topology is keyed by tenant
 * and co-partitioned.
 */
public final class BrokerTopology {

  private BrokerTopology() {}

  /** The topology for the given configuration, serdes and clock. */
  public static Topology build(BrokerConfig config, RecordSerdes serdes, Clock clock) {
    Topics topics = config.topics();
    var keys = Serdes.String();
    var validator = new RequestValidator(config.limits(), config.models());
    Topology topology = new Topology();

    topology.addSource(
        NodeNames.REQUESTS_SOURCE,
        keys.deserializer(),
        serdes.requests().deserializer(),
        topics.requests());
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

    topology.addProcessor(NodeNames.REKEY, RekeyByTenantProcessor::new, NodeNames.REQUESTS_SOURCE);
    topology.addProcessor(
        NodeNames.ADMIT,
        () -> new AdmitRequestProcessor(validator, config.models(), clock),
        NodeNames.REKEY,
        NodeNames.REQUESTS_BY_TENANT_SOURCE);
    topology.addProcessor(
        NodeNames.COMPLETE,
        () -> new CompleteRequestProcessor(config.prices(), clock),
        NodeNames.OUTCOMES_SOURCE);

    topology.addStateStore(
        Stores.keyValueStoreBuilder(
            Stores.persistentKeyValueStore(NodeNames.IN_FLIGHT_STORE), keys, serdes.dispatches()),
        NodeNames.ADMIT,
        NodeNames.COMPLETE);

    topology.addSink(
        NodeNames.REQUESTS_BY_TENANT_SINK,
        topics.requestsByTenant(),
        keys.serializer(),
        serdes.requests().serializer(),
        NodeNames.REKEY);
    TopicNameExtractor<String, DispatchRequest> dispatchTopic =
        (key, dispatch, ctx) -> topics.dispatch(dispatch.getRoute().getProvider());
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
        NodeNames.USAGE_SINK,
        topics.usage(),
        keys.serializer(),
        (Serializer<io.aibroker.records.UsageEvent>) serdes.usage().serializer(),
        NodeNames.COMPLETE);
    return topology;
  }
}
