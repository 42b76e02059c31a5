package io.aibroker.app.faults;

import static org.assertj.core.api.Assertions.assertThat;

import io.aibroker.app.Platform;
import io.aibroker.app.TestPlatforms;
import io.aibroker.app.config.ConfigLoader;
import io.aibroker.connector.Connector;
import io.aibroker.connector.ConnectorContext;
import io.aibroker.connector.azureopenai.AzureOpenAiFakeServer;
import io.aibroker.connector.bedrock.BedrockFakeServer;
import io.aibroker.connector.simulated.SimulatedConfig;
import io.aibroker.connector.simulated.SimulatedConnector;
import io.aibroker.connector.testing.FakeProviderServer;
import io.aibroker.connector.workersai.WorkersAiFakeServer;
import io.aibroker.records.ChatMessage;
import io.aibroker.records.InferenceRequest;
import io.aibroker.records.InferenceResult;
import io.aibroker.records.ProviderOutcome;
import io.aibroker.records.Task;
import io.aibroker.registry.RestSchemaRegistryClient;
import io.aibroker.registry.SchemaRegistryConfig;
import io.aibroker.schemas.RecordSerdes;
import io.aibroker.topics.Topics;
import io.aibroker.workers.Worker;
import io.aibroker.workers.WorkerConfig;
import io.aibroker.workers.WorkerMetrics;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicReference;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AlterConfigOp;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Provider fault storms (issue 7, item 2): real traffic through the broker and a worker on an
 * embedded Kafka while one provider misbehaves, for every {@link Storm} against the simulated
 * provider and the fake servers of Bedrock, Azure OpenAI and Workers AI (each called with its real
 * SDK or HTTP client). Every model has two routes: the stormed deployment first, a healthy
 * simulated deployment second, so the broker can fail over.
 *
 * <p>Each run measures completion, retries, breaker transitions, failovers and provider calls
 * started at or after their request's deadline (at the connector boundary, and for the real
 * connectors at the fake server too), adds a row to {@code target/fault-storms.md}, and asserts:
 * exactly one terminal result per request, no call after a deadline, the breaker opening for
 * failures and not for throttling, and failover to the healthy route.
 *
 * <p>System properties: {@code faults.storm.seconds} (default 5; the full run uses 30), {@code
 * faults.providers} and {@code faults.storms} (comma-separated subsets; without {@code
 * faults.providers} each storm meets the simulated provider and one real connector, see {@link
 * #runs()}), {@code faults.rate} (requests per second, default 8).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ProviderFaultStormsIT {

  static final Duration STORM = Duration.ofSeconds(Long.getLong("faults.storm.seconds", 5));

  /** How long an opened circuit stays open before it lets calls through again. */
  static final Duration WAIT_IN_OPEN = Duration.ofSeconds(2);

  /**
   * Traffic goes on this long after the storm, so circuits can close again: a circuit open when the
   * storm ends half-opens within {@link #WAIT_IN_OPEN}, and the second left at {@link #RATE} brings
   * the calls that close it. (It was 5 s; the assertions are about the requests of the storm, whose
   * deadlines reach past the aftermath either way.)
   */
  static final Duration AFTERMATH = WAIT_IN_OPEN.plusSeconds(1);

  static final int RATE = Integer.getInteger("faults.rate", 8);

  /** Every request's deadline, from its creation. */
  static final Duration DEADLINE = Duration.ofSeconds(8);

  /** The worker's longest single call: hangs end here. */
  static final Duration CALL_TIMEOUT = Duration.ofSeconds(1);

  static final String TENANT = "storm-tenant";
  static final String GROUP = "fault-storms";
  static final Pattern REQUEST_ID = Pattern.compile("[a-z-]+\\.[a-z-]+\\.\\d{4}");

  static final Map<String, String> PROVIDER_MODELS =
      Map.of(
          "simulated", "sim-chat-1",
          "bedrock", "anthropic.claude-3-5-haiku-20241022-v1:0",
          "azure-openai", "gpt-4o-mini",
          "workers-ai", "@cf/meta/llama-3.1-8b-instruct");

  static final SimulatedConfig SIMULATED =
      SimulatedConfig.builder().latency(Duration.ofMillis(20)).build();

  @TempDir static Path dir;

  private final Clock clock = Clock.systemUTC();
  private final StormReport report = new StormReport();
  private final CallLog calls = new CallLog();
  private final Map<String, FakeProviderServer> fakes = new LinkedHashMap<>();
  private final List<Connector> fakeConnectors = new ArrayList<>();
  private final AtomicReference<Connector> simulated = new AtomicReference<>();
  private final SimpleMeterRegistry workerMetrics = new SimpleMeterRegistry();
  private Platform platform;
  private RecordSerdes serdes;
  private Worker worker;
  private KafkaProducer<String, InferenceRequest> producer;

  /** The real connectors, in the order the suite's short matrix assigns them to storms. */
  static final List<String> REAL_CONNECTORS = List.of("bedrock", "azure-openai", "workers-ai");

  /**
   * Every storm against every provider when {@code faults.providers} is given (as {@code
   * reliability/faults.sh} does); otherwise the suite's short matrix: each storm against the
   * simulated provider and one real connector, each real connector getting storms in turn (the
   * connectors' conformance suites cover every fault against every fake server).
   */
  static Stream<Arguments> runs() {
    boolean full = System.getProperty("faults.providers") != null;
    List<String> providers = list("faults.providers", String.join(",", PROVIDER_MODELS.keySet()));
    List<String> storms = list("faults.storms", "");
    List<Storm> chosen =
        Arrays.stream(Storm.values())
            .filter(s -> storms.isEmpty() || storms.contains(s.id()))
            .toList();
    return chosen.stream()
        .flatMap(
            storm ->
                (full
                        ? List.of("simulated", "bedrock", "azure-openai", "workers-ai").stream()
                            .filter(providers::contains)
                        : Stream.of(
                            "simulated",
                            REAL_CONNECTORS.get(storm.ordinal() % REAL_CONNECTORS.size())))
                    .map(provider -> Arguments.of(storm, provider)));
  }

  @BeforeAll
  void startPlatformAndWorker() throws Exception {
    fakes.put("bedrock", new BedrockFakeServer());
    fakes.put(
        "azure-openai",
        new AzureOpenAiFakeServer(
            Arrays.stream(Storm.values())
                .map(storm -> primaryDeployment(storm, "azure-openai"))
                .toArray(String[]::new)));
    fakes.put("workers-ai", new WorkersAiFakeServer());

    Path config = dir.resolve("storms.yaml");
    Files.writeString(config, modelsYaml());
    Map<String, String> settings = new LinkedHashMap<>();
    settings.put("data-dir", dir.resolve("data").toString());
    settings.put("kafka.embedded-port", Integer.toString(TestPlatforms.freePort()));
    settings.put("schema-registry.embedded-port", Integer.toString(TestPlatforms.freePort()));
    settings.put("http.port", Integer.toString(TestPlatforms.freePort()));
    settings.put("workers.enabled", "false"); // the test runs its own worker, on fake providers
    TestPlatforms.quickShareAssignments(settings);
    platform = Platform.start(ConfigLoader.load(config, Map.of(), settings), clock);
    serdes =
        new RecordSerdes(
            new RestSchemaRegistryClient(SchemaRegistryConfig.of(platform.schemaRegistryUrl())));
    producer =
        new KafkaProducer<>(
            platform.clientProperties(), new StringSerializer(), serdes.requests().serializer());
    startWorker();
    warmUp();
  }

  @AfterAll
  void stopAndReport() throws IOException {
    try {
      String title =
          "Provider fault storms: "
              + STORM.toSeconds()
              + " s storms + "
              + AFTERMATH.toSeconds()
              + " s aftermath, "
              + RATE
              + " requests/s, deadline "
              + DEADLINE.toSeconds()
              + " s, call timeout "
              + CALL_TIMEOUT.toMillis()
              + " ms";
      String table = report.write(Path.of("target", "fault-storms.md"), title);
      System.out.println(table);
    } finally {
      closeQuietly(producer);
      closeQuietly(worker);
      fakeConnectors.forEach(ProviderFaultStormsIT::closeQuietly);
      closeQuietly(simulated.get());
      closeQuietly(platform);
      fakes.values().forEach(ProviderFaultStormsIT::closeQuietly);
    }
  }

  @ParameterizedTest(name = "{0} on {1}")
  @MethodSource("runs")
  void stormEndsInExactlyOneResultPerRequestWithNoCallAfterItsDeadline(Storm storm, String provider)
      throws Exception {
    StormFigures figures = run(storm, provider);
    report.add(figures);
    System.out.println(report.markdown("so far"));

    assertThat(figures.exactlyOneResultEach()).as("exactly one terminal result each").isTrue();
    assertThat(figures.callsAfterDeadline()).as("calls started after the deadline").isZero();
    assertThat(figures.serverCallsAfterDeadline())
        .as("calls the provider received after the deadline")
        .isZero();
    // A healthy fallback is there; only a machine too loaded to meet 8 s deadlines loses some.
    assertThat(figures.completionPercent())
        .as("completion with a healthy fallback")
        .isGreaterThanOrEqualTo(95.0);
    if (storm == Storm.RATE_LIMITED) {
      assertThat(figures.transitionCount()).as("throttling opens no circuit").isZero();
      assertThat(figures.retries()).as("429s are retried after Retry-After").isPositive();
      if (STORM.compareTo(Duration.ofSeconds(10)) >= 0) {
        // 4 attempts about 1 s apart fit in the storm only when it lasts long enough
        assertThat(figures.failovers()).as("requests throttled 4 times failed over").isPositive();
      }
    } else {
      assertThat(figures.breakerOpened()).as("the stormed deployment's circuit opened").isTrue();
      assertThat(figures.failovers() + figures.servedByFallback())
          .as("requests moved to the healthy route")
          .isPositive();
    }
  }

  private StormFigures run(Storm storm, String provider) throws Exception {
    String primary = primaryDeployment(storm, provider);
    calls.clear();
    FakeProviderServer fake = fakes.get(provider);
    if (fake != null) {
      fake.clearRequests();
      fake.faults(storm.schedule(clock, STORM));
    } else {
      Connector previous =
          simulated.getAndSet(
              new SimulatedConnector(
                  SIMULATED.toBuilder().faults(storm.simulatedFaults(primary, STORM)).build(),
                  clock));
      closeQuietly(previous);
    }
    Map<String, Instant> deadlines = new ConcurrentHashMap<>();
    Map<String, Instant> sent = new ConcurrentHashMap<>();
    Instant stormStart = clock.instant();
    try (var results =
            new TopicTail<>(
                platform.bootstrapServers(),
                Topics.defaults().results(),
                serdes.results().deserializer());
        var outcomes =
            new TopicTail<>(
                platform.bootstrapServers(),
                Topics.defaults().outcomes(),
                serdes.outcomes().deserializer())) {
      sendTraffic(storm, provider, deadlines, sent);
      List<InferenceResult> read = awaitResults(results, deadlines);
      List<ProviderOutcome> outcomesRead = outcomes.poll(Duration.ofMillis(500));
      writeTimeline(storm, provider, stormStart, sent, fake, outcomesRead);
      return StormFigures.of(
          storm,
          provider,
          deadlines,
          read,
          outcomesRead,
          primary,
          transitions(primary),
          calls.calls().stream()
              .map(c -> new StormFigures.CallStart(c.requestId(), c.deployment(), c.started()))
              .toList(),
          fake == null ? null : serverCalls(fake),
          stormStart,
          stormStart.plus(STORM),
          sent);
    } finally {
      if (fake != null) {
        fake.faults(null);
      }
    }
  }

  /** Every call and outcome of the run against time, to target/fault-storms/, for a closer look. */
  private void writeTimeline(
      Storm storm,
      String provider,
      Instant stormStart,
      Map<String, Instant> sent,
      FakeProviderServer fake,
      List<ProviderOutcome> outcomes)
      throws IOException {
    List<String> lines = new ArrayList<>();
    sent.forEach((id, at) -> lines.add(offset(stormStart, at) + ",sent," + id + ",,"));
    for (CallLog.Call call : calls.calls()) {
      lines.add(
          offset(stormStart, call.started())
              + ",call,"
              + call.requestId()
              + ","
              + call.deployment()
              + ",");
    }
    if (fake != null) {
      for (StormFigures.CallStart arrival : serverCalls(fake)) {
        lines.add(offset(stormStart, arrival.started()) + ",server," + arrival.requestId() + ",,");
      }
    }
    for (ProviderOutcome outcome : outcomes) {
      if (sent.containsKey(outcome.getRequestId())) {
        lines.add(
            offset(stormStart, outcome.getCompletedAt())
                + ",outcome,"
                + outcome.getRequestId()
                + ","
                + outcome.getRoute().getDeployment()
                + ","
                + (outcome.getSuccess()
                    ? "success"
                    : outcome.getError().getCode() + " calls=" + outcome.getCalls()));
      }
    }
    lines.sort(
        java.util.Comparator.comparingLong(l -> Long.parseLong(l.substring(0, l.indexOf(',')))));
    lines.addFirst("ms_since_storm_start,event,request,deployment,detail");
    Path file = Path.of("target", "fault-storms", storm.id() + "-" + provider + ".csv");
    Files.createDirectories(file.getParent());
    Files.write(file, lines);
  }

  private static long offset(Instant start, Instant at) {
    return Duration.between(start, at).toMillis();
  }

  private void sendTraffic(
      Storm storm, String provider, Map<String, Instant> deadlines, Map<String, Instant> sent)
      throws InterruptedException {
    long count = (STORM.plus(AFTERMATH).toMillis() * RATE) / 1000;
    long start = System.nanoTime();
    long every = 1_000_000_000L / RATE;
    for (int i = 0; i < count; i++) {
      long due = start + i * every;
      long wait = due - System.nanoTime();
      if (wait > 0) {
        Thread.sleep(Duration.ofNanos(wait));
      }
      String id = String.format("%s.%s.%04d", storm.id(), provider, i);
      Instant now = clock.instant();
      Instant deadline = now.plus(DEADLINE);
      deadlines.put(id, deadline);
      sent.put(id, now);
      InferenceRequest request =
          InferenceRequest.newBuilder()
              .setRequestId(id)
              .setTenantId(TENANT)
              .setTask(Task.CHAT)
              .setModel(model(storm, provider))
              .setMessages(
                  List.of(
                      new ChatMessage("user", "storm request " + id + ": tell me a story", null)))
              .setStream(storm.streaming())
              .setDeadline(deadline)
              .setCreatedAt(now)
              .build();
      producer.send(new ProducerRecord<>(Topics.defaults().requests(), TENANT, request));
    }
    producer.flush();
  }

  private static List<InferenceResult> awaitResults(
      TopicTail<InferenceResult> results, Map<String, Instant> deadlines) {
    Instant lastDeadline = deadlines.values().stream().max(Instant::compareTo).orElseThrow();
    // Every request ends by its deadline; the broker needs a moment to publish the last ones.
    Instant giveUp = lastDeadline.plusSeconds(30);
    List<InferenceResult> read = List.of();
    while (Instant.now().isBefore(giveUp)) {
      read = results.poll(Duration.ofMillis(500));
      long answered =
          read.stream()
              .map(InferenceResult::getRequestId)
              .filter(deadlines::containsKey)
              .distinct()
              .count();
      if (answered == deadlines.size()) {
        break;
      }
    }
    // A little longer, so that a duplicate result would be seen.
    return results.poll(Duration.ofSeconds(2));
  }

  private Map<String, Long> transitions(String deployment) {
    Map<String, Long> byKind = new LinkedHashMap<>();
    for (Counter counter :
        workerMetrics
            .find(WorkerMetrics.CIRCUIT_TRANSITIONS)
            .tag(WorkerMetrics.TAG_DEPLOYMENT, deployment)
            .counters()) {
      String kind =
          counter.getId().getTag(WorkerMetrics.TAG_FROM)
              + ">"
              + counter.getId().getTag(WorkerMetrics.TAG_TO);
      byKind.merge(kind, (long) counter.count(), Long::sum);
    }
    return byKind;
  }

  private static List<StormFigures.CallStart> serverCalls(FakeProviderServer fake) {
    List<StormFigures.CallStart> starts = new ArrayList<>();
    for (var request : fake.requests()) {
      Matcher id = REQUEST_ID.matcher(request.body());
      if (id.find()) {
        starts.add(new StormFigures.CallStart(id.group(), null, request.receivedAt()));
      }
    }
    return starts;
  }

  private void startWorker() throws Exception {
    Map<String, Connector> connectors = new LinkedHashMap<>();
    simulated.set(new SimulatedConnector(SIMULATED, clock));
    connectors.put("simulated", new RecordingConnector("simulated", simulated::get, calls, clock));
    // The connectors' own timeouts are longer than the worker's: the worker's call timeout and
    // the request's deadline must be what ends a hanging call.
    Duration sdkTimeout = Duration.ofSeconds(30);
    Connector bedrock = ((BedrockFakeServer) fakes.get("bedrock")).connector(sdkTimeout, clock);
    Connector azure =
        ((AzureOpenAiFakeServer) fakes.get("azure-openai"))
            .connector(sdkTimeout, new ConnectorContext(clock, new SimpleMeterRegistry()));
    Connector workersAi =
        ((WorkersAiFakeServer) fakes.get("workers-ai")).connector(sdkTimeout, clock);
    fakeConnectors.addAll(List.of(bedrock, azure, workersAi));
    connectors.put("bedrock", new RecordingConnector("bedrock", () -> bedrock, calls, clock));
    connectors.put(
        "azure-openai", new RecordingConnector("azure-openai", () -> azure, calls, clock));
    connectors.put(
        "workers-ai", new RecordingConnector("workers-ai", () -> workersAi, calls, clock));

    try (Admin admin = Admin.create(platform.clientProperties())) {
      admin
          .incrementalAlterConfigs(
              Map.of(
                  new ConfigResource(ConfigResource.Type.GROUP, GROUP),
                  List.of(
                      new AlterConfigOp(
                          new ConfigEntry("share.auto.offset.reset", "earliest"),
                          AlterConfigOp.OpType.SET))))
          .all()
          .get();
    }
    WorkerConfig config =
        WorkerConfig.builder(
                Topics.defaults(), GROUP, "storm-worker", List.copyOf(connectors.keySet()))
            .consumers(WorkerConfig.DEFAULT_CONSUMERS)
            .callTimeout(CALL_TIMEOUT)
            .healthInterval(Duration.ofSeconds(1))
            .drainTimeout(Duration.ofSeconds(2))
            .retry(new WorkerConfig.RetrySettings(4, Duration.ofMillis(200), Duration.ofSeconds(5)))
            .breaker(new WorkerConfig.BreakerSettings(50, 10, 5, WAIT_IN_OPEN, 2))
            .build();
    worker =
        new Worker(config, connectors, serdes, platform.clientProperties(), clock, workerMetrics);
    worker.start();
  }

  /** One request through the whole path, so the share group's assignment is done before runs. */
  private void warmUp() {
    try (var results =
        new TopicTail<>(
            platform.bootstrapServers(),
            Topics.defaults().results(),
            serdes.results().deserializer())) {
      Instant now = clock.instant();
      producer.send(
          new ProducerRecord<>(
              Topics.defaults().requests(),
              TENANT,
              InferenceRequest.newBuilder()
                  .setRequestId("warm-up")
                  .setTenantId(TENANT)
                  .setTask(Task.CHAT)
                  .setModel("warm-up")
                  .setMessages(List.of(new ChatMessage("user", "warm up", null)))
                  .setCreatedAt(now)
                  .build()));
      producer.flush();
      Instant giveUp = now.plusSeconds(180);
      while (Instant.now().isBefore(giveUp)) {
        if (results.poll(Duration.ofMillis(500)).stream()
            .anyMatch(r -> r.getRequestId().equals("warm-up"))) {
          return;
        }
      }
      throw new IllegalStateException("the warm-up request got no result in 180 s");
    }
  }

  private static String modelsYaml() {
    StringBuilder yaml = new StringBuilder("aliases:\n  default: warm-up\nmodels:\n");
    yaml.append(
        """
          - name: warm-up
            task: CHAT
            max-output-tokens: 256
            routes:
              - {provider: simulated, deployment: warm-up, provider-model: sim-chat-1}
        """);
    for (Storm storm : Storm.values()) {
      for (String provider : PROVIDER_MODELS.keySet()) {
        yaml.append(
            String.format(
                """
                  - name: %s
                    task: CHAT
                    max-output-tokens: 256
                    routes:
                      - {provider: %s, deployment: %s, provider-model: "%s", priority: 0}
                      - {provider: simulated, deployment: calm-%s, provider-model: sim-chat-1, priority: 1}
                """,
                model(storm, provider),
                provider,
                primaryDeployment(storm, provider),
                PROVIDER_MODELS.get(provider),
                primaryDeployment(storm, provider)));
      }
    }
    return yaml.toString();
  }

  static String primaryDeployment(Storm storm, String provider) {
    return storm.id() + "-" + provider;
  }

  static String model(Storm storm, String provider) {
    return "storm-" + primaryDeployment(storm, provider);
  }

  private static List<String> list(String property, String defaults) {
    String value = System.getProperty(property, defaults).trim();
    return value.isEmpty() ? List.of() : List.of(value.split("\\s*,\\s*"));
  }

  private static void closeQuietly(AutoCloseable resource) {
    if (resource == null) {
      return;
    }
    try {
      resource.close();
    } catch (Exception e) {
      System.err.println("closing " + resource.getClass().getSimpleName() + ": " + e);
    }
  }
}
