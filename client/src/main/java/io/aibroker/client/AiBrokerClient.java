package io.aibroker.client;

import io.aibroker.records.InferenceRequest;
import io.aibroker.records.InferenceResult;
import io.aibroker.schemas.RecordSerdes;
import io.aibroker.topics.Topics;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * Submits inference requests to aibroker and completes a future with each request's result.
 *
 * <p>Requests are published keyed by tenant (so the broker need not re-key them); results are read
 * from the results topic from the moment the client started, without a consumer group, so any
 * number of clients can run side by side.
 */
public final class AiBrokerClient implements AutoCloseable {

  /** How long the client waits for Kafka before it reports that it cannot reach it. */
  public static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(15);

  private final Topics topics;
  private final KafkaProducer<String, InferenceRequest> producer;
  private final KafkaConsumer<String, InferenceResult> consumer;
  private final Map<String, CompletableFuture<InferenceResult>> pending = new ConcurrentHashMap<>();
  private final CountDownLatch positioned = new CountDownLatch(1);
  private volatile RuntimeException listenerFailure;
  private final Thread listener;
  private volatile boolean running = true;

  /**
   * Connects a client.
   *
   * @param client Kafka connection settings (bootstrap servers, security)
   * @param serdes Avro serdes bound to the Schema Registry
   * @param topics topic names
   */
  public AiBrokerClient(Map<String, Object> client, RecordSerdes serdes, Topics topics) {
    this.topics = topics;
    Map<String, Object> producerProps = new HashMap<>(client);
    producerProps.put("acks", "all");
    producerProps.put("enable.idempotence", true);
    producerProps.put("linger.ms", 0);
    this.producer =
        new KafkaProducer<>(producerProps, new StringSerializer(), serdes.requests().serializer());
    Map<String, Object> consumerProps = new HashMap<>(client);
    consumerProps.put("enable.auto.commit", false);
    consumerProps.put("auto.offset.reset", "latest");
    this.consumer =
        new KafkaConsumer<>(
            consumerProps, new StringDeserializer(), serdes.results().deserializer());
    this.listener =
        Thread.ofPlatform().daemon().name("aibroker-client-results").start(this::listen);
  }

  /**
   * Publishes the request and returns its result when the broker publishes it.
   *
   * @param request the request; its tenantId is the record key
   * @param timeout how long to wait for the result before the future fails with a TimeoutException
   */
  public CompletableFuture<InferenceResult> submit(InferenceRequest request, Duration timeout) {
    awaitPositioned();
    CompletableFuture<InferenceResult> result = new CompletableFuture<>();
    pending.put(request.getRequestId(), result);
    producer.send(
        new ProducerRecord<>(topics.requests(), request.getTenantId(), request),
        (metadata, error) -> {
          if (error != null) {
            pending.remove(request.getRequestId());
            result.completeExceptionally(error);
          }
        });
    return result
        .orTimeout(timeout.toMillis(), TimeUnit.MILLISECONDS)
        .whenComplete((r, e) -> pending.remove(request.getRequestId()));
  }

  private void awaitPositioned() {
    try {
      if (!positioned.await(CONNECT_TIMEOUT.toSeconds() + 5, TimeUnit.SECONDS)) {
        throw new IllegalStateException(
            new TimeoutException("could not reach the results topic " + topics.results()));
      }
      if (listenerFailure != null) {
        throw new IllegalStateException(
            "cannot read results from " + topics.results() + ": " + listenerFailure.getMessage(),
            listenerFailure);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    }
  }

  private void listen() {
    try {
      List<TopicPartition> partitions =
          consumer.partitionsFor(topics.results(), CONNECT_TIMEOUT).stream()
              .map(p -> new TopicPartition(p.topic(), p.partition()))
              .toList();
      consumer.assign(partitions);
      consumer.seekToEnd(partitions);
      partitions.forEach(consumer::position); // fix the start before any request is sent
      positioned.countDown();
      while (running) {
        for (ConsumerRecord<String, InferenceResult> record :
            consumer.poll(Duration.ofMillis(100))) {
          var future = record.value() == null ? null : pending.get(record.value().getRequestId());
          if (future != null) {
            future.complete(record.value());
          }
        }
      }
    } catch (WakeupException e) {
      // closing
    } catch (RuntimeException e) {
      listenerFailure = e;
      pending.values().forEach(f -> f.completeExceptionally(e));
    } finally {
      positioned.countDown();
      consumer.close();
    }
  }

  @Override
  public void close() {
    running = false;
    consumer.wakeup();
    producer.close(Duration.ofSeconds(5));
    try {
      listener.join(Duration.ofSeconds(10));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
