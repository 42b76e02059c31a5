package io.aibroker.app.client;

import static org.assertj.core.api.Assertions.assertThat;

import io.aibroker.app.Platform;
import io.aibroker.app.TestPlatforms;
import io.aibroker.app.config.ConfigLoader;
import io.aibroker.client.AiBrokerClient;
import io.aibroker.client.ResultSubscriber;
import io.aibroker.client.RollupTable;
import io.aibroker.client.StreamingResponse;
import io.aibroker.client.UsageReader;
import io.aibroker.records.CacheMode;
import io.aibroker.records.CacheOptions;
import io.aibroker.records.ChatMessage;
import io.aibroker.records.InferenceRequest;
import io.aibroker.records.InferenceResult;
import io.aibroker.records.ResultChunk;
import io.aibroker.records.ResultStatus;
import io.aibroker.records.RollupWindow;
import io.aibroker.records.Task;
import io.aibroker.records.UsageEvent;
import io.aibroker.records.UsageRollup;
import io.aibroker.registry.RestSchemaRegistryClient;
import io.aibroker.registry.SchemaRegistryConfig;
import io.aibroker.schemas.RecordSerdes;
import io.aibroker.topics.Topics;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Flow;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.apache.kafka.clients.admin.Admin;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The Java client against a whole embedded platform (Kafka, Schema Registry, broker, workers). */
class AiBrokerClientIT {

  private static final Duration WAIT = Duration.ofSeconds(60);

  @TempDir static Path dir;

  private static Platform platform;
  private static RecordSerdes serdes;

  @BeforeAll
  static void startPlatform() throws Exception {
    Map<String, String> settings = new LinkedHashMap<>();
    settings.put("data-dir", dir.resolve("platform").toString());
    settings.put("kafka.embedded-port", Integer.toString(TestPlatforms.freePort()));
    settings.put("schema-registry.embedded-port", Integer.toString(TestPlatforms.freePort()));
    settings.put("http.port", Integer.toString(TestPlatforms.freePort()));
    settings.put("connectors.simulated.latency", "20ms");
    settings.put("connectors.simulated.jitter", "0ms");
    TestPlatforms.quickShareAssignments(settings);
    platform = Platform.start(ConfigLoader.load(null, Map.of(), settings), Clock.systemUTC());
    Awaitility.await().atMost(WAIT).until(platform::ready);
    serdes =
        new RecordSerdes(
            new RestSchemaRegistryClient(SchemaRegistryConfig.of(platform.schemaRegistryUrl())));
  }

  @AfterAll
  static void stopPlatform() {
    if (platform != null) {
      platform.close();
    }
  }

  private static Map<String, Object> kafka() {
    return Map.of("bootstrap.servers", platform.bootstrapServers());
  }

  private static InferenceRequest request(String tenant, String text, boolean stream) {
    return InferenceRequest.newBuilder()
        .setRequestId(UUID.randomUUID().toString())
        .setTenantId(tenant)
        .setTask(Task.CHAT)
        .setModel("chat-default")
        .setMessages(List.of(new ChatMessage("user", text, null)))
        .setCache(new CacheOptions(CacheMode.BYPASS, null, null))
        .setStream(stream)
        .setCreatedAt(Instant.now())
        .build();
  }

  private static Set<String> topicNames() throws Exception {
    try (Admin admin = Admin.create(kafka())) {
      return admin.listTopics().names().get(10, TimeUnit.SECONDS);
    }
  }

  @Test
  void submitGetsItsResultThroughItsOwnReplyTopicWhichIsDeletedOnClose() throws Exception {
    String replyTopic;
    try (AiBrokerClient client =
        AiBrokerClient.builder(kafka(), serdes)
            .clientId("reply-test")
            .keepReplyTopic(false)
            .build()) {
      replyTopic = client.replyTopic().orElseThrow();
      assertThat(replyTopic).startsWith("aibroker.replies.reply-test");
      assertThat(client.resultTopic()).isEqualTo(replyTopic);
      assertThat(topicNames()).contains(replyTopic);

      InferenceRequest request = request("acme", "hello reply topic", false);
      InferenceResult result = client.submit(request).get(60, TimeUnit.SECONDS);

      assertThat(result.getRequestId()).isEqualTo(request.getRequestId());
      assertThat(result.getStatus()).isEqualTo(ResultStatus.SUCCEEDED);
      assertThat(result.getOutput().getText()).isNotBlank();
      assertThat(client.inFlight()).isZero();
    }
    Awaitility.await().atMost(WAIT).until(() -> !topicNames().contains(replyTopic));
  }

