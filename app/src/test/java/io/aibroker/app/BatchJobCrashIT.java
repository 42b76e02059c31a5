package io.aibroker.app;

import static org.assertj.core.api.Assertions.assertThat;

import io.aibroker.connector.bedrock.BedrockBatchFakeServer;
import io.aibroker.connector.bedrock.BedrockFakeServer;
import io.aibroker.connector.testing.FakeBatchJobs;
import io.aibroker.records.ChatMessage;
import io.aibroker.records.InferenceRequest;
import io.aibroker.records.InferenceResult;
import io.aibroker.records.Priority;
import io.aibroker.records.ResultStatus;
import io.aibroker.records.Task;
import io.aibroker.records.UsageEvent;
import io.aibroker.schemas.RecordSerdes;
import io.aibroker.topics.Topics;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * aibroker killed with SIGKILL while a Bedrock batch job of its BATCH requests runs: started again
 * on the same data dir, its worker resumes the job from the batch-jobs topic -- the fake received
 * one create per job -- and every request gets one result and one usage event.
 */
class BatchJobCrashIT {

  static final String MODEL = "anthropic.claude-3-5-haiku-20241022-v1:0";
  static final Duration WAIT = Duration.ofSeconds(180);

  @TempDir Path dir;

  @Test
  void aKilledWorkersBatchJobIsResumedNotSubmittedAgainAndNothingIsBilledTwice() throws Exception {
    try (BedrockBatchFakeServer batchFake = new BedrockBatchFakeServer();
        BedrockFakeServer runtimeFake = new BedrockFakeServer()) {
      Path config = dir.resolve("batch.yaml");
      Files.writeString(config, config(batchFake, runtimeFake));
      // the killed worker's batch-jobs member must not keep its jobs from the restarted one long
      Map<String, String> settings =
          TestPlatforms.shortGroupSessions(TestPlatforms.freePorts(dir.resolve("data")));
      Map<String, String> awsEnvironment =
          Map.of("AWS_ACCESS_KEY_ID", "AKIDFAKECRASH", "AWS_SECRET_ACCESS_KEY", "fake-secret");
      String bootstrap = "127.0.0.1:" + settings.get("kafka.embedded-port");
      String registryUrl = "http://127.0.0.1:" + settings.get("schema-registry.embedded-port");
      FakeBatchJobs jobs = batchFake.batchJobs().completeAfterPolls(1_000_000);
      int count = 30;
      List<InferenceRequest> requests =
          IntStream.range(0, count).mapToObj(i -> request("crash-" + i)).toList();

      try (var child = ChildProcessPlatform.start(settings, config, awsEnvironment)) {
        RecordSerdes serdes = ExternalPlatform.serdes(registryUrl);
        send(bootstrap, serdes, requests);
        Awaitility.await()
            .atMost(WAIT)
            .until(() -> jobs.jobs().stream().mapToInt(job -> job.lines().size()).sum() == count);
        child.kill(); // between submission and completion
      }
      jobs.reset().completeRunningJobs();

      try (var child = ChildProcessPlatform.start(settings, config, awsEnvironment)) {
        RecordSerdes serdes = ExternalPlatform.serdes(registryUrl);
        Set<String> ids =
            requests.stream().map(InferenceRequest::getRequestId).collect(Collectors.toSet());
        List<InferenceResult> results =
            readAll(
                bootstrap,
                Topics.defaults().results(),
                serdes.results().deserializer(),
                ids,
                InferenceResult::getRequestId);
        List<UsageEvent> usage =
            readAll(
                bootstrap,
                Topics.defaults().usage(),
                serdes.usage().deserializer(),
                ids,
                UsageEvent::getRequestId);

        assertThat(results).hasSize(count);
        assertThat(results).extracting(InferenceResult::getRequestId).doesNotHaveDuplicates();
        assertThat(results)
            .allSatisfy(r -> assertThat(r.getStatus()).isEqualTo(ResultStatus.SUCCEEDED));
        assertThat(usage).as("one usage event per request").hasSize(count);
        assertThat(usage).extracting(UsageEvent::getRequestId).doesNotHaveDuplicates();
        assertThat(usage).allSatisfy(e -> assertThat(e.getServiceTier()).isEqualTo("batch"));
        assertThat(batchFake.createRequests())
            .as("creates received: one per job, none after the restart")
            .isEqualTo(jobs.jobs().size());
        assertThat(child.output()).contains("resuming");
      }
    }
  }

  private static String config(BedrockBatchFakeServer batchFake, BedrockFakeServer runtimeFake) {
    return """
        workers:
          providers: [simulated, bedrock]
          batch-poll-interval-ms: 200
        connectors:
          bedrock:
            region: us-east-1
            endpoint-override: %1$s
            batch:
              endpoint-override: %2$s
              s3-endpoint-override: %2$s
              input-s3-uri: s3://%3$s/input/
              output-s3-uri: s3://%3$s/output/
              role-arn: %4$s
        aliases:
          default: chat-batch-bedrock
        models:
          - name: chat-batch-bedrock
            task: CHAT
            max-output-tokens: 256
            routes:
              - {provider: bedrock, deployment: bedrock-batch, provider-model: "%5$s",
                 batch: {enabled: true, max-wait: 500ms, min-lines: 1, max-lines: 1000}}
        """
        .formatted(
            runtimeFake.baseUri(),
            batchFake.baseUri(),
            BedrockBatchFakeServer.BUCKET,
            BedrockBatchFakeServer.ROLE_ARN,
            MODEL);
  }

  private static InferenceRequest request(String id) {
    return InferenceRequest.newBuilder()
        .setRequestId(id)
        .setTenantId("crash-tenant")
        .setTask(Task.CHAT)
        .setModel("chat-batch-bedrock")
        .setPriority(Priority.BATCH)
        .setMessages(List.of(new ChatMessage("user", "Survive " + id, null)))
        .setCreatedAt(Instant.now())
        .build();
  }

  private static void send(String bootstrap, RecordSerdes serdes, List<InferenceRequest> requests) {
    try (var producer =
        new KafkaProducer<>(
            Map.<String, Object>of("bootstrap.servers", bootstrap),
            new StringSerializer(),
            serdes.requests().serializer())) {
      for (InferenceRequest request : requests) {
        producer.send(new ProducerRecord<>(Topics.defaults().requests(), "crash-tenant", request));
      }
    }
  }

  /**
   * The records of {@code ids} on the whole topic (from its beginning), once each id has one and a
   * little longer, so that a second one would be seen.
   */
  private static <T> List<T> readAll(
      String bootstrap,
      String topic,
      org.apache.kafka.common.serialization.Deserializer<T> values,
      Set<String> ids,
      java.util.function.Function<T, String> id) {
    Instant giveUp = Instant.now().plus(WAIT);
    List<T> mine = List.of();
    while (Instant.now().isBefore(giveUp)) {
      mine =
          TopicReader.readAll(bootstrap, topic).stream()
              .map(r -> values.deserialize(topic, r.value()))
              .filter(v -> ids.contains(id.apply(v)))
              .toList();
      if (mine.stream().map(id).distinct().count() >= ids.size()) {
        break;
      }
      sleep(1000);
    }
    sleep(2000);
    return TopicReader.readAll(bootstrap, topic).stream()
        .map(r -> values.deserialize(topic, r.value()))
        .filter(v -> ids.contains(id.apply(v)))
        .toList();
  }

  private static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
