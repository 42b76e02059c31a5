package io.aibroker.workers;

import static org.assertj.core.api.Assertions.assertThat;

import io.aibroker.connector.InvalidRequestException;
import io.aibroker.connector.ProviderResponse;
import io.aibroker.connector.ProviderServerException;
import io.aibroker.connector.TokenUsage;
import io.aibroker.connector.batch.BatchJob;
import io.aibroker.connector.batch.BatchJobStatus;
import io.aibroker.connector.batch.BatchLineResult;
import io.aibroker.records.BatchJobEntry;
import io.aibroker.records.BatchJobHeader;
import io.aibroker.records.BatchJobPhase;
import io.aibroker.records.ErrorClass;
import io.aibroker.records.ProviderOutcome;
import io.aibroker.records.Route;
import io.aibroker.registry.InMemorySchemaRegistryClient;
import io.aibroker.schemas.RecordSerdes;
import io.aibroker.testing.MutableClock;
import io.aibroker.topics.Topics;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.kafka.clients.producer.MockProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.Test;

class BatchJobDriverTest {

  static final Topics TOPICS = Topics.defaults();

  final MutableClock clock = new MutableClock(Instant.parse("2026-12-07T10:00:00Z"));
  final RecordSerdes serdes = new RecordSerdes(new InMemorySchemaRegistryClient());
  final SimpleMeterRegistry registry = new SimpleMeterRegistry();
  final WorkerConfig config =
      WorkerConfig.builder(TOPICS, "group", "worker-1", List.of("scripted")).build();
  final MockProducer<byte[], byte[]> producer =
      new MockProducer<>(true, null, new ByteArraySerializer(), new ByteArraySerializer());
  final ScriptedBatchApi api = new ScriptedBatchApi();
  final List<OpenBatchJob> finished = new ArrayList<>();
  final BatchJobDriver driver;

  BatchJobDriverTest() {
    RecordSink sink = new RecordSink(producer, TOPICS, serdes);
    driver =
        new BatchJobDriver(
            config,
            Map.of("scripted", api.connector()),
            new BatchJobLog(sink),
            sink,
            Runnable::run,
            clock,
            new WorkerMetrics(registry),
            new ReportedOutcomes(clock, Duration.ofMinutes(15), 1000),
            finished::add);
  }

  static Route route() {
    return Route.newBuilder()
        .setProvider("scripted")
        .setDeployment("dep")
        .setProviderModel("model-a")
        .setServiceTier("batch")
        .setBatch(new io.aibroker.records.BatchOptions(2_000L, 1, 100, 86_400_000L))
        .build();
  }

  OpenBatchJob job(BatchJobPhase phase, String... ids) {
    OpenBatchJob job = new OpenBatchJob("job-1", 0);
    for (String id : ids) {
      job.member(Dispatches.chat(id, "acme", route()));
    }
    job.header(
        BatchJobHeader.newBuilder()
            .setProvider("scripted")
            .setDeployment("dep")
            .setProviderModel("model-a")
            .setPhase(phase)
            .setMemberIds(List.of(ids))
            .setProviderJobId(phase == BatchJobPhase.SUBMITTED ? "provider-job-9" : null)
            .setSubmittedAt(phase == BatchJobPhase.SUBMITTED ? clock.instant() : null)
            .setCreatedAt(clock.instant())
            .setWorkerId("worker-0")
            .build());
    return job;
  }

  static BatchJobStatus.Ended completed(Map<String, BatchLineResult> lines) {
    return new BatchJobStatus.Ended(BatchJobStatus.End.COMPLETED, "completed", null, lines);
  }

  static BatchLineResult answered(String text) {
    return new BatchLineResult.Answered(
        ProviderResponse.ofText(text, ProviderResponse.FINISH_STOP, new TokenUsage(10, 5)));
  }

  /** Acts on the job, then again after each poll interval, until it finished or steps ran out. */
  void drive(OpenBatchJob job, int steps) {
    for (int i = 0; i < steps && !job.gone(); i++) {
      driver.act(job);
      clock.advance(config.batchPollInterval());
    }
  }

  List<BatchJobHeader> headers() {
    return entries().stream().map(BatchJobEntry::getJob).filter(h -> h != null).toList();
  }

