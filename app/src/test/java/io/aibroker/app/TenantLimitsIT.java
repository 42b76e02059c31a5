package io.aibroker.app;

import static org.assertj.core.api.Assertions.assertThat;

import io.aibroker.app.config.AppConfig;
import io.aibroker.app.config.ConfigLoader;
import io.aibroker.money.Usd;
import io.aibroker.records.CacheMode;
import io.aibroker.records.CacheOptions;
import io.aibroker.records.ChatMessage;
import io.aibroker.records.GenerationParams;
import io.aibroker.records.InferenceRequest;
import io.aibroker.records.InferenceResult;
import io.aibroker.records.ProviderOutcome;
import io.aibroker.records.ReasonCode;
import io.aibroker.records.ResultStatus;
import io.aibroker.records.Task;
import io.aibroker.records.TenantPolicy;
import io.aibroker.records.UsageEvent;
import io.aibroker.schemas.RecordSerdes;
import io.aibroker.topics.Topics;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Future;
import java.util.stream.Collectors;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * 5,000 requests sent at once from 50 tenants with tight RPM, concurrency and budget limits, on a
 * real embedded Kafka with exactly-once processing: admitted work equals the limits exactly, every
 * request gets exactly one terminal result, and the usage events add up to the admitted work. The
 * broker's clock is fixed so that no minute window rolls over during the test.
 */
class TenantLimitsIT {

  private static final int TENANTS = 50;
  private static final int PER_TENANT = 100;
  private static final int RPM = 30;
  private static final int CONCURRENT = 5;
  private static final int BUDGETED_REQUESTS = 20;
  // input tokens are free and every answer is exactly 1 output token at $1 per million:
  // the worst case reserved at admission equals the actual cost, so the budget admits exactly 20.
  private static final BigDecimal COST_PER_REQUEST = new BigDecimal("0.000001");

  @TempDir Path dir;

  @Test
  void admitsExactlyTheLimitsAndGivesEveryRequestOneResult() throws Exception {
    Map<String, String> platformSettings = TestPlatforms.freePorts(dir.resolve("platform"));
    platformSettings.put("broker.enabled", "false");
    platformSettings.put("connectors.simulated.latency", "200ms");
    Path prices = dir.resolve("prices.yaml");
    Files.writeString(
        prices,
        """
        prices:
          versions:
            - version: "limits-test"
              effective-from: "2020-01-01"
              models:
                sim-chat-1: {input-per-million: "0", output-per-million: "1"}
        """);
    try (Platform kafkaAndWorkers =
        Platform.start(config(prices, platformSettings), Clock.systemUTC())) {
      String bootstrap = kafkaAndWorkers.bootstrapServers();
      String registryUrl = kafkaAndWorkers.schemaRegistryUrl();
      RecordSerdes serdes = ExternalPlatform.serdes(registryUrl);
      writePolicies(bootstrap, serdes);

      Map<String, String> brokerSettings = new HashMap<>(platformSettings);
      brokerSettings.putAll(TestPlatforms.freePorts(dir.resolve("broker")));
      brokerSettings.put("kafka.bootstrap-servers", bootstrap);
      brokerSettings.put("schema-registry.url", registryUrl);
      brokerSettings.put("broker.enabled", "true");
      brokerSettings.put("workers.enabled", "false");
      Clock frozen = Clock.fixed(Instant.now(), ZoneOffset.UTC);
      try (Platform broker = Platform.start(config(prices, brokerSettings), frozen)) {
        Awaitility.await().atMost(Duration.ofSeconds(60)).until(broker::ready);
        sendAll(bootstrap, serdes);

        Map<String, List<InferenceResult>> results = awaitResults(bootstrap, registryUrl);
        checkResults(results);
        checkUsage(bootstrap, registryUrl, results);
        checkConcurrency(bootstrap, registryUrl);
      }
    }
  }

  private static AppConfig config(Path prices, Map<String, String> settings) {
    return ConfigLoader.load(prices, Map.of(), settings);
  }

  private static String tenant(int i) {
    return "tenant-" + i;
  }