  @Test
  void aRequestNamingADeletedReplyTopicIsRejectedAndHoldsUpNoOtherResults() throws Exception {
    String doomed;
    try (AiBrokerClient client =
        AiBrokerClient.builder(kafka(), serdes)
            .clientId("doomed-" + UUID.randomUUID())
            .keepReplyTopic(false)
            .build()) {
      doomed = client.replyTopic().orElseThrow();
      // The broker looks the topic up once and then knows it for a while.
      assertThat(client.submit(request("acme", "before", false)).get(60, TimeUnit.SECONDS))
          .extracting(InferenceResult::getStatus)
          .isEqualTo(ResultStatus.SUCCEEDED);
    }
    Awaitility.await().atMost(WAIT).until(() -> !topicNames().contains(doomed));
    Thread.sleep(3_000); // the broker trusts what it knows of a topic for 2 s
    InferenceRequest late =
        InferenceRequest.newBuilder(request("acme", "to a deleted topic", false))
            .setReplyTo(doomed)
            .build();
    try (var producer =
            new org.apache.kafka.clients.producer.KafkaProducer<>(
                kafka(),
                new org.apache.kafka.common.serialization.StringSerializer(),
                serdes.requests().serializer());
        AiBrokerClient shared = new AiBrokerClient(kafka(), serdes, Topics.defaults())) {
      producer
          .send(
              new org.apache.kafka.clients.producer.ProducerRecord<>(
                  Topics.defaults().requests(), "acme", late))
          .get();
      InferenceRequest after = request("acme", "after", false);

      // Results are read committed: a transaction stuck on the deleted topic would hold this one.
      InferenceResult afterResult = shared.submit(after).get(30, TimeUnit.SECONDS);

      assertThat(afterResult.getStatus()).isEqualTo(ResultStatus.SUCCEEDED);
      InferenceResult lateResult = shared.fetchResult(late.getRequestId(), WAIT).get();
      assertThat(lateResult.getStatus()).isEqualTo(ResultStatus.REJECTED);
      assertThat(lateResult.getMessage()).contains("does not exist");
      assertThat(topicNames()).as("no result re-creates the topic").doesNotContain(doomed);
    }
  }

  @Test
  void theLegacyConstructorStillReadsTheSharedResultsTopic() throws Exception {
    try (var client = new AiBrokerClient(kafka(), serdes, Topics.defaults())) {
      assertThat(client.replyTopic()).isEmpty();
      assertThat(client.resultTopic()).isEqualTo("aibroker.results");
      InferenceRequest request = request("acme", "hello shared topic", false);
      InferenceResult result = client.submit(request, WAIT).get(60, TimeUnit.SECONDS);
      assertThat(result.getRequestId()).isEqualTo(request.getRequestId());
      assertThat(result.getStatus()).isEqualTo(ResultStatus.SUCCEEDED);
    }
  }

  @Test
  void submitAllNeverHasMoreThanMaxInFlightUnanswered() throws Exception {
    List<InferenceRequest> requests =
        IntStream.range(0, 200)
            .mapToObj(i -> request("batch-tenant", "question number " + i, false))
            .toList();
    try (AiBrokerClient client = AiBrokerClient.builder(kafka(), serdes).maxInFlight(20).build()) {
      AtomicInteger peak = new AtomicInteger();
      CompletableFuture<List<InferenceResult>> all = client.submitAll(requests);
      while (!all.isDone()) {
        peak.accumulateAndGet(client.inFlight(), Math::max);
        Thread.onSpinWait();
      }
      List<InferenceResult> results = all.get(120, TimeUnit.SECONDS);

      assertThat(results).hasSize(200);
      assertThat(results.stream().map(InferenceResult::getRequestId).toList())
          .isEqualTo(requests.stream().map(InferenceRequest::getRequestId).toList());
      assertThat(results).allMatch(r -> r.getStatus() == ResultStatus.SUCCEEDED);
      assertThat(peak.get()).isBetween(2, 20);
      assertThat(client.inFlight()).isZero();
    }
  }

