package io.aibroker.app.cli;

import io.aibroker.app.config.AppConfig;
import io.aibroker.app.config.ComponentConfigs;
import io.aibroker.registry.RestSchemaRegistryClient;
import io.aibroker.registry.SchemaRegistryConfig;
import io.aibroker.schemas.RecordSerdes;
import io.aibroker.topics.Topics;
import java.io.PrintStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.Deserializer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code aibroker dlq}: works with the dead-letter topic. */
@Command(
    name = "dlq",
    mixinStandardHelpOptions = true,
    description = "Works with the dead-letter topic (see also 'aibroker tail dlq').",
    subcommands = {DlqCommand.RedriveCommand.class})
public final class DlqCommand {

  /**
   * {@code aibroker dlq redrive}: sends the dead letters whose bytes are now valid for their source
   * topic back to it, with their original key, value and headers.
   *
   * <p>It keeps no position of its own: every run reads the DLQ from the beginning, so running it
   * twice redrives a record twice. That is safe for requests, which the broker deduplicates by
   * request id and idempotency key, but check before redriving outcomes or dispatches twice.
   */
  @Command(
      name = "redrive",
      mixinStandardHelpOptions = true,
      description = {
        "Reads the DLQ from the beginning to its current end and sends every record whose value"
            + " is now valid for its source topic back there (original key, value and headers,"
            + " without the DLQ cause headers). Prints one line per record and the counts.",
        "Keeps no position: running it twice redrives twice (the broker deduplicates requests by"
            + " request id and idempotency key)."
      },
      exitCodeListHeading = "Exit codes:%n",
      exitCodeList = {"0:done (see the counts)", "1:usage or connection error"})
  public static final class RedriveCommand implements Callable<Integer> {

    @Mixin ConfigOptions options;

    @Option(names = "--dry-run", description = "Check and count, but publish nothing.")
    boolean dryRun;

    @Option(
        names = "--source-topic",
        paramLabel = "TOPIC",
        description = "Only dead letters that came from this topic.")
    String sourceTopic;

    @Option(names = "--max", paramLabel = "N", description = "Redrive at most N records.")
    Long max;

    @Option(
        names = "--timeout",
        defaultValue = "30s",
        converter = DurationConverter.class,
        description = "Upper bound for each call to Kafka (default: ${DEFAULT-VALUE}).")
    Duration timeout;

    @Override
    public Integer call() throws Exception {
      AppConfig config = options.load(Map.of());
      Topics topics = ComponentConfigs.topics(config);
      Map<String, Object> client = Endpoints.kafkaClient(config);
      try (var registry =
          new RestSchemaRegistryClient(SchemaRegistryConfig.of(Endpoints.registryUrl(config)))) {
        RecordSerdes serdes = new RecordSerdes(registry);
        List<DeadLetter> letters = read(client, topics.dlq());
        return redrive(letters, topics, serdes, client);
      }
    }

