package io.aibroker.connector.simulated;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.aibroker.connector.ChatMessage;
import io.aibroker.connector.Connectors;
import io.aibroker.connector.ErrorClass;
import io.aibroker.connector.ProviderCall;
import io.aibroker.connector.ProviderResponse;
import io.aibroker.connector.ProviderServerException;
import io.aibroker.connector.batch.BatchApi;
import io.aibroker.connector.batch.BatchJob;
import io.aibroker.connector.batch.BatchJobStatus;
import io.aibroker.connector.batch.BatchLineResult;
import io.aibroker.connector.batch.BatchSubmission;
import io.aibroker.testing.MutableClock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class SimulatedBatchTest {

  private static final Instant START = Instant.parse("2030-01-01T00:00:00Z");
  private static final SimulatedConfig CONFIG =
      SimulatedConfig.builder().latency(Duration.ZERO).batchLatency(Duration.ofSeconds(10)).build();

  private final MutableClock clock = new MutableClock(START);
  private final List<SimulatedConnector> connectors = new ArrayList<>();

  @AfterEach
  void closeConnectors() {
    connectors.forEach(SimulatedConnector::close);
  }

  @Test
  void defaultsToTwoSecondsAndADayAndReadsYamlShapedConfig() {
    assertThat(SimulatedConfig.defaults().batchLatency()).isEqualTo(Duration.ofSeconds(2));
    assertThat(SimulatedConfig.defaults().batchWindow()).isEqualTo(Duration.ofHours(24));
    assertThat(batch(SimulatedConfig.defaults()).window()).isEqualTo(Duration.ofHours(24));
    assertThat(batch(SimulatedConfig.defaults()).canFind()).isTrue();
    assertThat(CONFIG.toBuilder().build()).isEqualTo(CONFIG);

    SimulatedConfig config =
        Connectors.config(
            new SimulatedConnectorFactory(), Map.of("batchLatency", "500ms", "batchWindow", "1h"));

    assertThat(config.batchLatency()).isEqualTo(Duration.ofMillis(500));
    assertThat(config.batchWindow()).isEqualTo(Duration.ofHours(1));
  }

  @Test
  void batchTimesAreValidated() {
    assertThatThrownBy(() -> SimulatedConfig.builder().batchWindow(Duration.ZERO).build())
        .hasMessageContaining("batchWindow");
    assertThatThrownBy(() -> SimulatedConfig.builder().batchLatency(Duration.ofSeconds(-1)).build())
        .hasMessageContaining("batchLatency");
  }

  @Test
  void aJobRunsUntilItsLatencyPassedThenAnswersEveryLineLikeARealTimeCall() throws Exception {
    SimulatedConnector connector = connector(CONFIG);
    BatchApi api = connector.batch().orElseThrow();
    BatchJob job = await(api.submit(submission("job-1", chat("r1", "Hello"), chat("r2", "Bye"))));

    clock.advance(Duration.ofSeconds(9));
    BatchJobStatus before = await(api.poll(job));
    clock.advance(Duration.ofSeconds(1));
    BatchJobStatus after = await(api.poll(job));

    assertThat(before).isInstanceOf(BatchJobStatus.Running.class);
    assertThat(after).isInstanceOf(BatchJobStatus.Ended.class);
    BatchJobStatus.Ended ended = (BatchJobStatus.Ended) after;
    assertThat(ended.end()).isEqualTo(BatchJobStatus.End.COMPLETED);
    assertThat(ended.message()).isNull();
    assertThat(ended.lines()).containsOnlyKeys("r1", "r2");
    ProviderResponse line = ((BatchLineResult.Answered) ended.lines().get("r1")).response();
    ProviderResponse realTime = await(connector(CONFIG).call(chat("r1", "Hello")));
    assertThat(line.text()).isEqualTo(realTime.text());
    assertThat(line.usage()).isEqualTo(realTime.usage());
    assertThat(line.finishReason()).isEqualTo(realTime.finishReason());
    assertThat(line.serviceTier()).isEqualTo(BatchApi.BATCH_TIER);
    assertThat(await(api.poll(job))).isEqualTo(after);
  }

  @Test
  void callsThatWouldFailInRealTimeFailOnlyTheirOwnLine() throws Exception {
    SimulatedConfig config = CONFIG.toBuilder().failureRate(0.5).seed(3).build();
    SimulatedConnector connector = connector(config);
    List<ProviderCall> calls =
        IntStream.range(0, 40).mapToObj(i -> chat("req-" + i, "Say " + i)).toList();
    BatchJob job =
        await(connector.batch().orElseThrow().submit(new BatchSubmission("k", null, "sim", calls)));
    clock.advance(Duration.ofSeconds(10));

    BatchJobStatus.Ended ended =
        (BatchJobStatus.Ended) await(connector.batch().orElseThrow().poll(job));

    assertThat(ended.end()).isEqualTo(BatchJobStatus.End.COMPLETED);
    assertThat(ended.lines()).hasSize(40);
    SimulatedConnector realTime = connector(config);
    for (ProviderCall call : calls) {
      boolean failsInRealTime =
          realTime.call(call).toCompletableFuture().handle((r, e) -> e != null).get();
      BatchLineResult line = ended.lines().get(call.requestId());
      assertThat(line instanceof BatchLineResult.Failed).isEqualTo(failsInRealTime);
      if (line instanceof BatchLineResult.Failed failed) {
        assertThat(failed.error()).isInstanceOf(ProviderServerException.class);
        assertThat(failed.error().errorClass()).isEqualTo(ErrorClass.RETRYABLE);
      }
    }
    assertThat(ended.lines().values()).hasAtLeastOneElementOfType(BatchLineResult.Failed.class);
    assertThat(ended.lines().values()).hasAtLeastOneElementOfType(BatchLineResult.Answered.class);
  }

  @Test
  void findsAJobByItsKeyAndSubmittingTheKeyAgainReturnsIt() throws Exception {
    BatchApi api = batch(CONFIG);
    BatchSubmission submission = submission("job-1", chat("r1", "Hello"));
    BatchJob job = await(api.submit(submission));

    assertThat(await(api.find(submission))).contains(job);
    assertThat(await(api.find(submission("job-2", chat("r1", "Hello"))))).isEmpty();
    assertThat(await(api.submit(submission))).isEqualTo(job);
  }

  @Test
  void anotherProcessDoesNotKnowTheJobAndFailsItSoItsLinesGoToRealTime() throws Exception {
    BatchSubmission submission = submission("job-1", chat("r1", "Hello"));
    BatchJob job = await(batch(CONFIG).submit(submission));
    BatchApi restarted = batch(CONFIG);

    BatchJobStatus status = await(restarted.poll(job));

    assertThat(status)
        .isEqualTo(
            new BatchJobStatus.Ended(
                BatchJobStatus.End.FAILED,
                "unknown",
                "unknown job: the simulated provider lost it on restart",
                Map.of()));
    assertThat(await(restarted.find(submission))).isEmpty();
  }

  @Test
  void aDeploymentInOutageRefusesTheJob() {
    BatchApi api = batch(CONFIG.toBuilder().failingDeployments(List.of("down")).build());

    assertThatThrownBy(
            () ->
                await(
                    api.submit(
                        new BatchSubmission("k", "down", "sim", List.of(chat("r1", "Hello"))))))
        .isInstanceOf(ProviderServerException.class)
        .hasMessageContaining("outage");
  }

  @Test
  void aLatencyBeyondTheWindowExpiresTheJobUnanswered() throws Exception {
    BatchApi api =
        batch(
            CONFIG.toBuilder()
                .batchLatency(Duration.ofHours(2))
                .batchWindow(Duration.ofHours(1))
                .build());
    BatchJob job = await(api.submit(submission("k", chat("r1", "Hello"))));
    clock.advance(Duration.ofHours(1));

    BatchJobStatus.Ended ended = (BatchJobStatus.Ended) await(api.poll(job));

    assertThat(ended.end()).isEqualTo(BatchJobStatus.End.EXPIRED);
    assertThat(ended.lines()).isEmpty();
  }

  @Test
  void jobsAreForgottenAWindowAfterTheyEnded() throws Exception {
    SimulatedConnector connector =
        connector(CONFIG.toBuilder().batchWindow(Duration.ofHours(1)).build());
    SimulatedBatchApi api = (SimulatedBatchApi) connector.batch().orElseThrow();
    BatchJob old = await(api.submit(submission("old", chat("r1", "Hello"))));
    clock.advance(Duration.ofHours(1).plusSeconds(11));

    await(api.submit(submission("new", chat("r1", "Hello"))));

    assertThat(api.jobCount()).isEqualTo(1);
    assertThat(((BatchJobStatus.Ended) await(api.poll(old))).end())
        .isEqualTo(BatchJobStatus.End.FAILED);
  }

  private BatchApi batch(SimulatedConfig config) {
    Optional<BatchApi> batch = connector(config).batch();
    assertThat(batch).isPresent();
    return batch.orElseThrow();
  }

  private SimulatedConnector connector(SimulatedConfig config) {
    SimulatedConnector connector = new SimulatedConnector(config, clock);
    connectors.add(connector);
    return connector;
  }

  private static BatchSubmission submission(String key, ProviderCall... calls) {
    return new BatchSubmission(key, null, "sim", List.of(calls));
  }

  private static ProviderCall chat(String requestId, String userMessage) {
    return ProviderCall.chat(requestId, "t1", "sim", List.of(ChatMessage.user(userMessage)));
  }

  private static <T> T await(CompletionStage<T> stage) throws Exception {
    try {
      return stage.toCompletableFuture().get(5, TimeUnit.SECONDS);
    } catch (ExecutionException failed) {
      throw (Exception) failed.getCause();
    }
  }
}
