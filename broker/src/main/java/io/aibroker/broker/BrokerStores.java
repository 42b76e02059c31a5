package io.aibroker.broker;

import io.aibroker.records.PriceList;
import io.aibroker.records.ProviderHealth;
import io.aibroker.records.TenantPolicy;
import io.aibroker.records.internal.CacheEntry;
import io.aibroker.records.internal.IdempotencyEntry;
import io.aibroker.records.internal.InFlightRequest;
import io.aibroker.records.internal.TenantUsage;
import io.aibroker.records.internal.WaiterList;
import org.apache.kafka.streams.processor.api.ProcessingContext;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;

/**
 * The broker's state, all of it owned by the task of the tenant it belongs to (except the global
 * tables every task reads: tenant policies, provider health, shared cache entries, prices).
 */
record BrokerStores(
    KeyValueStore<String, InFlightRequest> inFlight,
    KeyValueStore<String, IdempotencyEntry> idempotency,
    KeyValueStore<String, WaiterList> waiters,
    KeyValueStore<String, String> contentLeaders,
    KeyValueStore<String, CacheEntry> cache,
    KeyValueStore<String, TenantUsage> usage,
    ReadOnlyKeyValueStore<String, TenantPolicy> policies,
    ReadOnlyKeyValueStore<String, ProviderHealth> health,
    ReadOnlyKeyValueStore<String, CacheEntry> sharedCache,
    ReadOnlyKeyValueStore<String, PriceList> prices) {

  static final String IN_FLIGHT = "in-flight";
  static final String IDEMPOTENCY = "idempotency";
  static final String WAITERS = "waiters";
  static final String CONTENT_LEADERS = "content-leaders";
  static final String CACHE = "response-cache";
  static final String USAGE = "tenant-usage";
  static final String POLICIES = "tenant-policies";
  static final String HEALTH = "provider-health";
  static final String SHARED_CACHE = "shared-cache";
  static final String PRICES = "price-lists";

  /** Every task-local store, for connecting processors. */
  static final String[] LOCAL = {IN_FLIGHT, IDEMPOTENCY, WAITERS, CONTENT_LEADERS, CACHE, USAGE};

  static BrokerStores from(ProcessingContext context) {
    return new BrokerStores(
        context.getStateStore(IN_FLIGHT),
        context.getStateStore(IDEMPOTENCY),
        context.getStateStore(WAITERS),
        context.getStateStore(CONTENT_LEADERS),
        context.getStateStore(CACHE),
        context.getStateStore(USAGE),
        context.getStateStore(POLICIES),
        context.getStateStore(HEALTH),
        context.getStateStore(SHARED_CACHE),
        context.getStateStore(PRICES));
  }
}
