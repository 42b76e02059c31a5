package io.aibroker.app;

import static org.assertj.core.api.Assertions.assertThat;

import io.aibroker.broker.BrokerMetrics;
import io.aibroker.client.AiBrokerClient;
import io.aibroker.records.ChatMessage;
import io.aibroker.records.InferenceRequest;
import io.aibroker.records.InferenceResult;
import io.aibroker.records.ResultStatus;
import io.aibroker.records.Task;
import io.aibroker.registry.RestSchemaRegistryClient;
import io.aibroker.registry.SchemaRegistryConfig;
import io.aibroker.schemas.RecordSerdes;
import io.aibroker.topics.Topics;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What one tenant can make the shared platform hold, on a real embedded Kafka: identical large
 * requests in flight, meter labels from made-up strings, and how soon a newly granted tenant is
 * served.
 */
class TenantResourceLimitsIT {

  private static final Topics TOPICS = Topics.defaults();

  @TempDir static Path dir;
  static Platform platform;
  static RecordSerdes serdes;
  static AiBrokerClient client;

  @BeforeAll
  static void start() throws Exception {
    Map<String, String> settings = TestPlatforms.freePorts(dir);
    settings.put("connectors.simulated.latency", "1500ms");
    platform = Platform.start(TestPlatforms.config(settings), Clock.systemUTC());
    Awaitility.await().atMost(Duration.ofSeconds(60)).until(platform::ready);
    serdes =
        new RecordSerdes(
            new RestSchemaRegistryClient(SchemaRegistryConfig.of(platform.schemaRegistryUrl())));
    client =
        AiBrokerClient.builder(kafka(), serdes)
            .useSharedResultsTopic()
            .defaultTimeout(Duration.ofSeconds(90))
            .build();
  }

  @AfterAll
  static void stop() {
    if (client != null) {
      client.close();
    }
    if (platform != null) {
      platform.close();
    }
  }

  @Test
  void twentyIdenticalMegabyteRequestsInFlightLeaveEveryStreamThreadRunningAndOthersServed()
      throws Exception {
    String prompt = "p".repeat(1_000_000);
    List<CompletableFuture<InferenceResult>> flood = new ArrayList<>();
    for (int i = 0; i < 20; i++) {
      flood.add(client.submit(request("flood", prompt)));
    }

    Instant sent = Instant.now();
    InferenceResult other = client.submit(request("bystander", "hello")).get();
    Duration took = Duration.between(sent, Instant.now());

    assertThat(other.getStatus()).isEqualTo(ResultStatus.SUCCEEDED);
    assertThat(took).isLessThan(Duration.ofSeconds(10));
    List<InferenceResult> results = flood.stream().map(CompletableFuture::join).toList();
    assertThat(results)
        .allSatisfy(r -> assertThat(r.getStatus()).isEqualTo(ResultStatus.SUCCEEDED));
    assertThat(results.stream().filter(r -> r.getDuplicateOf() == null).count())
        .as("one provider call answers the identical requests")
        .isLessThan(5);
    assertThat(platform.ready()).isTrue();
    assertThat(scrape())
        .contains(prometheusName(BrokerMetrics.STREAM_THREADS_REPLACED) + "_total 0.0");
  }

  @Test
  void tenThousandMadeUpModelNamesAddAConstantNumberOfSeries() throws Exception {
    long before = series("aibroker_broker_requests_total");
    try (var producer =
        new KafkaProducer<>(kafka(), new StringSerializer(), serdes.requests().serializer())) {
      for (int i = 0; i < 10_000; i++) {
        InferenceRequest bogus =
            InferenceRequest.newBuilder(request("labels", "hi"))
                .setModel("made-up-model-" + i + "-" + UUID.randomUUID())
                .setTenantId(i % 2 == 0 ? "labels" : "not a tenant " + i)
                .build();
        producer.send(new ProducerRecord<>(TOPICS.requests(), bogus.getTenantId(), bogus));
      }
    }

    Awaitility.await()
        .atMost(Duration.ofSeconds(120))
        .pollInterval(Duration.ofMillis(500))
        .until(() -> rejectedUnknown() >= 10_000);
    assertThat(series("aibroker_broker_requests_total")).isLessThanOrEqualTo(before + 3);
  }

  @Test
  void aTenantGrantedWhileTheBrokerRunsIsServedWithinTenSeconds() throws Exception {
    Instant granted = Instant.now();
    String out = cli("tenants", "grant", "newco", "--principal", "User:newco");

    assertThat(out).contains("created topic aibroker.requests.newco", "ACLs were not applied");
    try (AiBrokerClient newco =
        AiBrokerClient.builder(kafka(), serdes)
            .tenant("newco")
            .defaultTimeout(Duration.ofSeconds(30))
            .build()) {
      InferenceResult result = newco.submit(request("newco", "hello")).get();
      assertThat(result.getStatus()).isEqualTo(ResultStatus.SUCCEEDED);
    }
    assertThat(Duration.between(granted, Instant.now())).isLessThan(Duration.ofSeconds(10));
    assertThat(cli("tenants", "grant", "newco", "--principal", "User:newco"))
        .contains("topic exists: aibroker.requests.newco", "already names its own topics");
  }

  // ---- helpers --------------------------------------------------------------------------------

  private static Map<String, Object> kafka() {
    return Map.of("bootstrap.servers", platform.bootstrapServers());
  }

  private static InferenceRequest request(String tenant, String text) {
    return InferenceRequest.newBuilder()
        .setRequestId("res-" + UUID.randomUUID())
        .setTenantId(tenant)
        .setTask(Task.CHAT)
        .setModel("chat-default")
        .setMessages(List.of(new ChatMessage("user", text, null)))
        .setCreatedAt(Instant.now())
        .build();
  }

  private static synchronized String cli(String... args) {
    String[] full = new String[args.length + 4];
    System.arraycopy(args, 0, full, 0, args.length);
    full[args.length] = "--bootstrap-servers";
    full[args.length + 1] = platform.bootstrapServers();
    full[args.length + 2] = "--schema-registry-url";
    full[args.length + 3] = platform.schemaRegistryUrl();
    PrintStream original = System.out;
    var bytes = new ByteArrayOutputStream();
    try {
      System.setOut(new PrintStream(bytes, true, StandardCharsets.UTF_8));
      assertThat(Main.execute(full)).isZero();
    } finally {
      System.setOut(original);
    }
    return bytes.toString(StandardCharsets.UTF_8);
  }

  private static String scrape() throws Exception {
    try (HttpClient http = HttpClient.newHttpClient()) {
      return http.send(
              HttpRequest.newBuilder(URI.create(platform.httpUrl() + "/metrics")).build(),
              HttpResponse.BodyHandlers.ofString())
          .body();
    }
  }

  private static long series(String name) throws Exception {
    return scrape().lines().filter(l -> l.startsWith(name + "{")).count();
  }

  private static double rejectedUnknown() throws Exception {
    return scrape()
        .lines()
        .filter(l -> l.startsWith("aibroker_broker_requests_total{"))
        .filter(l -> l.contains("model=\"_unknown\"") || l.contains("tenant=\"_other\""))
        .mapToDouble(l -> Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1)))
        .sum();
  }

  private static String prometheusName(String meter) {
    return meter.replace('.', '_');
  }
}