  List<BatchJobEntry> entries() {
    return producer.history().stream()
        .filter(r -> r.topic().equals(TOPICS.batchJobs()) && r.value() != null)
        .map(r -> serdes.of(BatchJobEntry.class).deserializer().deserialize(r.topic(), r.value()))
        .toList();
  }

  List<String> tombstones() {
    return producer.history().stream()
        .filter(r -> r.topic().equals(TOPICS.batchJobs()) && r.value() == null)
        .map(r -> new String(r.key()))
        .toList();
  }

  Map<String, ProviderOutcome> outcomes() {
    Map<String, ProviderOutcome> outcomes = new java.util.LinkedHashMap<>();
    for (ProducerRecord<byte[], byte[]> r : producer.history()) {
      if (r.topic().equals(TOPICS.outcomes())) {
        ProviderOutcome outcome =
            serdes.outcomes().deserializer().deserialize(r.topic(), r.value());
        outcomes.put(outcome.getRequestId(), outcome);
      }
    }
    return outcomes;
  }

  @Test
  void recordsSubmittingBeforeItSubmitsAndTheProvidersIdAfter() {
    OpenBatchJob job = job(BatchJobPhase.POOLED, "r1", "r2");

    driver.act(job);

    assertThat(api.submissions).hasSize(1);
    assertThat(api.submissions.getFirst().key()).isEqualTo("job-1");
    assertThat(api.submissions.getFirst().calls())
        .allSatisfy(call -> assertThat(call.serviceTier()).isEqualTo("batch"));
    assertThat(headers())
        .extracting(BatchJobHeader::getPhase)
        .containsExactly(BatchJobPhase.SUBMITTING, BatchJobPhase.SUBMITTED);
    assertThat(headers().getLast().getProviderJobId()).isEqualTo("provider-job-1");
    assertThat(registry.get(WorkerMetrics.BATCH_JOBS).tag("event", "submitted").counter().count())
        .isEqualTo(1);
  }

  @Test
  void writesEveryMembersOutcomeAtTheBatchTierOnceTheJobCompletedThenRemovesIt() {
    api.then(s -> new BatchJobStatus.Running("in_progress"))
        .then(s -> completed(Map.of("r1", answered("one"), "r2", answered("two"))));
    OpenBatchJob job = job(BatchJobPhase.POOLED, "r1", "r2");

    drive(job, 5);

    assertThat(outcomes()).containsOnlyKeys("r1", "r2");
    assertThat(outcomes().get("r1").getSuccess()).isTrue();
    assertThat(outcomes().get("r1").getOutput().getText()).isEqualTo("one");
    assertThat(outcomes().get("r1").getServiceTier()).isEqualTo("batch");
    assertThat(tombstones()).containsExactlyInAnyOrder("job-1/r1", "job-1/r2", "job-1");
    assertThat(finished).containsExactly(job);
    assertThat(api.submissions).hasSize(1);
  }

  @Test
  void aLineErrorEndsOnlyItsOwnMember() {
    api.then(
        s ->
            completed(
                Map.of(
                    "r1",
                    answered("one"),
                    "r2",
                    new BatchLineResult.Failed(
                        new InvalidRequestException(
                            "scripted", "bad line", "400", 400, null, null)))));
    OpenBatchJob job = job(BatchJobPhase.SUBMITTED, "r1", "r2");

    drive(job, 2);

    assertThat(outcomes().get("r1").getSuccess()).isTrue();
    assertThat(outcomes().get("r2").getSuccess()).isFalse();
    assertThat(outcomes().get("r2").getError().getErrorClass()).isEqualTo(ErrorClass.TERMINAL);
    assertThat(outcomes().get("r2").getError().getMessage()).contains("bad line");
  }

  @Test
  void linesAnExpiredJobNeverGotToFailRetryablyWithTheProvidersMessage() {
    api.then(
        s ->
            new BatchJobStatus.Ended(
                BatchJobStatus.End.EXPIRED,
                "expired",
                "the window passed",
                Map.of("r1", answered("one"))));
    OpenBatchJob job = job(BatchJobPhase.SUBMITTED, "r1", "r2");

    drive(job, 2);

    assertThat(outcomes().get("r1").getSuccess()).isTrue();
    ProviderOutcome expired = outcomes().get("r2");
    assertThat(expired.getSuccess()).isFalse();
    assertThat(expired.getError().getErrorClass()).isEqualTo(ErrorClass.RETRYABLE);
    assertThat(expired.getError().getCode()).isEqualTo("BATCH_JOB_EXPIRED");
    assertThat(expired.getError().getMessage()).contains("the window passed");
  }

