package io.aibroker.app.badinput;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import io.aibroker.app.Platform;
import io.aibroker.app.TestPlatforms;
import io.aibroker.app.config.ComponentConfigs;
import io.aibroker.client.AiBrokerClient;
import io.aibroker.records.InferenceRequest;
import io.aibroker.records.InferenceResult;
import io.aibroker.registry.RestSchemaRegistryClient;
import io.aibroker.registry.SchemaRegistryConfig;
import io.aibroker.schemas.RecordSerdes;
import io.aibroker.topics.Topics;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AlterConfigOp;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The bad-input corpus (issue 7, item 3) against a whole embedded platform: Java, kcat and
 * Confluent's Python client send every kind of broken or hostile record while a tenant's valid
 * traffic runs; each record must reach the end its case declares (a REJECTED result with its
 * reason, a DLQ record with its cause, or Kafka's own refusal), every valid request must succeed,
 * and the pipeline must keep serving. Writes the table to {@code target/badinput/corpus.md}.
 */
class BadInputCorpusIT {

  private static final String PYTHON = "/usr/bin/python3";
  private static final int VALID_REQUESTS = 1_000;
  private static final String CASE_HEADER = "corpus-case";

  /** Value bytes of every record sent from Java or kcat -> its case id. */
  private static final Map<ByteBuffer, String> SENT_VALUES =
      new java.util.concurrent.ConcurrentHashMap<>();

  @TempDir static Path dir;
  static Platform platform;
  static RecordSerdes serdes;
  static Topics topics;

  @BeforeAll
  static void start() throws Exception {
    Map<String, String> settings = TestPlatforms.freePorts(dir.resolve("data"));
    var config = TestPlatforms.config(settings);
    platform = Platform.start(config, Clock.systemUTC());
    topics = ComponentConfigs.topics(config);
    serdes =
        new RecordSerdes(
            new RestSchemaRegistryClient(SchemaRegistryConfig.of(platform.schemaRegistryUrl())));
    // Operators may raise the ingress limit above the 1 MiB prompt limit; then the broker itself
    // must answer over-limit prompts with PAYLOAD_TOO_LARGE and carry prompts at the limit.
    try (Admin admin = Admin.create(platform.clientProperties())) {
      var resource = new ConfigResource(ConfigResource.Type.TOPIC, topics.requests());
      var op =
          new AlterConfigOp(
              new ConfigEntry("max.message.bytes", Integer.toString(4 << 20)),
              AlterConfigOp.OpType.SET);
      admin.incrementalAlterConfigs(Map.of(resource, List.of(op))).all().get();
    }
  }

  @AfterAll
  static void stop() {
    if (platform != null) {
      platform.close();
    }
  }

  @Test
  void everyBadRecordEndsAsDeclaredWhileValidTrafficKeepsSucceeding() throws Exception {
    BadInputCorpus corpus = new BadInputCorpus(serdes, topics);
    List<CorpusCase> javaCases = corpus.javaCases();
    List<CorpusCase> kcatCases = corpus.kcatCases();
    List<CorpusCase> pythonCases = BadInputCorpus.pythonCases();
    CorpusCase fiftyMegabytes = corpus.fiftyMegabytePrompt();
    List<CorpusCase> all = new ArrayList<>();
    all.addAll(javaCases);
    all.add(fiftyMegabytes);
    all.addAll(kcatCases);
    all.addAll(pythonCases);
    assertThat(all).hasSizeGreaterThanOrEqualTo(30);
    assertThat(all.stream().map(CorpusCase::id).distinct()).hasSize(all.size());
    for (CorpusCase c : all) {
      for (CorpusCase.Send send : c.records()) {
        if (send.value() != null && send.value().length > 0) {
          SENT_VALUES.put(ByteBuffer.wrap(send.value()), c.id());
        }
      }
    }

    Map<String, List<Observed>> refused = new HashMap<>();
    ValidLoad.Outcome baseline;
    ValidLoad.Outcome underCorpus;
    String replies = topics.prefix() + ".replies.corpus-load";
    TestPlatforms.createTopic(platform.clientProperties(), replies);
    try (AiBrokerClient client =
        AiBrokerClient.builder(platform.clientProperties(), serdes)
            .topics(topics)
            .replyTopic(replies)
            .maxInFlight(200)
            .build()) {
      ValidLoad load = new ValidLoad(client, "valid-load");
      load.run(50, "warm-up");
      baseline = load.run(VALID_REQUESTS, "baseline");

      CompletableFuture<ValidLoad.Outcome> concurrent =
          CompletableFuture.supplyAsync(() -> load.run(VALID_REQUESTS, "under-corpus"));
      sendJava(javaCases, refused);
      sendFiftyMegabytes(fiftyMegabytes, refused);
      sendKcat(kcatCases);
      sendPython(refused);
      underCorpus = concurrent.get(5, TimeUnit.MINUTES);

      Map<String, List<Observed>> ends = awaitEnds(all, refused);
      Path table = CorpusReport.write(all, ends, baseline, underCorpus);

      List<String> mismatches = new ArrayList<>();
      for (CorpusCase c : all) {
        List<Observed> observed = ends.getOrDefault(c.id(), List.of());
        if (!c.expected().matches(observed)) {
          mismatches.add(
              c.id()
                  + " ("
                  + c.kind()
                  + "): expected "
                  + c.expected().describe()
                  + ", observed "
                  + observed.stream().map(Observed::describe).toList());
        }
      }
      assertThat(mismatches).as("cases that did not end as declared (table: %s)", table).isEmpty();
      assertThat(baseline.succeeded()).isEqualTo(VALID_REQUESTS);
      assertThat(underCorpus.succeeded())
          .as("valid requests sent during the corpus: %s", underCorpus.statuses())
          .isEqualTo(VALID_REQUESTS);

      // The pipeline still serves after all of it.
      assertThat(platform.ready()).isTrue();
      assertThat(load.run(20, "after-corpus").succeeded()).isEqualTo(20);
    }
  }

  // ---- senders --------------------------------------------------------------------------------

  private static void sendJava(List<CorpusCase> cases, Map<String, List<Observed>> refused)
      throws Exception {
    Map<String, Object> props = new HashMap<>(platform.clientProperties());
    props.put("max.request.size", 8 << 20);
    props.put("acks", "all");
    try (var producer =
        new KafkaProducer<>(props, new ByteArraySerializer(), new ByteArraySerializer())) {
      for (CorpusCase c : cases) {
        for (CorpusCase.Send send : c.records()) {
          var record = new ProducerRecord<>(send.topic(), send.key(), send.value());
          record.headers().add(CASE_HEADER, c.id().getBytes(UTF_8));
          try {
            // one at a time, in order: the duplicate-id case needs its first request first
            producer.send(record).get(30, TimeUnit.SECONDS);
          } catch (java.util.concurrent.ExecutionException e) {
            refused
                .computeIfAbsent(c.id(), k -> new ArrayList<>())
                .add(new Observed.ProducerError(e.getCause().getClass().getSimpleName()));
          }
        }
      }
    }
  }

  private static void sendFiftyMegabytes(CorpusCase c, Map<String, List<Observed>> refused) {
    Map<String, Object> props = new HashMap<>(platform.clientProperties());
    // Big enough on the client side, so that it is Kafka's topic limit that refuses the record.
    props.put("max.request.size", 64 << 20);
    props.put("buffer.memory", 128L << 20);
    try (var producer =
        new KafkaProducer<>(props, new ByteArraySerializer(), new ByteArraySerializer())) {
      CorpusCase.Send send = c.records().getFirst();
      producer.send(new ProducerRecord<>(send.topic(), send.key(), send.value())).get();
      refused.computeIfAbsent(c.id(), k -> new ArrayList<>());
    } catch (Exception e) {
      Throwable cause = e.getCause() != null ? e.getCause() : e;
      refused
          .computeIfAbsent(c.id(), k -> new ArrayList<>())
          .add(new Observed.ProducerError(cause.getClass().getSimpleName()));
    }
  }

  private static void sendKcat(List<CorpusCase> cases) throws Exception {
    for (CorpusCase c : cases) {
      CorpusCase.Send send = c.records().getFirst();
      if (send.value() == null || send.value().length == 0) {
        sendEmptyWithKcat(c, send);
        continue;
      }
      Path file = dir.resolve(c.id() + ".bin");
      Files.write(file, send.value());
      List<String> command =
          new ArrayList<>(
              List.of(
                  "kcat",
                  "-P",
                  "-b",
                  platform.bootstrapServers(),
                  "-t",
                  send.topic(),
                  "-k",
                  new String(send.key(), UTF_8),
                  "-H",
                  CASE_HEADER + "=" + c.id()));
      command.add(file.toString()); // one file = one message
      run(command, c.id());
    }
  }

  /** kcat skips empty files; "key:" on stdin with -K: is a message with an empty value. */
  private static void sendEmptyWithKcat(CorpusCase c, CorpusCase.Send send) throws Exception {
    Path input = dir.resolve(c.id() + ".in");
    Files.writeString(input, new String(send.key(), UTF_8) + ":");
    List<String> command =
        new ArrayList<>(
            List.of(
                "kcat",
                "-P",
                "-b",
                platform.bootstrapServers(),
                "-t",
                send.topic(),
                "-K:",
                "-H",
                CASE_HEADER + "=" + c.id()));
    if (send.value() == null) {
      command.add("-Z"); // the empty message becomes a NULL value (a tombstone)
    }
    Path errors = dir.resolve(c.id() + ".err");
    Process process =
        new ProcessBuilder(command)
            .redirectInput(input.toFile())
            .redirectError(errors.toFile())
            .start();
    assertThat(process.waitFor(120, TimeUnit.SECONDS)).as("kcat finished").isTrue();
    assertThat(process.exitValue()).as("kcat: %s", Files.readString(errors)).isZero();
  }

  private static void sendPython(Map<String, List<Observed>> refused) throws Exception {
    Path script = dir.resolve("bad_input_corpus.py");
    try (InputStream in =
        BadInputCorpusIT.class.getResourceAsStream("/badinput/bad_input_corpus.py")) {
      Files.copy(in, script, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
    }
    Path schema = dir.resolve("InferenceRequest.avsc");
    Files.writeString(schema, InferenceRequest.getClassSchema().toString());
    String output =
        run(
            List.of(
                PYTHON,
                script.toString(),
                platform.bootstrapServers(),
                platform.schemaRegistryUrl(),
                topics.requests(),
                schema.toString()),
            "python");
    var json = new com.fasterxml.jackson.databind.ObjectMapper();
    int delivered = 0;
    for (String line : output.lines().toList()) {
      var node = json.readTree(line);
      if (node.get("delivered").asBoolean()) {
        delivered++;
      } else {
        refused
            .computeIfAbsent(node.get("case").asText(), k -> new ArrayList<>())
            .add(new Observed.ProducerError(node.get("error").asText()));
      }
    }
    assertThat(delivered + refused.size())
        .isGreaterThanOrEqualTo(BadInputCorpus.pythonCases().size());
  }

  private static String run(List<String> command, String label)
      throws IOException, InterruptedException {
    Path errors = dir.resolve(label + ".err");
    Process process = new ProcessBuilder(command).redirectError(errors.toFile()).start();
    String stdout = new String(process.getInputStream().readAllBytes(), UTF_8);
    assertThat(process.waitFor(120, TimeUnit.SECONDS)).as("%s finished", label).isTrue();
    assertThat(process.exitValue()).as("%s failed: %s", label, Files.readString(errors)).isZero();
    return stdout;
  }

  // ---- observing ------------------------------------------------------------------------------

  /** Reads results and dead letters until every case has its ends (or three minutes passed). */
  private static Map<String, List<Observed>> awaitEnds(
      List<CorpusCase> cases, Map<String, List<Observed>> refused) throws InterruptedException {
    Set<String> ids = new java.util.HashSet<>();
    cases.forEach(c -> ids.add(c.id()));
    long deadline = System.nanoTime() + Duration.ofMinutes(3).toNanos();
    Map<String, List<Observed>> ends;
    while (true) {
      ends = new LinkedHashMap<>();
      for (var e : refused.entrySet()) {
        ends.put(e.getKey(), new ArrayList<>(e.getValue()));
      }
      collectResults(ids, ends);
      collectDeadLetters(ids, ends);
      boolean complete = true;
      for (CorpusCase c : cases) {
        boolean wantsEnd = !(c.expected() instanceof Expected.Nothing);
        if (wantsEnd && ends.getOrDefault(c.id(), List.of()).isEmpty()) {
          complete = false;
        }
      }
      if (complete || System.nanoTime() > deadline) {
        break;
      }
      Thread.sleep(1_000);
    }
    // Late extra ends (a second result, a spurious dead letter) must show up too.
    Thread.sleep(3_000);
    Map<String, List<Observed>> settled = new LinkedHashMap<>();
    for (var e : refused.entrySet()) {
      settled.put(e.getKey(), new ArrayList<>(e.getValue()));
    }
    collectResults(ids, settled);
    collectDeadLetters(ids, settled);
    return settled;
  }

  private static void collectResults(Set<String> ids, Map<String, List<Observed>> ends) {
    var deserializer = serdes.results().deserializer();
    for (ConsumerRecord<byte[], byte[]> record : readAll(topics.results())) {
      InferenceResult result = deserializer.deserialize(topics.results(), record.value());
      String id = result.getMetadata().get("corpus-case");
      if (id == null && ids.contains(result.getRequestId())) {
        id = result.getRequestId();
      }
      if (id != null && ids.contains(id)) {
        ends.computeIfAbsent(id, k -> new ArrayList<>())
            .add(new Observed.Result(result.getStatus(), result.getReason(), result.getMessage()));
      }
    }
  }

  private static void collectDeadLetters(Set<String> ids, Map<String, List<Observed>> ends) {
    for (ConsumerRecord<byte[], byte[]> record : readAll(topics.dlq())) {
      // The dead letter holds the original bytes: the surest way back to the case.
      String id = record.value() == null ? null : SENT_VALUES.get(ByteBuffer.wrap(record.value()));
      if (id == null) {
        id = header(record, CASE_HEADER);
      }
      if (id == null && record.key() != null) {
        id = new String(record.key(), UTF_8);
      }
      if (id != null && ids.contains(id)) {
        String cause =
            String.valueOf(
                    header(record, "__streams.errors.exception") != null
                        ? header(record, "__streams.errors.exception")
                        : header(record, "aibroker.dlq.cause"))
                + ": "
                + String.valueOf(
                    header(record, "__streams.errors.message") != null
                        ? header(record, "__streams.errors.message")
                        : header(record, "aibroker.dlq.error"));
        ends.computeIfAbsent(id, k -> new ArrayList<>()).add(new Observed.DeadLetter(cause));
      }
    }
  }

  private static String header(ConsumerRecord<byte[], byte[]> record, String name) {
    Header header = record.headers().lastHeader(name);
    return header == null || header.value() == null ? null : new String(header.value(), UTF_8);
  }

  private static List<ConsumerRecord<byte[], byte[]>> readAll(String topic) {
    Map<String, Object> props = new HashMap<>(platform.clientProperties());
    props.put("enable.auto.commit", false);
    props.put("isolation.level", "read_committed");
    props.put("max.partition.fetch.bytes", 16 << 20);
    try (var consumer =
        new KafkaConsumer<>(props, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
      List<TopicPartition> partitions =
          consumer.partitionsFor(topic, Duration.ofSeconds(10)).stream()
              .map(p -> new TopicPartition(topic, p.partition()))
              .toList();
      consumer.assign(partitions);
      consumer.seekToBeginning(partitions);
      Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
      List<ConsumerRecord<byte[], byte[]>> records = new ArrayList<>();
      long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
      while (System.nanoTime() < deadline
          && !end.entrySet().stream()
              .allMatch(e -> consumer.position(e.getKey()) >= e.getValue())) {
        consumer.poll(Duration.ofMillis(200)).forEach(records::add);
      }
      return records;
    }
  }
}