  private enum Limit {
    RPM,
    CONCURRENCY,
    BUDGET
  }

  private static Limit limitOf(int tenant) {
    return Limit.values()[tenant % 3];
  }

  private static void writePolicies(String bootstrap, RecordSerdes serdes) throws Exception {
    try (var producer =
        new KafkaProducer<>(
            Map.<String, Object>of("bootstrap.servers", bootstrap),
            new StringSerializer(),
            serdes.tenants().serializer())) {
      for (int i = 0; i < TENANTS; i++) {
        var policy = TenantPolicy.newBuilder().setTenantId(tenant(i)).setUpdatedAt(Instant.now());
        switch (limitOf(i)) {
          case RPM -> policy.setRequestsPerMinute(RPM);
          case CONCURRENCY -> policy.setMaxConcurrent(CONCURRENT);
          case BUDGET ->
              policy.setDailyBudgetUsd(
                  Usd.of(COST_PER_REQUEST.multiply(BigDecimal.valueOf(BUDGETED_REQUESTS))));
        }
        producer
            .send(new ProducerRecord<>(Topics.defaults().tenants(), tenant(i), policy.build()))
            .get();
      }
    }
  }

  private static void sendAll(String bootstrap, RecordSerdes serdes) throws Exception {
    List<Future<?>> sends = new ArrayList<>();
    try (var producer =
        new KafkaProducer<>(
            Map.<String, Object>of("bootstrap.servers", bootstrap, "linger.ms", 5),
            new StringSerializer(),
            serdes.requests().serializer())) {
      for (int n = 0; n < PER_TENANT; n++) {
        for (int i = 0; i < TENANTS; i++) {
          InferenceRequest request =
              InferenceRequest.newBuilder()
                  .setRequestId(tenant(i) + "-" + n)
                  .setTenantId(tenant(i))
                  .setTask(Task.CHAT)
                  .setModel("chat-default")
                  .setMessages(List.of(new ChatMessage("user", "question " + n, null)))
                  .setParams(GenerationParams.newBuilder().setMaxTokens(1).build())
                  .setCache(new CacheOptions(CacheMode.BYPASS, null, null))
                  .setCreatedAt(Instant.now())
                  .build();
          sends.add(
              producer.send(
                  new ProducerRecord<>(Topics.defaults().requests(), tenant(i), request)));
        }
      }
      for (Future<?> send : sends) {
        send.get();
      }
    }
  }

  private static Map<String, List<InferenceResult>> awaitResults(
      String bootstrap, String registryUrl) {
    var deserializer = ExternalPlatform.serdes(registryUrl).results().deserializer();
    Map<String, List<InferenceResult>> byRequest = new HashMap<>();
    Awaitility.await()
        .atMost(Duration.ofSeconds(180))
        .pollInterval(Duration.ofSeconds(2))
        .until(
            () -> {
              byRequest.clear();
              for (var record : TopicReader.readAll(bootstrap, Topics.defaults().results())) {
                InferenceResult result = deserializer.deserialize("", record.value());
                byRequest
                    .computeIfAbsent(result.getRequestId(), k -> new ArrayList<>())
                    .add(result);
              }
              return byRequest.size() >= TENANTS * PER_TENANT;
            });
    return byRequest;
  }

  private static void checkResults(Map<String, List<InferenceResult>> results) {
    assertThat(results).hasSize(TENANTS * PER_TENANT);
    assertThat(results.values())
        .allSatisfy(list -> assertThat(list).as("results of one request").hasSize(1));
    for (int i = 0; i < TENANTS; i++) {
      String tenant = tenant(i);
      List<InferenceResult> mine =
          results.values().stream()
              .map(List::getFirst)
              .filter(r -> r.getTenantId().equals(tenant))
              .toList();
      long succeeded = mine.stream().filter(r -> r.getStatus() == ResultStatus.SUCCEEDED).count();
      Map<ReasonCode, Long> rejected =
          mine.stream()
              .filter(r -> r.getStatus() == ResultStatus.REJECTED)
              .collect(Collectors.groupingBy(InferenceResult::getReason, Collectors.counting()));
      switch (limitOf(i)) {
        case RPM -> {
          assertThat(succeeded).as(tenant).isEqualTo(RPM);
          assertThat(rejected).as(tenant).containsOnlyKeys(ReasonCode.QUOTA_RPM);
        }
        case BUDGET -> {
          assertThat(succeeded).as(tenant).isEqualTo(BUDGETED_REQUESTS);
          assertThat(rejected).as(tenant).containsOnlyKeys(ReasonCode.BUDGET_DAILY);
        }
        case CONCURRENCY -> {
          assertThat(succeeded).as(tenant).isGreaterThanOrEqualTo(CONCURRENT);
          assertThat(succeeded + rejected.getOrDefault(ReasonCode.QUOTA_CONCURRENCY, 0L))
              .as(tenant)
              .isEqualTo(PER_TENANT);
        }
      }
    }
  }

