package io.aibroker.bench;

import io.aibroker.app.TopicProvisioner;
import io.aibroker.app.config.AppConfig;
import io.aibroker.app.config.ComponentConfigs;
import io.aibroker.app.config.ConfigLoader;
import io.aibroker.broker.BrokerConfig;
import io.aibroker.broker.HotPaths;
import io.aibroker.topics.Topics;
import io.aibroker.workers.WorkerConfig;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.AcknowledgeType;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaShareConsumer;
import org.apache.kafka.clients.consumer.ShareConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.Produced;

/**
 * The pipeline's Kafka hops with no work in them, run as a child JVM of the benchmark: what the
 * design costs on this machine before aibroker does anything. Records are passed on as they are:
 *
 * <ol>
 *   <li>requests to dispatches in a Kafka Streams application with the broker's own settings
 *       ({@link BrokerConfig#streamsProperties}, so {@code broker.profile} applies: exactly-once
 *       transactions and their commit interval, or the low-latency profile) and its processors'
 *       commit pacing ({@link HotPaths#passOn});
 *   <li>dispatches to outcomes by share consumers as many as the workers run, on a share group
 *       prepared as the workers' is, with the workers' producer settings;
 *   <li>outcomes to results in the same Streams application;
 * </ol>
 *
 * <p>and, the shape of a cache hit, one Streams hop from {@link #hits} to {@link #hitResults}. The
 * difference between this and the pipeline at the same rate is what aibroker's rules cost; what
 * this measures is the floor that no rule can go below with these hops and settings.
 */
public final class EmptyPipeline {

  /** Printed once the Streams application runs and the share consumers are polling. */
  static final String READY = "aibroker empty pipeline ready";

  /** How long a share consumer waits in poll, as the workers' poll threads do. */
  private static final Duration POLL = Duration.ofMillis(200);

  private EmptyPipeline() {}

  static String requests(String prefix) {
    return prefix + ".requests";
  }

  static String results(String prefix) {
    return prefix + ".results";
  }

  static String hits(String prefix) {
    return prefix + ".hits";
  }

  static String hitResults(String prefix) {
    return prefix + ".hit-results";
  }

  private static String dispatch(String prefix) {
    return prefix + ".dispatch";
  }

  private static String outcomes(String prefix) {
    return prefix + ".outcomes";
  }

