package io.aibroker.client;

import io.aibroker.records.InferenceResult;
import io.aibroker.schemas.RecordSerdes;
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
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.StringDeserializer;

/**
 * Where a client's results come from: one topic (the client's own reply topic, or the shared
 * results topic) read from its end by a consumer of its own, without a consumer group, completing
 * the future registered for each result's requestId. Results nobody waits for are skipped.
 */
final class ResultSource implements AutoCloseable {

  private final String topic;
  private final KafkaConsumer<String, InferenceResult> consumer;
  private final Map<String, CompletableFuture<InferenceResult>> pending = new ConcurrentHashMap<>();
  private final CountDownLatch positioned = new CountDownLatch(1);
  private final Thread listener;
  private volatile RuntimeException failure;
  private volatile boolean running = true;

  ResultSource(Map<String, Object> client, RecordSerdes serdes, String topic) {
    this.topic = topic;
    Map<String, Object> props = new HashMap<>(client);
    props.remove("group.id");
    props.put("enable.auto.commit", false);
    props.put("auto.offset.reset", "latest");
    this.consumer =
        new KafkaConsumer<>(props, new StringDeserializer(), serdes.results().deserializer());
    this.listener =
        Thread.ofPlatform().daemon().name("aibroker-client-" + topic).start(this::listen);
  }

  /** The topic results are read from. */
  String topic() {
    return topic;
  }

  /**
   * The future of a request's result, registered before the request is sent so that no result can
   * be missed. Fails at once if the source cannot read its topic.
   */
  CompletableFuture<InferenceResult> register(String requestId) {
    awaitPositioned();
    CompletableFuture<InferenceResult> result = new CompletableFuture<>();
    CompletableFuture<InferenceResult> previous = pending.putIfAbsent(requestId, result);
    if (previous != null) {
      return previous;
    }
    result.whenComplete((r, e) -> pending.remove(requestId, result));
    return result;
  }

  private void awaitPositioned() {
    try {
      if (!positioned.await(AiBrokerClient.CONNECT_TIMEOUT.toSeconds() + 5, TimeUnit.SECONDS)) {
        throw new IllegalStateException(
            new TimeoutException("could not reach the results topic " + topic));
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    }
    if (failure != null) {
      throw new IllegalStateException(
          "cannot read results from " + topic + ": " + failure.getMessage(), failure);
    }
    if (!running) {
      throw new IllegalStateException("the client is closed");
    }
  }

  private void listen() {
    try {
      List<TopicPartition> partitions =
          consumer.partitionsFor(topic, AiBrokerClient.CONNECT_TIMEOUT).stream()
              .map(p -> new TopicPartition(p.topic(), p.partition()))
              .toList();
      if (partitions.isEmpty()) {
        throw new IllegalStateException("topic " + topic + " does not exist");
      }
      consumer.assign(partitions);
      consumer.seekToEnd(partitions);
      partitions.forEach(consumer::position); // fix the start before any request is sent
      positioned.countDown();
      while (running) {
        for (ConsumerRecord<String, InferenceResult> record :
            consumer.poll(Duration.ofMillis(100))) {
          InferenceResult value = record.value();
          var future = value == null ? null : pending.get(value.getRequestId());
          if (future != null) {
            future.complete(value);
          }
        }
      }
    } catch (WakeupException e) {
      // closing
    } catch (RuntimeException e) {
      failure = e;
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
    try {
      listener.join(Duration.ofSeconds(10));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    IllegalStateException closed = new IllegalStateException("the client was closed");
    pending.values().forEach(f -> f.completeExceptionally(closed));
  }
}
