package io.aibroker.broker;

import io.aibroker.records.OverLimitAction;
import io.aibroker.records.PriceList;
import io.aibroker.records.ProviderHealth;
import io.aibroker.records.TenantPolicy;
import io.aibroker.records.internal.CacheEntry;
import io.aibroker.records.internal.IdempotencyEntry;
import io.aibroker.records.internal.InFlightRequest;
import io.aibroker.records.internal.TenantUsage;
import io.aibroker.records.internal.WaiterList;
import io.aibroker.registry.InMemorySchemaRegistryClient;
import io.aibroker.schemas.RecordSerdes;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.List;
import java.util.function.Function;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.processor.api.MockProcessorContext;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.Stores;

/**
 * The broker's stores of one task, in memory and registered with a {@link MockProcessorContext}
 * that captures what the rules forward, with metrics in a simple registry: collaborators for the
 * rule classes' own tests, without a topology.
 */
final class RuleFixture {

  final MockProcessorContext<String, Object> context = new MockProcessorContext<>();
  final SimpleMeterRegistry meters = new SimpleMeterRegistry();
  final BrokerMetrics metrics = new BrokerMetrics(meters);
  final KeyValueStore<String, InFlightRequest> inFlight =
      add(BrokerStores.IN_FLIGHT, s -> s.of(InFlightRequest.class));
  final KeyValueStore<String, IdempotencyEntry> idempotency =
      add(BrokerStores.IDEMPOTENCY, s -> s.of(IdempotencyEntry.class));
  final KeyValueStore<String, WaiterList> waiters =
      add(BrokerStores.WAITERS, s -> s.of(WaiterList.class));
  final KeyValueStore<String, String> contentLeaders =
      add(BrokerStores.CONTENT_LEADERS, s -> Serdes.String());
  final KeyValueStore<String, CacheEntry> cache =
      add(BrokerStores.CACHE, s -> s.of(CacheEntry.class));
  final KeyValueStore<String, TenantUsage> usage =
      add(BrokerStores.USAGE, s -> s.of(TenantUsage.class));
  final KeyValueStore<String, TenantPolicy> policies =
      add(BrokerStores.POLICIES, RecordSerdes::tenants);
  final KeyValueStore<String, ProviderHealth> health =
      add(BrokerStores.HEALTH, RecordSerdes::health);
  final KeyValueStore<String, CacheEntry> sharedCache =
      add(BrokerStores.SHARED_CACHE, s -> s.of(CacheEntry.class));
  final KeyValueStore<String, PriceList> prices =
      add(BrokerStores.PRICES, s -> s.of(PriceList.class));
  final BrokerStores stores = BrokerStores.from(context);
  final Outputs outputs = new Outputs(context);

  /**
   * A store of its own, with serdes of their own: outside a topology every store writes under the
   * same subject, which one registry would take for one schema evolving.
   */
  private <V> KeyValueStore<String, V> add(String name, Function<RecordSerdes, Serde<V>> serde) {
    Serde<V> values = serde.apply(new RecordSerdes(new InMemorySchemaRegistryClient()));
    KeyValueStore<String, V> store =
        Stores.keyValueStoreBuilder(Stores.inMemoryKeyValueStore(name), Serdes.String(), values)
            .withLoggingDisabled()
            .build();
    store.init(context.getStateStoreContext(), store);
    context.addStateStore(store);
    return store;
  }

  /** A waiting room with the default bounds. */
  WaitingRoom waitingRoom() {
    return waitingRoom(Tenancy.defaults());
  }

  WaitingRoom waitingRoom(Tenancy tenancy) {
    return new WaitingRoom(tenancy, waiters, usage);
  }

  /** Idempotency with a 24 h window. */
  Idempotency idempotency(WaitingRoom waitingRoom) {
    return new Idempotency(idempotency, inFlight, waitingRoom, Duration.ofHours(24), metrics);
  }

  /** The values forwarded to one child node (sink), in order. */
  List<Object> forwarded(String child) {
    return context.forwarded(child).stream().map(f -> (Object) f.record().value()).toList();
  }

  /** The count (or sum) of a counter, 0 if it was never touched. */
  double counted(String name, String... tags) {
    var counter = meters.find(name).tags(tags).counter();
    return counter == null ? 0 : counter.count();
  }

  /** A policy without limits, as a tenant without a record gets with unlimited defaults. */
  static EffectivePolicy unlimited() {
    return EffectivePolicy.of(null, TenantDefaults.unlimited());
  }

  /** A policy with the given limits (null: none) and action over them. */
  static EffectivePolicy limits(
      Integer rpm, Long tpm, Integer concurrent, String dailyUsd, OverLimitAction overLimit) {
    return new EffectivePolicy(
        rpm,
        tpm,
        concurrent,
        dailyUsd == null ? null : new BigDecimal(dailyUsd),
        null,
        overLimit,
        List.of(),
        Duration.ofHours(1),
        false);
  }
}
