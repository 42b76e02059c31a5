package io.aibroker.schemas;

import io.aibroker.records.DispatchRequest;
import io.aibroker.records.InferenceRequest;
import io.aibroker.records.InferenceResult;
import io.aibroker.records.ProviderHealth;
import io.aibroker.records.ProviderOutcome;
import io.aibroker.records.ResultChunk;
import io.aibroker.records.TenantPolicy;
import io.aibroker.records.UsageEvent;
import io.aibroker.records.UsageRollup;
import io.aibroker.registry.SchemaRegistryClient;
import io.aibroker.serde.SpecificAvroSerde;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.serialization.Serde;

/**
 * The value serdes of aibroker's records, all sharing one Schema Registry client (and so its
 * caches). Values use TopicNameStrategy subjects ({@code <topic>-value}); schemas are registered on
 * first use.
 */
public final class RecordSerdes {

  private final SchemaRegistryClient registry;
  private final Serde<InferenceRequest> requests;
  private final Serde<DispatchRequest> dispatches;
  private final Serde<ProviderOutcome> outcomes;
  private final Serde<InferenceResult> results;
  private final Serde<ResultChunk> chunks;
  private final Serde<UsageEvent> usage;
  private final Serde<UsageRollup> rollups;
  private final Serde<TenantPolicy> tenants;
  private final Serde<ProviderHealth> health;

  /** Serdes bound to the given registry client. */
  public RecordSerdes(SchemaRegistryClient registry) {
    this.registry = registry;
    requests = new SpecificAvroSerde<>(registry, InferenceRequest.class);
    dispatches = new SpecificAvroSerde<>(registry, DispatchRequest.class);
    outcomes = new SpecificAvroSerde<>(registry, ProviderOutcome.class);
    results = new SpecificAvroSerde<>(registry, InferenceResult.class);
    chunks = new SpecificAvroSerde<>(registry, ResultChunk.class);
    usage = new SpecificAvroSerde<>(registry, UsageEvent.class);
    rollups = new SpecificAvroSerde<>(registry, UsageRollup.class);
    tenants = new SpecificAvroSerde<>(registry, TenantPolicy.class);
    health = new SpecificAvroSerde<>(registry, ProviderHealth.class);
  }

  /** A serde for any other generated record (e.g. a state store's values), on the same registry. */
  public <T extends SpecificRecord> Serde<T> of(Class<T> type) {
    return new SpecificAvroSerde<>(registry, type);
  }

  /** InferenceRequest values. */
  public Serde<InferenceRequest> requests() {
    return requests;
  }

  /** DispatchRequest values. */
  public Serde<DispatchRequest> dispatches() {
    return dispatches;
  }

  /** ProviderOutcome values. */
  public Serde<ProviderOutcome> outcomes() {
    return outcomes;
  }

  /** InferenceResult values. */
  public Serde<InferenceResult> results() {
    return results;
  }

  /** ResultChunk values. */
  public Serde<ResultChunk> chunks() {
    return chunks;
  }

  /** UsageEvent values. */
  public Serde<UsageEvent> usage() {
    return usage;
  }

  /** UsageRollup values. */
  public Serde<UsageRollup> rollups() {
    return rollups;
  }

  /** TenantPolicy values. */
  public Serde<TenantPolicy> tenants() {
    return tenants;
  }

  /** ProviderHealth values. */
  public Serde<ProviderHealth> health() {
    return health;
  }
}