  @Test
  void aJobFoundSubmittingIsLookedUpAndNotSubmittedAgainWhenTheProviderHasIt() {
    api.found = Optional.of(BatchJob.of("job-1", "provider-job-7"));
    OpenBatchJob job = job(BatchJobPhase.SUBMITTING, "r1");

    driver.act(job);

    assertThat(api.finds).hasSize(1);
    assertThat(api.submissions).isEmpty();
    assertThat(headers().getLast().getPhase()).isEqualTo(BatchJobPhase.SUBMITTED);
    assertThat(headers().getLast().getProviderJobId()).isEqualTo("provider-job-7");
  }

  @Test
  void aJobFoundSubmittingIsSubmittedWhenTheProviderHasNone() {
    OpenBatchJob job = job(BatchJobPhase.SUBMITTING, "r1");

    driver.act(job);

    assertThat(api.finds).hasSize(1);
    assertThat(api.submissions).hasSize(1);
  }

  @Test
  void aJobFoundSubmittingAtAProviderThatCannotLookJobsUpIsNeverSentAgain() {
    api.canFind = false;
    OpenBatchJob job = job(BatchJobPhase.SUBMITTING, "r1", "r2");

    driver.act(job);

    assertThat(api.submissions).isEmpty();
    assertThat(outcomes().values())
        .allSatisfy(
            outcome -> {
              assertThat(outcome.getError().getErrorClass()).isEqualTo(ErrorClass.RETRYABLE);
              assertThat(outcome.getError().getCode())
                  .isEqualTo(BatchJobDriver.CODE_SUBMISSION_UNKNOWN);
            });
    assertThat(tombstones()).contains("job-1");
  }

  @Test
  void aJobTheProviderRefusesSendsEveryMemberToARealTimeCall() {
    api.submitError =
        new InvalidRequestException("scripted", "too few records", "400", 400, null, null);
    OpenBatchJob job = job(BatchJobPhase.POOLED, "r1", "r2");

    driver.act(job);

    assertThat(api.submissions).hasSize(1);
    assertThat(outcomes()).hasSize(2);
    assertThat(outcomes().values())
        .allSatisfy(
            o -> {
              assertThat(o.getError().getErrorClass()).isEqualTo(ErrorClass.RETRYABLE);
              assertThat(o.getError().getCode()).isEqualTo(BatchJobDriver.CODE_JOB_REFUSED);
              assertThat(o.getError().getMessage()).contains("too few records");
            });
  }

  @Test
  void aRetryableRefusalIsSubmittedAgainLater() {
    api.submitError = new ProviderServerException("scripted", "busy", "503", 503, null, null);
    OpenBatchJob job = job(BatchJobPhase.POOLED, "r1");
    driver.act(job);
    assertThat(outcomes()).isEmpty();

    api.submitError = null;
    clock.advance(config.batchPollInterval());
    driver.act(job);

    assertThat(api.submissions).hasSize(2);
    assertThat(api.finds).isEmpty();
    assertThat(headers().getLast().getPhase()).isEqualTo(BatchJobPhase.SUBMITTED);
  }

  @Test
  void pollsSoonAfterSubmissionThenLessOftenUpToTheInterval() {
    Instant submitted = clock.instant();

    assertThat(driver.nextPoll(submitted, submitted)).isEqualTo(Duration.ofSeconds(1));
    assertThat(driver.nextPoll(submitted, submitted.plusSeconds(4)))
        .isEqualTo(Duration.ofSeconds(4));
    assertThat(driver.nextPoll(submitted, submitted.plusSeconds(3600)))
        .isEqualTo(config.batchPollInterval());
  }

  @Test
  void answersAMemberOnlyOnceEvenIfTheJobIsActedOnAgain() {
    api.then(s -> completed(Map.of("r1", answered("one"))));
    OpenBatchJob job = job(BatchJobPhase.SUBMITTED, "r1");

    drive(job, 3);
    driver.act(job);

    assertThat(producer.history().stream().filter(r -> r.topic().equals(TOPICS.outcomes())).count())
        .isEqualTo(1);
  }
}