  private static void checkUsage(
      String bootstrap, String registryUrl, Map<String, List<InferenceResult>> results) {
    var deserializer = ExternalPlatform.serdes(registryUrl).usage().deserializer();
    List<UsageEvent> usage =
        TopicReader.readAll(bootstrap, Topics.defaults().usage()).stream()
            .map(r -> deserializer.deserialize("", r.value()))
            .toList();
    long succeeded =
        results.values().stream()
            .filter(l -> l.getFirst().getStatus() == ResultStatus.SUCCEEDED)
            .count();
    assertThat(usage).hasSize((int) succeeded);
    assertThat(usage).extracting(UsageEvent::getRequestId).doesNotHaveDuplicates();
    for (int i = 0; i < TENANTS; i++) {
      String tenant = tenant(i);
      BigDecimal spent =
          usage.stream()
              .filter(e -> e.getTenantId().equals(tenant))
              .map(UsageEvent::getCost)
              .reduce(BigDecimal.ZERO, BigDecimal::add);
      BigDecimal charged =
          results.values().stream()
              .map(List::getFirst)
              .filter(r -> r.getTenantId().equals(tenant) && r.getCost() != null)
              .map(InferenceResult::getCost)
              .reduce(BigDecimal.ZERO, BigDecimal::add);
      assertThat(spent)
          .as("usage of %s adds up to its results", tenant)
          .isEqualByComparingTo(charged);
      if (limitOf(i) == Limit.BUDGET) {
        assertThat(spent)
            .as(tenant)
            .isEqualByComparingTo(COST_PER_REQUEST.multiply(BigDecimal.valueOf(BUDGETED_REQUESTS)));
      }
    }
  }

  /** From the workers' outcomes: no concurrency-limited tenant ever had more calls at once. */
  private static void checkConcurrency(String bootstrap, String registryUrl) {
    var deserializer = ExternalPlatform.serdes(registryUrl).outcomes().deserializer();
    Map<String, List<long[]>> calls = new HashMap<>();
    for (var record : TopicReader.readAll(bootstrap, Topics.defaults().outcomes())) {
      ProviderOutcome outcome = deserializer.deserialize("", record.value());
      long end = outcome.getCompletedAt().toEpochMilli();
      calls
          .computeIfAbsent(outcome.getTenantId(), t -> new ArrayList<>())
          .add(new long[] {end - outcome.getProviderMs(), end});
    }
    for (int i = 0; i < TENANTS; i++) {
      if (limitOf(i) == Limit.CONCURRENCY) {
        assertThat(maxOverlap(calls.getOrDefault(tenant(i), List.of())))
            .as(tenant(i))
            .isLessThanOrEqualTo(CONCURRENT);
      }
    }
  }

  private static int maxOverlap(List<long[]> intervals) {
    List<long[]> events = new ArrayList<>();
    for (long[] interval : intervals) {
      events.add(new long[] {interval[0], 1});
      events.add(new long[] {interval[1], -1});
    }
    events.sort((a, b) -> a[0] != b[0] ? Long.compare(a[0], b[0]) : Long.compare(a[1], b[1]));
    int open = 0;
    int max = 0;
    for (long[] event : events) {
      open += (int) event[1];
      max = Math.max(max, open);
    }
    return max;
  }
}
