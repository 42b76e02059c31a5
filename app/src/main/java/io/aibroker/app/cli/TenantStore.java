package io.aibroker.app.cli;

import io.aibroker.app.config.AppConfig;
import io.aibroker.app.config.ComponentConfigs;
import io.aibroker.records.TenantPolicy;
import io.aibroker.registry.RestSchemaRegistryClient;
import io.aibroker.registry.SchemaRegistryConfig;
import io.aibroker.schemas.RecordSerdes;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * The tenant policy table on the compacted tenants topic: reads its current state and writes
 * policies and tombstones keyed by tenant id. Reading then writing is not atomic; two admins
 * changing the same tenant at once may overwrite each other's change (the last write wins).
 */
final class TenantStore implements AutoCloseable {

  private static final Duration TIMEOUT = Duration.ofSeconds(15);

  private final Map<String, Object> client;
  private final String topic;
  private final RestSchemaRegistryClient registry;
  private final RecordSerdes serdes;

  /** A store reaching Kafka and the Schema Registry as the configuration says. */
  TenantStore(AppConfig config) {
    this.client = Endpoints.kafkaClient(config);
    this.topic = ComponentConfigs.topics(config).tenants();
    this.registry =
        new RestSchemaRegistryClient(SchemaRegistryConfig.of(Endpoints.registryUrl(config)));
    this.serdes = new RecordSerdes(registry);
  }

  /** Every tenant's current policy, by tenant id in order. */
  Map<String, TenantPolicy> all() {
    return new TreeMap<>(
        new TopicSnapshot(client, TIMEOUT).latestByKey(topic, serdes.tenants().deserializer()));
  }

  /** One tenant's current policy, if it has one. */
  Optional<TenantPolicy> get(String tenantId) {
    return Optional.ofNullable(all().get(tenantId));
  }

  /** Writes the policy as the tenant's current one. */
  void put(TenantPolicy policy) {
    send(policy.getTenantId(), policy);
  }

  /** Removes the tenant's policy: a tombstone, so compaction drops the old values too. */
  void delete(String tenantId) {
    send(tenantId, null);
  }

  private void send(String tenantId, TenantPolicy policy) {
    Map<String, Object> props = new HashMap<>(client);
    props.put("acks", "all");
    props.put("enable.idempotence", true);
    props.put("max.block.ms", (int) TIMEOUT.toMillis());
    props.put("delivery.timeout.ms", 30_000);
    props.put("request.timeout.ms", 15_000);
    try (var producer =
        new KafkaProducer<>(props, new StringSerializer(), serdes.tenants().serializer())) {
      producer.send(new ProducerRecord<>(topic, tenantId, policy)).get();
    } catch (ExecutionException e) {
      throw new IllegalStateException(
          "could not write the policy of tenant " + tenantId + " to " + topic, e.getCause());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while writing to " + topic, e);
    }
  }

  @Override
  public void close() {
    registry.close();
  }
}