  @Test
  void thousandConcurrentSubmitsAllCompleteSucceededWithDistinctIds() throws Exception {
    int count = 1_000;
    List<InferenceRequest> requests =
        IntStream.range(0, count)
            .mapToObj(i -> request("concurrent-" + (i % 20), "concurrent question " + i, false))
            .toList();
    List<CompletableFuture<InferenceResult>> futures = new CopyOnWriteArrayList<>();
    long start = System.nanoTime();
    try (AiBrokerClient client = AiBrokerClient.builder(kafka(), serdes).build();
        var threads = java.util.concurrent.Executors.newVirtualThreadPerTaskExecutor()) {
      // 50 threads submit at the same time, 20 requests each.
      var ready = new java.util.concurrent.CountDownLatch(1);
      List<java.util.concurrent.Future<?>> submitters = new ArrayList<>();
      for (int t = 0; t < 50; t++) {
        List<InferenceRequest> mine = requests.subList(t * 20, t * 20 + 20);
        submitters.add(
            threads.submit(
                () -> {
                  ready.await();
                  mine.forEach(r -> futures.add(client.submit(r)));
                  return null;
                }));
      }
      ready.countDown();
      for (var submitter : submitters) {
        submitter.get(60, TimeUnit.SECONDS);
      }
      CompletableFuture.allOf(futures.toArray(CompletableFuture[]::new)).get(120, TimeUnit.SECONDS);
      System.out.printf(
          "1,000 concurrent submits: all answered in %d ms%n",
          (System.nanoTime() - start) / 1_000_000);

      List<InferenceResult> results = futures.stream().map(CompletableFuture::join).toList();
      assertThat(results).hasSize(count);
      assertThat(results).allMatch(r -> r.getStatus() == ResultStatus.SUCCEEDED);
      assertThat(results.stream().map(InferenceResult::getRequestId).collect(Collectors.toSet()))
          .hasSize(count)
          .isEqualTo(
              requests.stream().map(InferenceRequest::getRequestId).collect(Collectors.toSet()));
      assertThat(client.inFlight()).isZero();
    }
  }

  @Test
  void aRestartedClientFetchesResultsOfRequestsItSentBefore() throws Exception {
    InferenceRequest answered = request("acme", "answered before the restart", false);
    InferenceRequest midway = request("acme", "still running at the restart", false);
    try (AiBrokerClient before =
        AiBrokerClient.builder(kafka(), serdes).keepReplyTopic(true).build()) {
      assertThat(before.submit(answered).get(60, TimeUnit.SECONDS).getStatus())
          .isEqualTo(ResultStatus.SUCCEEDED);
      before.submit(midway); // closed without waiting for it
    }
    try (AiBrokerClient after = AiBrokerClient.builder(kafka(), serdes).build()) {
      InferenceResult first =
          after.fetchResult(answered.getRequestId(), WAIT).get(70, TimeUnit.SECONDS);
      InferenceResult second =
          after.fetchResult(midway.getRequestId(), WAIT).get(70, TimeUnit.SECONDS);
      assertThat(first.getRequestId()).isEqualTo(answered.getRequestId());
      assertThat(first.getStatus()).isEqualTo(ResultStatus.SUCCEEDED);
      assertThat(second.getRequestId()).isEqualTo(midway.getRequestId());
      assertThat(second.getStatus()).isEqualTo(ResultStatus.SUCCEEDED);
      assertThat(
              after
                  .fetchResult("no-such-request", Duration.ofSeconds(2))
                  .handle((r, e) -> e)
                  .get(30, TimeUnit.SECONDS))
          .isInstanceOf(java.util.concurrent.TimeoutException.class);
    }
  }

  @Test
  void streamingDeliversDeltasInOrderThatMakeUpTheResultText() throws Exception {
    try (AiBrokerClient client = AiBrokerClient.builder(kafka(), serdes).build()) {
      InferenceRequest request =
          request("acme", "tell me a long story about kafka and brokers", true);
      StreamingResponse response = client.stream(request);
      List<ResultChunk> chunks = new CopyOnWriteArrayList<>();
      CompletableFuture<Void> done = new CompletableFuture<>();
      response
          .chunks()
          .subscribe(
              new Flow.Subscriber<>() {
                private Flow.Subscription subscription;

                @Override
                public void onSubscribe(Flow.Subscription s) {
                  subscription = s;
                  s.request(1);
                }

                @Override
                public void onNext(ResultChunk item) {
                  chunks.add(item);
                  subscription.request(1);
                }

                @Override
                public void onError(Throwable t) {
                  done.completeExceptionally(t);
                }

                @Override
                public void onComplete() {
                  done.complete(null);
                }
              });
      done.get(60, TimeUnit.SECONDS);
      InferenceResult result = response.result().get(10, TimeUnit.SECONDS);

      assertThat(result.getStatus()).isEqualTo(ResultStatus.SUCCEEDED);
      assertThat(chunks).hasSizeGreaterThan(1);
      assertThat(chunks).allMatch(c -> c.getRequestId().equals(request.getRequestId()));
      assertThat(chunks.stream().map(ResultChunk::getSequence).toList())
          .isEqualTo(IntStream.range(0, chunks.size()).boxed().toList());
      assertThat(chunks.stream().map(ResultChunk::getDelta).collect(Collectors.joining()))
          .isEqualTo(result.getOutput().getText());
    }
  }

