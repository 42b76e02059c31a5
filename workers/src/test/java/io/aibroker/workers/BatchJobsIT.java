package io.aibroker.workers;

import static org.assertj.core.api.Assertions.assertThat;

import io.aibroker.records.BatchOptions;
import io.aibroker.records.DispatchRequest;
import io.aibroker.records.ProviderOutcome;
import io.aibroker.records.Route;
import io.aibroker.topics.Topics;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

/**
 * The provider batch path on a real embedded Kafka: batch dispatches pooled into provider jobs,
 * recorded on the batch-jobs topic, answered once each at the batch tier, and resumed -- not
 * submitted again -- by the worker that takes over after the first one stopped.
 */
class BatchJobsIT extends KafkaItSupport {

  static final String PROVIDER = "batchy";
  static final Route ROUTE =
      Route.newBuilder()
          .setProvider(PROVIDER)
          .setDeployment("batch-dep")
          .setProviderModel("model-b")
          .setServiceTier("batch")
          .setBatch(new BatchOptions(500L, 1, 1_000, Duration.ofHours(24).toMillis()))
          .build();
  static final Duration WAIT = Duration.ofSeconds(90);

  static WorkerConfig config(Topics topics, String group, String workerId) {
    return WorkerConfig.builder(topics, group, workerId, List.of(PROVIDER))
        .consumers(4)
        .maxPollRecords(100)
        .drainTimeout(Duration.ofSeconds(2))
        .batchPollInterval(Duration.ofMillis(200))
        .build();
  }

  static List<DispatchRequest> batch(String prefix, int count) {
    return IntStream.range(0, count)
        .mapToObj(i -> Dispatches.chat(prefix + i, "tenant-" + (i % 3), ROUTE))
        .toList();
  }

  static void dispatchBatch(Topics topics, List<DispatchRequest> dispatches) {
    try (var producer =
        new KafkaProducer<>(client(), new StringSerializer(), serdes.dispatches().serializer())) {
      for (DispatchRequest dispatch : dispatches) {
        producer.send(
            new ProducerRecord<>(
                topics.dispatchBatch(PROVIDER), dispatch.getRequestId(), dispatch));
      }
    }
  }

  static Map<String, List<ProviderOutcome>> byRequest(List<ProviderOutcome> outcomes) {
    return outcomes.stream().collect(Collectors.groupingBy(ProviderOutcome::getRequestId));
  }

  @Test
  void poolsBatchDispatchesIntoJobsAndReportsEachMemberOnceAtTheBatchTier() throws Exception {
    Topics topics = topics("batch", PROVIDER);
    shareGroup("batch-workers", 0);
    InMemoryBatchProvider provider = new InMemoryBatchProvider();
    int count = 300;
    dispatchBatch(topics, batch("b-", count));

    startWorker(config(topics, "batch-workers", "worker-1"), PROVIDER, provider.connector());
    var outcomes = tail(topics.outcomes(), serdes.outcomes().deserializer());
    outcomes.until(read -> read.size() >= count, WAIT);
    List<ProviderOutcome> read =
        outcomes.readFor(Duration.ofSeconds(1)).stream().map(ConsumerRecord::value).toList();

    assertThat(byRequest(read))
        .hasSize(count)
        .allSatisfy((id, list) -> assertThat(list).hasSize(1));
    assertThat(read)
        .allSatisfy(
            o -> {
              assertThat(o.getSuccess()).isTrue();
              assertThat(o.getServiceTier()).isEqualTo("batch");
              assertThat(o.getOutput().getText()).isEqualTo("batch answer to " + o.getRequestId());
            });
    assertThat(provider.realTimeCalls()).isZero();
    assertThat(provider.jobs()).as("jobs submitted").isNotEmpty();
    assertThat(provider.jobs().stream().mapToInt(job -> job.calls().size()).sum())
        .as("lines over all jobs: each request in one job")
        .isEqualTo(count);
    assertThat(provider.submits()).isEqualTo(provider.jobs().size());
  }

  @Test
  void aWorkerStoppedAfterSubmissionIsResumedByTheNextWithoutASecondSubmission() throws Exception {
    Topics topics = topics("resume", PROVIDER);
    shareGroup("resume-workers", 0);
    InMemoryBatchProvider provider = new InMemoryBatchProvider();
    provider.completeJobs(false);
    int count = 40;
    dispatchBatch(topics, batch("r-", count));

    Worker first =
        startWorker(config(topics, "resume-workers", "worker-1"), PROVIDER, provider.connector());
    Awaitility.await()
        .atMost(WAIT)
        .until(() -> provider.jobs().stream().mapToInt(job -> job.calls().size()).sum() == count);
    first.close();
    int submitted = provider.submits();
    provider.completeJobs(true);

    startWorker(config(topics, "resume-workers", "worker-2"), PROVIDER, provider.connector());
    var outcomes = tail(topics.outcomes(), serdes.outcomes().deserializer());
    outcomes.until(read -> read.size() >= count, WAIT);
    List<ProviderOutcome> read =
        outcomes.readFor(Duration.ofSeconds(2)).stream().map(ConsumerRecord::value).toList();

    assertThat(byRequest(read))
        .hasSize(count)
        .allSatisfy((id, list) -> assertThat(list).hasSize(1));
    assertThat(read).allSatisfy(o -> assertThat(o.getWorkerId()).isEqualTo("worker-2"));
    assertThat(provider.submits()).as("no job submitted twice").isEqualTo(submitted);
    assertThat(provider.realTimeCalls()).isZero();
  }
}
