package io.aibroker.app.faults;

import static org.assertj.core.api.Assertions.assertThat;

import io.aibroker.app.Platform;
import io.aibroker.app.TestPlatforms;
import io.aibroker.app.config.ConfigLoader;
import io.aibroker.connector.Connector;
import io.aibroker.connector.bedrock.BedrockFakeServer;
import io.aibroker.connector.simulated.SimulatedConfig;
import io.aibroker.connector.simulated.SimulatedConnector;
import io.aibroker.connector.testing.FakeReplies;
import io.aibroker.connector.testing.FakeScenario;
import io.aibroker.connector.workersai.WorkersAiFakeServer;
import io.aibroker.records.ChatMessage;
import io.aibroker.records.InferenceRequest;
import io.aibroker.records.InferenceResult;
import io.aibroker.records.ResultStatus;
import io.aibroker.records.Task;
import io.aibroker.registry.RestSchemaRegistryClient;
import io.aibroker.registry.SchemaRegistryConfig;
import io.aibroker.schemas.RecordSerdes;
import io.aibroker.topics.Topics;
import io.aibroker.workers.Worker;
import io.aibroker.workers.WorkerConfig;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AlterConfigOp;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code attempts} counts provider calls (issue 17): a result's attempts are every call the workers
 * made for the request, retries and failovers included, through the broker and a worker on an
 * embedded Kafka, with Bedrock's real SDK against its fake and Workers AI as the second route. The
 * result's usage also carries the cache tokens Bedrock reported.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class AttemptsIT {

  /** The worker's retry budget: at most this many calls per dispatch. */
  static final int MAX_ATTEMPTS = 4;

  static final String TENANT = "attempts-tenant";
  static final String GROUP = "attempts";
  static final String BEDROCK_MODEL = "anthropic.claude-3-5-haiku-20241022-v1:0";

  @TempDir static Path dir;

  private final Clock clock = Clock.systemUTC();
  private final BedrockFakeServer bedrockFake;
  private final WorkersAiFakeServer workersAiFake;
  private Connector bedrock;
  private Connector workersAi;
  private SimulatedConnector simulated;
  private Platform platform;
  private RecordSerdes serdes;
  private Worker worker;
  private KafkaProducer<String, InferenceRequest> producer;

  AttemptsIT() throws IOException {
    bedrockFake = new BedrockFakeServer();
    workersAiFake = new WorkersAiFakeServer();
  }

  @BeforeAll
  void start() throws Exception {
    Path config = dir.resolve("attempts.yaml");
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
          - name: throttled
            task: CHAT
            max-output-tokens: 256
            routes:
              - {provider: bedrock, deployment: throttled, provider-model: "%1$s"}
          - name: failing-over
            task: CHAT
            max-output-tokens: 256
            routes:
              - {provider: bedrock, deployment: down, provider-model: "%1$s", priority: 0}
              - {provider: workers-ai, deployment: wai, provider-model: "@cf/meta/llama-3.1-8b-instruct", priority: 1}
        """
            .formatted(BEDROCK_MODEL));
    Map<String, String> settings = new LinkedHashMap<>();
    settings.put("data-dir", dir.resolve("data").toString());
    settings.put("kafka.embedded-port", Integer.toString(TestPlatforms.freePort()));
    settings.put("schema-registry.embedded-port", Integer.toString(TestPlatforms.freePort()));
    settings.put("http.port", Integer.toString(TestPlatforms.freePort()));
    settings.put("workers.enabled", "false"); // the test runs its own worker, on the fakes
    platform = Platform.start(ConfigLoader.load(config, Map.of(), settings), clock);
    serdes =
        new RecordSerdes(
            new RestSchemaRegistryClient(SchemaRegistryConfig.of(platform.schemaRegistryUrl())));
    producer =
        new KafkaProducer<>(
            platform.clientProperties(), new StringSerializer(), serdes.requests().serializer());
    startWorker();
    assertThat(call("warm-up", "warm-up", Duration.ofSeconds(180)).getStatus())
        .isEqualTo(ResultStatus.SUCCEEDED);
  }

  @AfterAll
  void stop() {
    closeQuietly(producer);
    closeQuietly(worker);
    closeQuietly(bedrock);
    closeQuietly(workersAi);
    closeQuietly(simulated);
    closeQuietly(platform);
    bedrockFake.close();
    workersAiFake.close();
  }

  @Test
  void aBedrockCallThrottledTwiceThenAnsweredCountsThreeAttemptsAndItsCacheTokens() {
    bedrockFake.clearRequests();
    bedrockFake.chatUsage(FakeReplies.CACHED_CHAT_USAGE);
    bedrockFake.enqueue(FakeScenario.RATE_LIMITED, FakeScenario.RATE_LIMITED);

    InferenceResult result = call("throttled-1", "throttled", Duration.ofSeconds(60));

    assertThat(result.getStatus()).isEqualTo(ResultStatus.SUCCEEDED);
    assertThat(bedrockFake.requestCount()).as("calls Bedrock received").isEqualTo(3);
    assertThat(result.getAttempts()).as("attempts: every provider call").isEqualTo(3);
    assertThat(result.getUsage().getInputTokens()).isEqualTo(1_500);
    assertThat(result.getUsage().getOutputTokens()).isEqualTo(500);
    assertThat(result.getUsage().getCacheReadInputTokens()).isEqualTo(1_000);
    assertThat(result.getUsage().getCacheWriteInputTokens()).isEqualTo(200);
    assertThat(result.getUsage().getCacheWrite1hInputTokens()).isEqualTo(80);
  }

  @Test
  void failingOverAfterTheRetriesAreSpentCountsEveryCallOfBothRoutes() {
    bedrockFake.clearRequests();
    workersAiFake.clearRequests();
    FakeScenario[] outage = new FakeScenario[MAX_ATTEMPTS];
    Arrays.fill(outage, FakeScenario.SERVER_ERROR);
    bedrockFake.enqueue(outage);

    InferenceResult result = call("failover-1", "failing-over", Duration.ofSeconds(60));

    assertThat(result.getStatus()).isEqualTo(ResultStatus.SUCCEEDED);
    assertThat(result.getProvider()).isEqualTo("workers-ai");
    assertThat(bedrockFake.requestCount()).as("calls Bedrock received").isEqualTo(MAX_ATTEMPTS);
    assertThat(workersAiFake.requestCount()).as("calls Workers AI received").isEqualTo(1);
    assertThat(result.getAttempts())
        .as("attempts: %d calls to Bedrock, then one to Workers AI", MAX_ATTEMPTS)
        .isEqualTo(MAX_ATTEMPTS + 1);
  }

  private InferenceResult call(String requestId, String model, Duration wait) {
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
                  .setRequestId(requestId)
                  .setTenantId(TENANT)
                  .setTask(Task.CHAT)
                  .setModel(model)
                  .setMessages(List.of(new ChatMessage("user", "how many calls?", null)))
                  .setDeadline(now.plus(wait))
                  .setCreatedAt(now)
                  .build()));
      producer.flush();
      Instant giveUp = now.plus(wait).plusSeconds(10);
      while (Instant.now().isBefore(giveUp)) {
        for (InferenceResult result : results.poll(Duration.ofMillis(500))) {
          if (result.getRequestId().equals(requestId)) {
            return result;
          }
        }
      }
      throw new AssertionError(requestId + " got no result within " + wait);
    }
  }

  private void startWorker() throws Exception {
    Duration sdkTimeout = Duration.ofSeconds(30);
    bedrock = bedrockFake.connector(sdkTimeout, clock);
    workersAi = workersAiFake.connector(sdkTimeout, clock);
    simulated = new SimulatedConnector(SimulatedConfig.defaults(), clock);
    Map<String, Connector> connectors = new LinkedHashMap<>();
    connectors.put("simulated", simulated);
    connectors.put("bedrock", bedrock);
    connectors.put("workers-ai", workersAi);
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
                Topics.defaults(), GROUP, "attempts-worker", List.copyOf(connectors.keySet()))
            .consumers(WorkerConfig.DEFAULT_CONSUMERS)
            .callTimeout(Duration.ofSeconds(5))
            .healthInterval(Duration.ofSeconds(1))
            .drainTimeout(Duration.ofSeconds(2))
            // Short backoffs keep the test quick; Bedrock sends no Retry-After.
            .retry(
                new WorkerConfig.RetrySettings(
                    MAX_ATTEMPTS, Duration.ofMillis(50), Duration.ofMillis(500)))
            // A breaker that four failures cannot open: the failover must come from the retries.
            .breaker(new WorkerConfig.BreakerSettings(50, 10, 5, Duration.ofSeconds(2), 2))
            .build();
    worker =
        new Worker(
            config,
            connectors,
            serdes,
            platform.clientProperties(),
            clock,
            new SimpleMeterRegistry());
    worker.start();
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