    private int redrive(
        List<DeadLetter> letters, Topics topics, RecordSerdes serdes, Map<String, Object> client)
        throws Exception {
      long redriven = 0;
      long invalid = 0;
      long skipped = 0;
      Map<String, Object> props = new HashMap<>(client);
      props.put("acks", "all");
      props.put("enable.idempotence", true);
      props.put("max.block.ms", (int) timeout.toMillis());
      var out = System.out;
      try (var producer =
          dryRun
              ? null
              : new KafkaProducer<>(props, new ByteArraySerializer(), new ByteArraySerializer())) {
        for (DeadLetter letter : letters) {
          if (sourceTopic != null && !sourceTopic.equals(letter.sourceTopic())) {
            continue;
          }
          if (max != null && redriven >= max) {
            break;
          }
          String where = "dlq-" + letter.dlqPartition() + "@" + letter.dlqOffset();
          Deserializer<?> values = deserializer(letter.sourceTopic(), topics, serdes);
          if (values == null) {
            skipped++;
            print(
                out,
                "skipped "
                    + where
                    + ": "
                    + (letter.sourceTopic() == null
                        ? "no header names its source topic"
                        : "cannot check records of " + letter.sourceTopic()));
            continue;
          }
          String problem = problem(values, letter);
          if (problem != null) {
            invalid++;
            print(out, "still invalid " + where + " from " + letter.source() + ": " + problem);
            continue;
          }
          if (producer != null) {
            producer
                .send(
                    new ProducerRecord<>(
                        letter.sourceTopic(),
                        null,
                        letter.key(),
                        letter.value(),
                        letter.originalHeaders()))
                .get();
          }
          redriven++;
          print(
              out,
              (dryRun ? "would redrive " : "redriven ")
                  + where
                  + " -> "
                  + letter.sourceTopic()
                  + " (key="
                  + letter.keyText()
                  + ")");
        }
      }
      out.println(
          (dryRun ? "would redrive: " : "redriven: ")
              + redriven
              + ", still invalid: "
              + invalid
              + ", skipped: "
              + skipped);
      return 0;
    }

    /** Prints a line naming a dead letter's topics, key or problem, all chosen by its writer. */
    private static void print(PrintStream out, String line) {
      out.println(ControlCharacters.escape(line));
    }

    private static String problem(Deserializer<?> values, DeadLetter letter) {
      if (letter.value() == null) {
        return "no value";
      }
      try {
        return values.deserialize(letter.sourceTopic(), letter.value()) == null ? "no value" : null;
      } catch (RuntimeException e) {
        return TailCommand.oneLine(
            e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage()));
      }
    }

    /** The deserializer for a source topic's values, or null for topics redrive does not know. */
    static Deserializer<?> deserializer(String source, Topics topics, RecordSerdes serdes) {
      if (source == null) {
        return null;
      }
      if (source.equals(topics.requests()) || source.equals(topics.requestsByTenant())) {
        return serdes.requests().deserializer();
      }
      if (source.equals(topics.outcomes())) {
        return serdes.outcomes().deserializer();
      }
      if (source.startsWith(topics.prefix() + ".dispatch.")) {
        return serdes.dispatches().deserializer();
      }
      return null;
    }

    private List<DeadLetter> read(Map<String, Object> client, String topic) {
      Map<String, Object> props = new HashMap<>(client);
      props.put("enable.auto.commit", false);
      props.put("isolation.level", "read_committed");
      props.put("allow.auto.create.topics", false);
      props.put("default.api.timeout.ms", (int) timeout.toMillis());
      try (var consumer =
          new KafkaConsumer<>(props, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
        var infos = consumer.partitionsFor(topic, timeout);
        if (infos == null || infos.isEmpty()) {
          throw new IllegalStateException(
              "topic " + topic + " does not exist; 'aibroker run' creates it on start");
        }
        List<TopicPartition> partitions =
            infos.stream().map(p -> new TopicPartition(topic, p.partition())).toList();
        consumer.assign(partitions);
        Map<TopicPartition, Long> end = consumer.endOffsets(partitions, timeout);
        consumer.seekToBeginning(partitions);
        List<DeadLetter> letters = new ArrayList<>();
        long deadline = System.nanoTime() + timeout.toNanos();
        while (partitions.stream().anyMatch(p -> consumer.position(p) < end.get(p))) {
          if (System.nanoTime() > deadline) {
            throw new IllegalStateException("reading " + topic + " stalled for " + timeout);
          }
          var records = consumer.poll(Duration.ofMillis(200));
          if (!records.isEmpty()) {
            deadline = System.nanoTime() + timeout.toNanos();
          }
          for (ConsumerRecord<byte[], byte[]> record : records) {
            if (record.offset() < end.get(new TopicPartition(topic, record.partition()))) {
              letters.add(DeadLetter.of(record));
            }
          }
        }
        return letters;
      }
    }
  }
}