  @Test
  void resultSubscriberSeesOnlyItsTenant() throws Exception {
    String mine = "sub-" + UUID.randomUUID().toString().substring(0, 8);
    String other = "other-" + UUID.randomUUID().toString().substring(0, 8);
    List<InferenceResult> seen = new CopyOnWriteArrayList<>();
    try (ResultSubscriber subscriber =
            ResultSubscriber.builder(kafka(), serdes)
                .groupId("it-" + mine)
                .tenant(mine)
                .fromBeginning(true)
                .start(seen::add);
        AiBrokerClient client = AiBrokerClient.builder(kafka(), serdes).build()) {
      List<InferenceRequest> requests = new ArrayList<>();
      for (int i = 0; i < 5; i++) {
        requests.add(request(mine, "mine " + i, false));
        requests.add(request(other, "other " + i, false));
      }
      client.submitAll(requests).get(60, TimeUnit.SECONDS);
      Set<String> expected =
          requests.stream()
              .filter(r -> r.getTenantId().equals(mine))
              .map(InferenceRequest::getRequestId)
              .collect(Collectors.toSet());
      Awaitility.await()
          .atMost(WAIT)
          .until(
              () ->
                  seen.stream()
                      .map(InferenceResult::getRequestId)
                      .collect(Collectors.toSet())
                      .containsAll(expected));
      assertThat(seen).allMatch(r -> r.getTenantId().equals(mine));
      assertThat(seen.stream().map(InferenceResult::getRequestId).collect(Collectors.toSet()))
          .isEqualTo(expected);
      assertThat(subscriber.isRunning()).isTrue();
    }
  }

  @Test
  void usageReaderSeesTheUsageEventsOfSubmittedRequests() throws Exception {
    Instant start = Instant.now().minusSeconds(1);
    String tenant = "finance-" + UUID.randomUUID().toString().substring(0, 8);
    Map<String, UsageEvent> events = new ConcurrentHashMap<>();
    AtomicInteger rollups = new AtomicInteger();
    RollupTable table = new RollupTable();
    try (UsageReader reader =
            UsageReader.builder(kafka(), serdes)
                .from(start)
                .onEvent(e -> events.put(e.getRequestId(), e))
                .rollupsInto(table)
                .onRollup(
                    r -> {
                      if (r.getTenantId().equals(tenant)) {
                        rollups.incrementAndGet();
                      }
                    })
                .start();
        AiBrokerClient client = AiBrokerClient.builder(kafka(), serdes).build()) {
      List<InferenceRequest> requests =
          IntStream.range(0, 3).mapToObj(i -> request(tenant, "bill me " + i, false)).toList();
      client.submitAll(requests).get(60, TimeUnit.SECONDS);
      Awaitility.await()
          .atMost(WAIT)
          .until(
              () ->
                  requests.stream()
                      .allMatch(r -> events.containsKey(r.getRequestId()) && rollups.get() > 0));
      for (InferenceRequest r : requests) {
        UsageEvent event = events.get(r.getRequestId());
        assertThat(event.getTenantId()).isEqualTo(tenant);
        assertThat(event.getStatus()).isEqualTo(ResultStatus.SUCCEEDED);
        assertThat(event.getOutputTokens()).isPositive();
      }
      // The broker rewrites a window's rollup as its totals grow: the latest one counts them all.
      Awaitility.await()
          .atMost(WAIT)
          .until(
              () ->
                  table.current().stream()
                          .filter(r -> r.getTenantId().equals(tenant))
                          .filter(r -> r.getWindow() == RollupWindow.HOUR)
                          .mapToLong(UsageRollup::getRequests)
                          .sum()
                      == requests.size());
      assertThat(reader.isRunning()).isTrue();
    }
  }
}