  /** Runs until SIGTERM; configured as {@code aibroker run} is (environment variables). */
  public static void main(String[] args) throws Exception {
    AppConfig config = ConfigLoader.load(null, System.getenv());
    BrokerConfig broker = ComponentConfigs.broker(config);
    String prefix = config.topics().prefix();
    Map<String, Object> client = new HashMap<>();
    if (config.kafka().client() != null) {
      client.putAll(config.kafka().client());
    }
    client.put("bootstrap.servers", config.kafka().bootstrapServers());
    String group = prefix + "-workers";
    try (Admin admin = Admin.create(client)) {
      createTopics(admin, prefix, config.topicPartitions());
      new TopicProvisioner(admin, new Topics(prefix), 1, (short) 1).prepareShareGroup(group);
    }
    KafkaStreams streams = streams(broker, client, prefix, config);
    CountDownLatch running = new CountDownLatch(1);
    streams.setStateListener(
        (now, before) -> {
          if (now == KafkaStreams.State.RUNNING) {
            running.countDown();
          }
        });
    streams.start();
    List<PassOn> workers = new ArrayList<>();
    for (int i = 0; i < WorkerConfig.DEFAULT_CONSUMERS; i++) {
      workers.add(PassOn.start(client, group, dispatch(prefix), outcomes(prefix), i));
    }
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  workers.forEach(PassOn::close);
                  streams.close(Duration.ofSeconds(30));
                }));
    if (!running.await(2, TimeUnit.MINUTES)) {
      throw new IllegalStateException("the Streams application did not start in 2 minutes");
    }
    System.out.println(READY);
    Thread.currentThread().join();
  }

  private static void createTopics(Admin admin, String prefix, int partitions) throws Exception {
    Set<String> existing = admin.listTopics().names().get(30, TimeUnit.SECONDS);
    List<NewTopic> missing = new ArrayList<>();
    for (String topic :
        List.of(
            requests(prefix),
            dispatch(prefix),
            outcomes(prefix),
            results(prefix),
            hits(prefix),
            hitResults(prefix))) {
      if (!existing.contains(topic)) {
        missing.add(new NewTopic(topic, partitions, (short) 1));
      }
    }
    admin.createTopics(missing).all().get(30, TimeUnit.SECONDS);
  }

  private static KafkaStreams streams(
      BrokerConfig broker, Map<String, Object> client, String prefix, AppConfig config) {
    StreamsBuilder builder = new StreamsBuilder();
    var bytes = Consumed.with(Serdes.ByteArray(), Serdes.ByteArray());
    var out = Produced.with(Serdes.ByteArray(), Serdes.ByteArray());
    boolean exactlyOnce = broker.exactlyOnce();
    builder.stream(requests(prefix), bytes)
        .process(HotPaths.<byte[], byte[]>passOn(exactlyOnce))
        .to(dispatch(prefix), out);
    builder.stream(outcomes(prefix), bytes)
        .process(HotPaths.<byte[], byte[]>passOn(exactlyOnce))
        .to(results(prefix), out);
    builder.stream(hits(prefix), bytes)
        .process(HotPaths.<byte[], byte[]>passOn(exactlyOnce))
        .to(hitResults(prefix), out);
    Properties props = new Properties();
    props.putAll(broker.streamsProperties(client));
    props.put("application.id", prefix + "-empty");
    props.put("state.dir", config.dataDir().resolve("streams").toString());
    return new KafkaStreams(builder.build(), props);
  }

  /**
   * One worker's poll thread without the provider call: each dispatch is produced as an outcome and
   * acknowledged; the next poll sends the acknowledgements.
   */
  private static final class PassOn implements AutoCloseable {

    private final ShareConsumer<byte[], byte[]> consumer;
    private final Producer<byte[], byte[]> producer;
    private final String outTopic;
    private final Thread thread;
    private volatile boolean closing;

    private PassOn(
        ShareConsumer<byte[], byte[]> consumer,
        Producer<byte[], byte[]> producer,
        String inTopic,
        String outTopic,
        int index) {
      this.consumer = consumer;
      this.producer = producer;
      this.outTopic = outTopic;
      consumer.subscribe(List.of(inTopic));
      this.thread = Thread.ofPlatform().name("empty-worker-" + index).start(this::run);
    }

    static PassOn start(
        Map<String, Object> client, String group, String inTopic, String outTopic, int index) {
      Map<String, Object> c = new HashMap<>(client);
      c.put("group.id", group);
      c.put("client.id", group + "-" + index);
      c.put("share.acknowledgement.mode", "explicit");
      c.put("share.acquire.mode", "record_limit");
      c.put("max.poll.records", WorkerConfig.DEFAULT_MAX_POLL_RECORDS);
      Map<String, Object> p = new HashMap<>(client);
      p.put("client.id", group + "-" + index + "-out");
      p.put("acks", "all");
      p.put("enable.idempotence", true);
      p.put("linger.ms", 2); // the workers' outcome producer
      return new PassOn(
          new KafkaShareConsumer<>(c, new ByteArrayDeserializer(), new ByteArrayDeserializer()),
          new KafkaProducer<>(p, new ByteArraySerializer(), new ByteArraySerializer()),
          inTopic,
          outTopic,
          index);
    }

    private void run() {
      try {
        while (!closing) {
          for (ConsumerRecord<byte[], byte[]> record : consumer.poll(POLL)) {
            producer.send(new ProducerRecord<>(outTopic, record.key(), record.value()));
            consumer.acknowledge(record, AcknowledgeType.ACCEPT);
          }
        }
      } catch (WakeupException e) {
        // closing
      } finally {
        producer.close(Duration.ofSeconds(5));
        consumer.close();
      }
    }

    @Override
    public void close() {
      closing = true;
      consumer.wakeup();
      try {
        thread.join(10_000);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }
}
