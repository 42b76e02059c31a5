package io.aibroker.app.cli;

import io.aibroker.app.config.AppConfig;
import io.aibroker.app.config.ComponentConfigs;
import io.aibroker.app.prices.PriceTopic;
import io.aibroker.records.PriceList;
import io.aibroker.registry.RestSchemaRegistryClient;
import io.aibroker.registry.SchemaRegistryConfig;
import io.aibroker.schemas.RecordSerdes;
import java.time.Duration;
import java.util.Collection;

/** The price catalog topic as the {@code prices} verbs reach it: Kafka and the registry. */
final class PricesStore implements AutoCloseable {

  private static final Duration TIMEOUT = Duration.ofSeconds(15);

  private final RestSchemaRegistryClient registry;
  private final PriceTopic topic;

  /** A store reaching Kafka and the Schema Registry as the configuration says. */
  PricesStore(AppConfig config) {
    this.registry =
        new RestSchemaRegistryClient(SchemaRegistryConfig.of(Endpoints.registryUrl(config)));
    this.topic =
        new PriceTopic(
            Endpoints.kafkaClient(config),
            ComponentConfigs.topics(config).prices(),
            new RecordSerdes(registry).of(PriceList.class),
            TIMEOUT);
  }

  /** The catalog as it is now. */
  PriceTopic.Snapshot read() {
    return topic.read();
  }

  /** Writes versions, each keyed by its id. */
  void write(Collection<PriceList> versions) {
    topic.write(versions);
  }

  /** The topic's name. */
  String topicName() {
    return topic.topic();
  }

  @Override
  public void close() {
    registry.close();
  }
}
