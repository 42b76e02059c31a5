package io.aibroker.bench;

import io.aibroker.records.DispatchRequest;
import io.aibroker.records.InferenceResult;
import io.aibroker.records.ProviderOutcome;
import io.aibroker.schemas.RecordSerdes;
import io.aibroker.topics.Topics;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;

/**
 * Where a request's time goes: follows the dispatch, outcome and result topics of a pipeline
 * (read_committed, as the workers and clients read them) and takes, for one request in {@code
 * sampleEvery}, the wall-clock times of each step. The medians say which hop costs what.
 */
final class StageBreakdown implements AutoCloseable {

  /** The steps, in order; each stage is the time from the previous step to this one. */
  static final List<String> STAGES =
      List.of(
          "publish -> admitted by the broker",
          "admitted -> dispatch visible (commit)",
          "dispatch visible -> outcome written (worker)",
          "outcome written -> result computed (broker)",
          "result computed -> result visible (commit)");

  private static final class Times {
    long created;
    long admitted;
    long dispatchVisible;
    long outcomeWritten;
    long resultComputed;
    long resultVisible;
  }

  private final KafkaConsumer<String, byte[]> consumer;
  private final RecordSerdes serdes;
  private final Topics topics;
  private final int sampleEvery;
  private final Map<String, Times> times = new ConcurrentHashMap<>();
  private final Thread thread;
  private volatile boolean closing;

  StageBreakdown(String bootstrap, RecordSerdes serdes, String prefix, int sampleEvery) {
    this.serdes = serdes;
    this.topics = new Topics(prefix);
    this.sampleEvery = sampleEvery;
    Map<String, Object> c = new HashMap<>();
    c.put("bootstrap.servers", bootstrap);
    c.put("enable.auto.commit", false);
    c.put("isolation.level", "read_committed");
    c.put("fetch.max.wait.ms", 100);
    consumer = new KafkaConsumer<>(c, new StringDeserializer(), new ByteArrayDeserializer());
    List<TopicPartition> partitions = new ArrayList<>();
    for (String topic :
        List.of(topics.dispatch("simulated"), topics.outcomes(), topics.results())) {
      consumer
          .partitionsFor(topic, Duration.ofSeconds(30))
          .forEach(p -> partitions.add(new TopicPartition(topic, p.partition())));
    }
    consumer.assign(partitions);
    consumer.seekToEnd(partitions);
    partitions.forEach(consumer::position);
    thread = Thread.ofPlatform().daemon().name("bench-stages").start(this::read);
  }

  private boolean sampled(String requestId) {
    Answerable id = Answerable.of(requestId);
    return id != null && id.sequence % sampleEvery == 0;
  }

  private record Answerable(long sequence) {
    static Answerable of(String requestId) {
      var answer = LoadTarget.parseId(requestId, true, false);
      return answer == null ? null : new Answerable(answer.sequence());
    }
  }

  private void read() {
    try {
      while (!closing) {
        var records = consumer.poll(Duration.ofMillis(100));
        long now = millisNow();
        for (var record : records) {
          String topic = record.topic();
          if (topic.equals(topics.outcomes())) {
            ProviderOutcome outcome =
                serdes.outcomes().deserializer().deserialize(topic, record.value());
            if (outcome != null && sampled(outcome.getRequestId())) {
              at(outcome.getRequestId()).outcomeWritten = outcome.getCompletedAt().toEpochMilli();
            }
          } else if (record.key() != null && sampled(record.key())) {
            if (topic.equals(topics.results())) {
              InferenceResult result =
                  serdes.results().deserializer().deserialize(topic, record.value());
              Times t = at(record.key());
              t.resultComputed = result.getCompletedAt().toEpochMilli();
              t.resultVisible = now;
            } else {
              DispatchRequest dispatch =
                  serdes.dispatches().deserializer().deserialize(topic, record.value());
              Times t = at(record.key());
              t.created = dispatch.getRequest().getCreatedAt().toEpochMilli();
              t.admitted = dispatch.getDispatchedAt().toEpochMilli();
              t.dispatchVisible = now;
            }
          }
        }
      }
    } catch (WakeupException e) {
      // closing
    } catch (RuntimeException e) {
      // the breakdown is a diagnostic: it never fails a run
    } finally {
      consumer.close(Duration.ofSeconds(5));
    }
  }

  private Times at(String requestId) {
    return times.computeIfAbsent(requestId, id -> new Times());
  }

  private static long millisNow() {
    Instant now = Instant.now();
    return now.toEpochMilli();
  }

  /**
   * Median of each stage over the complete samples seen since the last call, in ms; then forgets
   * them.
   */
  Map<String, Double> mediansAndReset() {
    List<long[]> rows = new ArrayList<>();
    for (Times t : times.values()) {
      if (t.created > 0 && t.dispatchVisible > 0 && t.outcomeWritten > 0 && t.resultVisible > 0) {
        rows.add(
            new long[] {
              t.admitted - t.created,
              t.dispatchVisible - t.admitted,
              t.outcomeWritten - t.dispatchVisible,
              t.resultComputed - t.outcomeWritten,
              t.resultVisible - t.resultComputed
            });
      }
    }
    times.clear();
    Map<String, Double> medians = new LinkedHashMap<>();
    if (rows.isEmpty()) {
      return medians;
    }
    for (int s = 0; s < STAGES.size(); s++) {
      long[] values = new long[rows.size()];
      for (int i = 0; i < rows.size(); i++) {
        values[i] = rows.get(i)[s];
      }
      Arrays.sort(values);
      medians.put(STAGES.get(s), (double) values[values.length / 2]);
    }
    medians.put("samples", (double) rows.size());
    return medians;
  }

  @Override
  public void close() throws InterruptedException {
    closing = true;
    consumer.wakeup();
    thread.join(10_000);
  }
}
