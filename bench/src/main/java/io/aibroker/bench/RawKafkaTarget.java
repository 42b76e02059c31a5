package io.aibroker.bench;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * The raw Kafka baseline: 1 KB records produced to one topic and consumed from it, on the same
 * Kafka the pipeline runs on, with the same producer durability ({@code acks=all}, idempotent). The
 * record carries its own run id and sequence number. {@link #through} sends them through the hops
 * of the {@link EmptyPipeline} instead.
 */
final class RawKafkaTarget extends LoadTarget<byte[], byte[]> {

  static final int RECORD_SIZE = 1024;

  private final KafkaProducer<byte[], byte[]> producer;
  private final String topic;

  private RawKafkaTarget(
      KafkaConsumer<byte[], byte[]> consumer,
      KafkaProducer<byte[], byte[]> producer,
      String topic,
      String answerTopic) {
    super(consumer, answerTopic);
    this.producer = producer;
    this.topic = topic;
  }

  /**
   * Creates the topic if needed and connects.
   *
   * @param lingerMs producer linger: 0 for latency points, a few ms for throughput
   */
  static RawKafkaTarget connect(String bootstrap, String topic, int partitions, int lingerMs)
      throws Exception {
    try (Admin admin = Admin.create(Map.of("bootstrap.servers", bootstrap))) {
      Set<String> existing = admin.listTopics().names().get(30, TimeUnit.SECONDS);
      if (!existing.contains(topic)) {
        admin
            .createTopics(List.of(new NewTopic(topic, partitions, (short) 1)))
            .all()
            .get(30, TimeUnit.SECONDS);
      }
    }
    Map<String, Object> c = new HashMap<>();
    c.put("bootstrap.servers", bootstrap);
    c.put("enable.auto.commit", false);
    c.put("fetch.max.wait.ms", 100);
    return new RawKafkaTarget(
        new KafkaConsumer<>(c, new ByteArrayDeserializer(), new ByteArrayDeserializer()),
        producer(bootstrap, lingerMs),
        topic,
        topic);
  }

  /**
   * Sends to {@code topic} and reads the answers from {@code answerTopic} as the pipeline's answers
   * are read ({@link PipelineTarget#connect}: {@code read_committed}, at most {@code
   * fetchMaxWaitMs} of fetch wait, producer linger 0): the {@link EmptyPipeline}'s hops in between.
   */
  static RawKafkaTarget through(
      String bootstrap, String topic, String answerTopic, int fetchMaxWaitMs) {
    return through(bootstrap, topic, answerTopic, fetchMaxWaitMs, 0);
  }

  /**
   * As {@link #through(String, String, String, int)}, with a producer that batches ({@link
   * LoadTarget#BATCHING_LINGER_MS}), as the pipeline's throughput search sends.
   */
  static RawKafkaTarget batchingThrough(String bootstrap, String topic, String answerTopic) {
    return through(bootstrap, topic, answerTopic, 100, BATCHING_LINGER_MS);
  }

  private static RawKafkaTarget through(
      String bootstrap, String topic, String answerTopic, int fetchMaxWaitMs, int lingerMs) {
    Map<String, Object> c = new HashMap<>();
    c.put("bootstrap.servers", bootstrap);
    c.put("enable.auto.commit", false);
    c.put("isolation.level", "read_committed");
    c.put("fetch.max.wait.ms", fetchMaxWaitMs);
    return new RawKafkaTarget(
        new KafkaConsumer<>(c, new ByteArrayDeserializer(), new ByteArrayDeserializer()),
        producer(bootstrap, lingerMs),
        topic,
        answerTopic);
  }

  private static KafkaProducer<byte[], byte[]> producer(String bootstrap, int lingerMs) {
    Map<String, Object> p = new HashMap<>();
    p.put("bootstrap.servers", bootstrap);
    p.put("acks", "all");
    p.put("enable.idempotence", true);
    p.put("linger.ms", lingerMs);
    p.put("batch.size", lingerMs > 0 ? 65536 : 16384);
    return new KafkaProducer<>(p, new ByteArraySerializer(), new ByteArraySerializer());
  }

  @Override
  void send(String runId, long sequence) {
    byte[] id = (runId + "-" + sequence).getBytes(StandardCharsets.US_ASCII);
    byte[] value = new byte[RECORD_SIZE];
    ByteBuffer.wrap(value).put((byte) id.length).put(id);
    producer.send(new ProducerRecord<>(topic, value));
  }

  @Override
  Answer answer(byte[] key, byte[] value) {
    if (value == null || value.length < 2) {
      return null;
    }
    int length = value[0];
    return parseId(new String(value, 1, length, StandardCharsets.US_ASCII), true, false);
  }

  @Override
  void flush() {
    producer.flush();
  }

  @Override
  public void close() throws InterruptedException {
    producer.close();
    super.close();
  }
}
