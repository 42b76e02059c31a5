package io.aibroker.app.batch;

import static org.assertj.core.api.Assertions.assertThat;

import io.aibroker.app.Platform;
import io.aibroker.app.TestPlatforms;
import io.aibroker.app.config.ConfigLoader;
import io.aibroker.app.faults.TopicTail;
import io.aibroker.connector.Connector;
import io.aibroker.connector.ConnectorContext;
import io.aibroker.connector.azureopenai.AzureOpenAiFakeServer;
import io.aibroker.connector.bedrock.BedrockBatchFakeServer;
import io.aibroker.connector.bedrock.BedrockFakeServer;
import io.aibroker.connector.simulated.SimulatedConfig;
import io.aibroker.connector.simulated.SimulatedConnector;
import io.aibroker.connector.testing.FakeBatchJobs;
import io.aibroker.connector.workersai.WorkersAiFakeServer;
import io.aibroker.records.ChatMessage;
import io.aibroker.records.InferenceRequest;
import io.aibroker.records.InferenceResult;
import io.aibroker.records.Priority;
import io.aibroker.records.ResultStatus;
import io.aibroker.records.Task;
import io.aibroker.records.UsageEvent;
import io.aibroker.registry.RestSchemaRegistryClient;
import io.aibroker.registry.SchemaRegistryConfig;
import io.aibroker.schemas.RecordSerdes;
import io.aibroker.topics.Topics;
import io.aibroker.workers.Worker;
import io.aibroker.workers.WorkerConfig;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AlterConfigOp;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.serialization.StringSerializer;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * BATCH requests through provider batch jobs (issue 18), on an embedded Kafka with the broker, a
 * worker and each provider's real SDK against its fake batch API: a thousand requests per provider
 * end exactly once, with usage at the batch price; a worker stopped while its job runs is followed
 * by one that resumes the job without creating it again; per-line errors end only their own
 * requests (a retryable one fails over to a real-time call); a deadline shorter than the window
 * means a real-time call.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ProviderBatchJobsIT {

  static final String TENANT = "batch-tenant";
  static final String GROUP = "batch-it";
  static final int THOUSAND = 1_000;
  static final Duration WAIT = Duration.ofSeconds(240);
  static final String AZURE_MODEL = "gpt-4o-mini";
  static final String BEDROCK_MODEL = "anthropic.claude-3-5-haiku-20241022-v1:0";
  static final String WAI_MODEL = "@cf/meta/llama-3.1-8b-instruct";

  /** Each provider's logical model: one batch-enabled route. */
  static final Map<String, String> MODELS =
      Map.of(
          "azure-openai", "chat-batch-azure",
          "bedrock", "chat-batch-bedrock",
          "workers-ai", "chat-batch-wai");

  @TempDir static Path dir;

  private final Clock clock = Clock.systemUTC();
  private final AzureOpenAiFakeServer azureFake;
  private final BedrockBatchFakeServer bedrockBatchFake;
  private final BedrockFakeServer bedrockFake;
  private final WorkersAiFakeServer workersAiFake;
  private final List<Connector> connectors = new ArrayList<>();
  private Platform platform;
  private RecordSerdes serdes;
  private Worker worker;
  private KafkaProducer<String, InferenceRequest> producer;

  ProviderBatchJobsIT() throws Exception {
    azureFake = new AzureOpenAiFakeServer("azure-batch");
    bedrockBatchFake = new BedrockBatchFakeServer();
    bedrockFake = new BedrockFakeServer();
    workersAiFake = new WorkersAiFakeServer();
  }

  @BeforeAll
  void start() throws Exception {
    Path config = dir.resolve("batch.yaml");
    String batch = "batch: {enabled: true, max-wait: 1s, min-lines: 1, max-lines: 1000}";
    Files.writeString(
        config,
        """
        aliases:
          default: warm-up
        models:
          - name: warm-up
            task: CHAT
            max-output-tokens: 256
            routes:
              - {provider: simulated, deployment: warm-up, provider-model: sim-chat-1}
          - name: chat-batch-azure
            task: CHAT
            max-output-tokens: 256
            routes:
              - {provider: azure-openai, deployment: azure-batch, provider-model: %1$s, %4$s}
          - name: chat-batch-bedrock
            task: CHAT
            max-output-tokens: 256
            routes:
              - {provider: bedrock, deployment: bedrock-batch, provider-model: "%2$s", %4$s}
          - name: chat-batch-wai
            task: CHAT
            max-output-tokens: 256
            routes:
              - {provider: workers-ai, deployment: cloudflare, provider-model: "%3$s", %4$s}
        prices:
          versions:
            - version: "batch-test"
              effective-from: "2020-01-01"
              models:
                %1$s: {input-per-million: "0.15", output-per-million: "0.60", tiers: {batch: {input-per-million: "0.075", output-per-million: "0.30"}}}
                "%2$s": {input-per-million: "0.80", output-per-million: "4.00", tiers: {batch: {input-per-million: "0.40", output-per-million: "2.00"}}}
                "%3$s": {input-per-million: "0.28", output-per-million: "0.84", tiers: {batch: {input-per-million: "0.14", output-per-million: "0.42"}}}
        """
            .formatted(AZURE_MODEL, BEDROCK_MODEL, WAI_MODEL, batch));
    Map<String, String> settings = TestPlatforms.freePorts(dir.resolve("data"));
    settings.put("workers.enabled", "false"); // the test runs its own worker, on the fakes
    platform = Platform.start(ConfigLoader.load(config, Map.of(), settings), clock);
    serdes =
        new RecordSerdes(
            new RestSchemaRegistryClient(SchemaRegistryConfig.of(platform.schemaRegistryUrl())));
    producer =
        new KafkaProducer<>(
            platform.clientProperties(), new StringSerializer(), serdes.requests().serializer());
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
    worker = startWorker("batch-worker-1");
    List<InferenceResult> warm = run(List.of(request("warm-up", "warm-up", "hello", null)));
    assertThat(warm.getFirst().getStatus()).isEqualTo(ResultStatus.SUCCEEDED);
  }

  @AfterAll
  void stop() {
    closeQuietly(producer);
    closeQuietly(worker);
    connectors.forEach(ProviderBatchJobsIT::closeQuietly);
    closeQuietly(platform);
    closeQuietly(azureFake);
    closeQuietly(bedrockBatchFake);
    closeQuietly(bedrockFake);
    closeQuietly(workersAiFake);
  }

  @ParameterizedTest
  @ValueSource(strings = {"azure-openai", "bedrock", "workers-ai"})
  void aThousandBatchRequestsEndExactlyOnceAtTheBatchPrice(String provider) {
    FakeBatchJobs jobs = jobsOf(provider);
    int jobsBefore = jobs.jobs().size();
    List<InferenceRequest> requests =
        IntStream.range(0, THOUSAND)
            .mapToObj(
                i ->
                    request(
                        provider + "-" + i,
                        MODELS.get(provider),
                        "Say " + i + " for " + provider,
                        null))
            .toList();

    Map<String, UsageEvent> usage = new LinkedHashMap<>();
    List<InferenceResult> results = run(requests, usage);

    assertThat(results).hasSize(THOUSAND);
    assertThat(results)
        .allSatisfy(r -> assertThat(r.getStatus()).isEqualTo(ResultStatus.SUCCEEDED));
    assertThat(results).allSatisfy(r -> assertThat(r.getProvider()).isEqualTo(provider));
    assertThat(usage).hasSize(THOUSAND);
    assertThat(usage.values())
        .allSatisfy(
            event -> {
              assertThat(event.getServiceTier()).isEqualTo("batch");
              assertThat(event.getPriceVersion()).isEqualTo("batch-test");
              assertThat(event.getCost()).isPositive();
              // the test prices put every batch price at half the standard one
              assertThat(event.getStandardCost())
                  .isEqualByComparingTo(event.getCost().multiply(BigDecimal.TWO));
            });
    UsageEvent one = usage.values().iterator().next();
    assertThat(one.getCost()).isEqualByComparingTo(batchCost(provider, one));
    List<FakeBatchJobs.Job> created = jobs.jobs().subList(jobsBefore, jobs.jobs().size());
    assertThat(created.stream().mapToInt(job -> job.lines().size()).sum())
        .as("lines over the jobs created: each request in one job")
        .isEqualTo(THOUSAND);
    assertThat(jobs.createsPerKey().values()).as("creates per job").containsOnly(1);
  }

  @Test
  void aWorkerStoppedWhileItsJobRunsIsFollowedByOneThatResumesItWithoutASecondCreate()
      throws Exception {
    FakeBatchJobs jobs = bedrockBatchFake.batchJobs();
    jobs.completeAfterPolls(1_000_000);
    int jobsBefore = jobs.jobs().size();
    int createsBefore = bedrockBatchFake.createRequests();
    int count = 50;
    List<InferenceRequest> requests =
        IntStream.range(0, count)
            .mapToObj(i -> request("resume-" + i, MODELS.get("bedrock"), "Resume " + i, null))
            .toList();
    try (var results = resultsTail();
        var usageTail = usageTail()) {
      send(requests);
      Awaitility.await()
          .atMost(WAIT)
          .until(
              () ->
                  jobs.jobs().subList(jobsBefore, jobs.jobs().size()).stream()
                          .mapToInt(job -> job.lines().size())
                          .sum()
                      == count);
      worker.close(); // between submission and completion
      jobs.reset().completeRunningJobs();
      worker = startWorker("batch-worker-2");

      Map<String, InferenceResult> answered = awaitResults(results, requests);
      Map<String, List<UsageEvent>> billed =
          readUsage(usageTail, answered.keySet(), billed(answered));

      assertThat(answered.values())
          .allSatisfy(r -> assertThat(r.getStatus()).isEqualTo(ResultStatus.SUCCEEDED));
      assertThat(billed).hasSize(count).allSatisfy((id, events) -> assertThat(events).hasSize(1));
      int jobsCreated = jobs.jobs().size() - jobsBefore;
      assertThat(bedrockBatchFake.createRequests() - createsBefore)
          .as("creates the fake received: one per job, none again after the restart")
          .isEqualTo(jobsCreated);
    }
  }

  @Test
  void aLineErrorEndsOnlyItsOwnRequestAndARetryableOneFailsOverToARealTimeCall() {
    FakeBatchJobs jobs = azureFake.batchJobs();
    jobs.failLinesContaining(
            "poison-terminal", new FakeBatchJobs.LineError(400, "invalid_request", "bad line"))
        .failLinesContaining(
            "poison-retry", new FakeBatchJobs.LineError(500, "server_error", "line failed"));
    int realTimeBefore = chatCalls(azureFake.requests());
    try {
      List<InferenceRequest> requests = new ArrayList<>();
      for (int i = 0; i < 8; i++) {
        requests.add(request("lines-" + i, MODELS.get("azure-openai"), "Line " + i, null));
      }
      requests.add(request("lines-terminal", MODELS.get("azure-openai"), "poison-terminal", null));
      requests.add(request("lines-retry", MODELS.get("azure-openai"), "poison-retry", null));

      Map<String, UsageEvent> usage = new LinkedHashMap<>();
      Map<String, InferenceResult> results =
          run(requests, usage).stream()
              .collect(Collectors.toMap(InferenceResult::getRequestId, Function.identity()));

      for (int i = 0; i < 8; i++) {
        assertThat(results.get("lines-" + i).getStatus()).isEqualTo(ResultStatus.SUCCEEDED);
        assertThat(usage.get("lines-" + i).getServiceTier()).isEqualTo("batch");
      }
      assertThat(results.get("lines-terminal").getStatus()).isEqualTo(ResultStatus.FAILED);
      assertThat(results.get("lines-terminal").getMessage()).contains("bad line");
      assertThat(results.get("lines-retry").getStatus()).isEqualTo(ResultStatus.SUCCEEDED);
      assertThat(usage.get("lines-retry").getServiceTier())
          .as("answered by the real-time call it failed over to")
          .isEqualTo("standard");
      assertThat(chatCalls(azureFake.requests()) - realTimeBefore).isEqualTo(1);
    } finally {
      jobs.reset();
    }
  }

  @Test
  void aRequestWhoseDeadlineIsShorterThanTheWindowIsCalledInRealTime() {
    FakeBatchJobs jobs = workersAiFake.batchJobs();
    int jobsBefore = jobs.jobs().size();
    workersAiFake.clearRequests();

    Map<String, UsageEvent> usage = new LinkedHashMap<>();
    InferenceResult result =
        run(
                List.of(
                    request(
                        "soon-1",
                        MODELS.get("workers-ai"),
                        "Say soon",
                        clock.instant().plus(Duration.ofMinutes(10)))),
                usage)
            .getFirst();

    assertThat(result.getStatus()).isEqualTo(ResultStatus.SUCCEEDED);
    assertThat(usage.get("soon-1").getServiceTier()).isEqualTo("standard");
    assertThat(jobs.jobs()).hasSize(jobsBefore);
    assertThat(workersAiFake.requestCount()).as("one real-time call").isEqualTo(1);
  }

  // ---- helpers ---------------------------------------------------------------------------------

  private FakeBatchJobs jobsOf(String provider) {
    return switch (provider) {
      case "azure-openai" -> azureFake.batchJobs();
      case "bedrock" -> bedrockBatchFake.batchJobs();
      case "workers-ai" -> workersAiFake.batchJobs();
      default -> throw new IllegalArgumentException(provider);
    };
  }

  /** What {@code event}'s tokens cost at the test's batch prices of {@code provider}'s model. */
  private static BigDecimal batchCost(String provider, UsageEvent event) {
    String[] perMillion =
        switch (provider) {
          case "azure-openai" -> new String[] {"0.075", "0.30"};
          case "bedrock" -> new String[] {"0.40", "2.00"};
          default -> new String[] {"0.14", "0.42"};
        };
    return new BigDecimal(perMillion[0])
        .multiply(BigDecimal.valueOf(event.getInputTokens()))
        .add(new BigDecimal(perMillion[1]).multiply(BigDecimal.valueOf(event.getOutputTokens())))
        .divide(BigDecimal.valueOf(1_000_000));
  }

  private static int chatCalls(List<io.aibroker.connector.testing.RecordedRequest> requests) {
    return (int) requests.stream().filter(r -> r.path().contains("/chat/completions")).count();
  }

  /** A BATCH chat; texts differ between tests, or the response cache would answer them. */
  private InferenceRequest request(String id, String model, String text, Instant deadline) {
    return InferenceRequest.newBuilder()
        .setRequestId(id)
        .setTenantId(TENANT)
        .setTask(Task.CHAT)
        .setModel(model)
        .setPriority(Priority.BATCH)
        .setMessages(List.of(new ChatMessage("user", text, null)))
        .setDeadline(deadline)
        .setCreatedAt(clock.instant())
        .build();
  }

  private List<InferenceResult> run(List<InferenceRequest> requests) {
    return run(requests, new LinkedHashMap<>());
  }

  /** Sends the requests, waits for each one's result, and collects their usage events. */
  private List<InferenceResult> run(
      List<InferenceRequest> requests, Map<String, UsageEvent> usage) {
    try (var results = resultsTail();
        var usageTail = usageTail()) {
      send(requests);
      Map<String, InferenceResult> answered = awaitResults(results, requests);
      readUsage(usageTail, answered.keySet(), billed(answered))
          .forEach(
              (id, events) -> {
                assertThat(events).as("usage events of %s", id).hasSize(1);
                usage.put(id, events.getFirst());
              });
      return List.copyOf(answered.values());
    }
  }

  private void send(List<InferenceRequest> requests) {
    for (InferenceRequest request : requests) {
      producer.send(new ProducerRecord<>(Topics.defaults().requests(), TENANT, request));
    }
    producer.flush();
  }

  /** Every request's one result: fails on a second result of any of them. */
  private static Map<String, InferenceResult> awaitResults(
      TopicTail<InferenceResult> results, List<InferenceRequest> requests) {
    var ids = requests.stream().map(InferenceRequest::getRequestId).collect(Collectors.toSet());
    Instant giveUp = Instant.now().plus(WAIT);
    List<InferenceResult> mine = List.of();
    while (Instant.now().isBefore(giveUp)) {
      mine =
          results.poll(Duration.ofMillis(500)).stream()
              .filter(r -> ids.contains(r.getRequestId()))
              .toList();
      if (mine.size() >= ids.size()) {
        break;
      }
    }
    // a little longer, to see any duplicate
    mine =
        results.poll(Duration.ofSeconds(2)).stream()
            .filter(r -> ids.contains(r.getRequestId()))
            .toList();
    Map<String, List<InferenceResult>> byId =
        mine.stream().collect(Collectors.groupingBy(InferenceResult::getRequestId));
    assertThat(byId).as("requests with a result").hasSize(ids.size());
    assertThat(byId).allSatisfy((id, list) -> assertThat(list).as("results of " + id).hasSize(1));
    return byId.entrySet().stream()
        .collect(
            Collectors.toMap(
                Map.Entry::getKey, e -> e.getValue().getFirst(), (a, b) -> a, LinkedHashMap::new));
  }

  /** The requests among {@code answered} that are billed: those that SUCCEEDED. */
  private static java.util.Set<String> billed(Map<String, InferenceResult> answered) {
    return answered.values().stream()
        .filter(r -> r.getStatus() == ResultStatus.SUCCEEDED)
        .map(InferenceResult::getRequestId)
        .collect(Collectors.toSet());
  }

  /**
   * The usage events of {@code ids}, read until each of {@code billed} has one and a little longer.
   * Only billed requests are waited for: a FAILED one has no usage event to wait for, and waiting
   * for one made a test with a failed line wait out the whole 60 s.
   */
  private static Map<String, List<UsageEvent>> readUsage(
      TopicTail<UsageEvent> usage, java.util.Set<String> ids, java.util.Set<String> billed) {
    Instant giveUp = Instant.now().plus(Duration.ofSeconds(60));
    List<UsageEvent> mine = List.of();
    while (Instant.now().isBefore(giveUp)) {
      mine =
          usage.poll(Duration.ofMillis(500)).stream()
              .filter(e -> ids.contains(e.getRequestId()))
              .toList();
      if (mine.stream()
          .map(UsageEvent::getRequestId)
          .collect(Collectors.toSet())
          .containsAll(billed)) {
        break;
      }
    }
    mine =
        usage.poll(Duration.ofSeconds(1)).stream()
            .filter(e -> ids.contains(e.getRequestId()))
            .toList();
    return mine.stream().collect(Collectors.groupingBy(UsageEvent::getRequestId));
  }

  private TopicTail<InferenceResult> resultsTail() {
    return new TopicTail<>(
        platform.bootstrapServers(), Topics.defaults().results(), serdes.results().deserializer());
  }

  private TopicTail<UsageEvent> usageTail() {
    return new TopicTail<>(
        platform.bootstrapServers(), Topics.defaults().usage(), serdes.usage().deserializer());
  }

  private Worker startWorker(String workerId) {
    Duration timeout = Duration.ofSeconds(30);
    Map<String, Connector> byProvider = new LinkedHashMap<>();
    byProvider.put("simulated", new SimulatedConnector(SimulatedConfig.defaults(), clock));
    byProvider.put(
        "azure-openai",
        azureFake.connector(timeout, new ConnectorContext(clock, new SimpleMeterRegistry())));
    byProvider.put("bedrock", bedrockBatchFake.connector(bedrockFake.baseUri(), timeout, clock));
    byProvider.put("workers-ai", workersAiFake.connector(timeout, clock));
    connectors.addAll(byProvider.values());
    WorkerConfig config =
        WorkerConfig.builder(Topics.defaults(), GROUP, workerId, List.copyOf(byProvider.keySet()))
            .consumers(WorkerConfig.DEFAULT_CONSUMERS)
            .maxPollRecords(500)
            .callTimeout(Duration.ofSeconds(20))
            .drainTimeout(Duration.ofSeconds(2))
            .batchPollInterval(Duration.ofMillis(250))
            .build();
    Worker started =
        new Worker(
            config,
            byProvider,
            serdes,
            platform.clientProperties(),
            clock,
            new SimpleMeterRegistry());
    started.start();
    return started;
  }

  private static void closeQuietly(AutoCloseable closeable) {
    if (closeable == null) {
      return;
    }
    try {
      closeable.close();
    } catch (Exception e) {
      // best effort at teardown
    }
  }
}
