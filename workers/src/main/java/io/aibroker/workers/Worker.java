package io.aibroker.workers;

import io.aibroker.connector.Connector;
import io.aibroker.connector.ProviderException;
import io.aibroker.records.DispatchRequest;
import io.aibroker.records.ProviderOutcome;
import io.aibroker.schemas.RecordSerdes;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.AcknowledgeType;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaShareConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Consumes dispatch topics as a share group, calls the provider's connector for each record and
 * reports the outcome. A record is acknowledged (ACCEPT) only after its outcome is durably written
 * to the outcomes topic; if that fails it is RELEASEd for another delivery. The calls of one poll
 * run concurrently on the connectors' own async machinery.
 */
public final class Worker implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(Worker.class);

  private final WorkerConfig config;
  private final Map<String, Connector> connectors;
  private final Clock clock;
  private final KafkaShareConsumer<String, DispatchRequest> consumer;
  private final KafkaProducer<String, ProviderOutcome> producer;
  private final Thread thread;
  private volatile boolean running = true;

  /**
   * A worker; call {@link #start()} to begin consuming.
   *
   * @param config worker settings
   * @param connectors provider name -> connector, one for each of {@code config.providers()}
   * @param serdes Avro serdes
   * @param client Kafka connection settings (bootstrap servers, security)
   * @param clock time source for outcome timestamps
   */
  public Worker(
      WorkerConfig config,
      Map<String, Connector> connectors,
      RecordSerdes serdes,
      Map<String, Object> client,
      Clock clock) {
    for (String provider : config.providers()) {
      if (!connectors.containsKey(provider)) {
        throw new IllegalArgumentException("no connector for provider " + provider);
      }
    }
    this.config = config;
    this.connectors = Map.copyOf(connectors);
    this.clock = clock;
    this.consumer =
        new KafkaShareConsumer<>(
            consumerProperties(client),
            new StringDeserializer(),
            serdes.dispatches().deserializer());
    this.producer =
        new KafkaProducer<>(
            producerProperties(client), new StringSerializer(), serdes.outcomes().serializer());
    this.thread =
        Thread.ofPlatform().name("aibroker-worker-" + config.workerId()).unstarted(this::run);
  }

  private Map<String, Object> consumerProperties(Map<String, Object> client) {
    Map<String, Object> props = new HashMap<>(client);
    props.put("group.id", config.groupId());
    props.put("client.id", config.workerId());
    props.put("share.acknowledgement.mode", "explicit");
    props.put("max.poll.records", config.maxPollRecords());
    return props;
  }

  private Map<String, Object> producerProperties(Map<String, Object> client) {
    Map<String, Object> props = new HashMap<>(client);
    props.put("client.id", config.workerId() + "-outcomes");
    props.put("acks", "all");
    props.put("enable.idempotence", true);
    props.put("linger.ms", 1);
    return props;
  }

  /** Starts consuming on a thread of its own. */
  public void start() {
    thread.start();
  }

  private void run() {
    try {
      consumer.subscribe(config.dispatchTopics());
      while (running) {
        ConsumerRecords<String, DispatchRequest> records = consumer.poll(Duration.ofMillis(200));
        if (!records.isEmpty()) {
          handle(records);
        }
      }
    } catch (WakeupException e) {
      // close() asked us to stop
    } catch (RuntimeException e) {
      LOG.error("worker {} stopped by an unexpected error", config.workerId(), e);
    } finally {
      consumer.close();
      producer.close();
    }
  }

  private void handle(ConsumerRecords<String, DispatchRequest> records) {
    List<ConsumerRecord<String, DispatchRequest>> batch = new ArrayList<>();
    List<CompletableFuture<ProviderOutcome>> outcomes = new ArrayList<>();
    for (ConsumerRecord<String, DispatchRequest> record : records) {
      batch.add(record);
      outcomes.add(call(record));
    }
    List<Future<RecordMetadata>> writes = new ArrayList<>();
    for (CompletableFuture<ProviderOutcome> outcome : outcomes) {
      ProviderOutcome value = outcome.join();
      writes.add(
          value == null
              ? null
              : producer.send(
                  new ProducerRecord<>(config.topics().outcomes(), value.getTenantId(), value)));
    }
    producer.flush();
    for (int i = 0; i < batch.size(); i++) {
      consumer.acknowledge(
          batch.get(i), written(writes.get(i)) ? AcknowledgeType.ACCEPT : AcknowledgeType.RELEASE);
    }
    consumer.commitSync();
  }

  private static boolean written(Future<RecordMetadata> write) {
    if (write == null) {
      return true; // nothing to report for this record (it could not be read)
    }
    try {
      write.get();
      return true;
    } catch (Exception e) {
      LOG.warn("could not write an outcome; releasing the record for redelivery", e);
      return false;
    }
  }

  private CompletableFuture<ProviderOutcome> call(ConsumerRecord<String, DispatchRequest> record) {
    DispatchRequest dispatch = record.value();
    if (dispatch == null) {
      return CompletableFuture.completedFuture(null);
    }
    int deliveryCount = record.deliveryCount().map(Short::intValue).orElse(1);
    Connector connector = connectors.get(dispatch.getRoute().getProvider());
    long started = System.nanoTime();
    return connector
        .call(ProviderCalls.from(dispatch))
        .toCompletableFuture()
        .orTimeout(config.callTimeout().toMillis(), TimeUnit.MILLISECONDS)
        .handle(
            (response, error) -> {
              if (error == null) {
                return Outcomes.success(
                    dispatch, response, deliveryCount, config.workerId(), clock.instant());
              }
              long providerMs = (System.nanoTime() - started) / 1_000_000;
              return Outcomes.failure(
                  dispatch,
                  asProviderError(connector, error),
                  providerMs,
                  deliveryCount,
                  config.workerId(),
                  clock.instant());
            });
  }

  private static ProviderException asProviderError(Connector connector, Throwable error) {
    Throwable cause =
        error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
    return cause instanceof ProviderException pe ? pe : connector.errorMapper().map(cause);
  }

  /** Stops consuming; records not yet acknowledged are redelivered to other workers. */
  @Override
  public void close() {
    running = false;
    if (thread.getState() == Thread.State.NEW) {
      consumer.close();
      producer.close();
      return;
    }
    consumer.wakeup();
    try {
      thread.join(Duration.ofSeconds(30));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
