package io.aibroker.workers;

import io.aibroker.connector.Connector;
import io.aibroker.records.BatchJobHeader;
import io.aibroker.records.BatchJobPhase;
import io.aibroker.records.DispatchRequest;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.Executor;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Function;
import org.apache.kafka.clients.consumer.AcknowledgeType;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The worker's provider batch path (docs/ARCHITECTURE.md, "Provider batch jobs"): dispatches whose
 * route says batch are pooled ({@link BatchPools}); a full or due pool becomes a job, recorded on
 * the batch-jobs topic ({@link BatchJobLog}) before its members' dispatch records are accepted; the
 * worker owning the job's partition ({@link BatchJobFollower}) submits, polls and reports it
 * ({@link BatchJobDriver}).
 */
final class BatchJobs implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(BatchJobs.class);

  /** How often pools are checked for jobs that waited long enough, and jobs for due steps. */
  static final Duration TICK = Duration.ofMillis(100);

  private final String workerId;
  private final Clock clock;
  private final Executor executor;
  private final BatchPools pools;
  private final BatchJobLog log;
  private final BatchJobFollower follower;
  private final BatchJobDriver driver;

  BatchJobs(
      String workerId,
      Clock clock,
      Executor executor,
      BatchJobLog log,
      Function<Consumer<OpenBatchJob>, BatchJobFollower> followers,
      Function<Consumer<OpenBatchJob>, BatchJobDriver> drivers) {
    this.workerId = Objects.requireNonNull(workerId, "workerId");
    this.clock = Objects.requireNonNull(clock, "clock");
    this.executor = Objects.requireNonNull(executor, "executor");
    this.log = Objects.requireNonNull(log, "log");
    this.pools = new BatchPools(clock, this::open);
    this.follower = followers.apply(this::ready);
    this.driver = drivers.apply(follower::finished);
  }

  /** Whether {@code connector} takes {@code dispatch} on the batch path. */
  static boolean takes(DispatchRequest dispatch, Connector connector) {
    return BatchPools.isBatch(dispatch) && connector.batch().isPresent();
  }

  /** Starts following the batch-jobs topic and the timer of pools and jobs. */
  void start(ScheduledExecutorService scheduler) {
    follower.start();
    scheduler.scheduleWithFixedDelay(
        this::tick, TICK.toMillis(), TICK.toMillis(), TimeUnit.MILLISECONDS);
  }

  /**
   * Pools a batch dispatch. A dispatch already in an open job here (a delivery after the job took
   * it, whose acknowledgement was lost) is accepted at once.
   */
  void pool(DispatchRequest dispatch, Processing processing) {
    if (follower.isMember(dispatch.getRequestId())) {
      processing.acknowledge(AcknowledgeType.ACCEPT);
      return;
    }
    pools.add(dispatch, processing);
  }

  private void tick() {
    try {
      pools.flushDue();
      follower.jobs().forEach(driver::act);
    } catch (RuntimeException e) {
      LOG.warn("batch job timer failed; going on", e);
    }
  }

  private void ready(OpenBatchJob job) {
    driver.act(job);
  }

  /** Opens the job on the executor: writing may block on metadata, the timer must not. */
  private void open(BatchPools.PoolKey key, List<BatchPools.Pooled> lines) {
    executor.execute(() -> record(key, lines));
  }

  /** Records a job of the pooled dispatches, then accepts their records (or releases them). */
  private void record(BatchPools.PoolKey key, List<BatchPools.Pooled> lines) {
    List<DispatchRequest> members = new ArrayList<>();
    List<Processing> processings = new ArrayList<>();
    Set<String> ids = new HashSet<>();
    for (BatchPools.Pooled line : lines) {
      processings.add(line.processing());
      if (ids.add(line.dispatch().getRequestId())) {
        members.add(line.dispatch());
      }
    }
    String jobKey = UUID.randomUUID().toString();
    BatchJobHeader header =
        BatchJobHeader.newBuilder()
            .setProvider(key.provider())
            .setDeployment(key.deployment())
            .setProviderModel(key.providerModel())
            .setPhase(BatchJobPhase.POOLED)
            .setMemberIds(members.stream().map(DispatchRequest::getRequestId).toList())
            .setCreatedAt(clock.instant())
            .setWorkerId(workerId)
            .build();
    log.open(jobKey, members, header)
        .whenComplete(
            (recorded, failed) -> {
              if (failed != null) {
                LOG.warn(
                    "could not record batch job {} of {} lines; releasing them",
                    jobKey,
                    members.size(),
                    failed);
              }
              AcknowledgeType type =
                  failed == null ? AcknowledgeType.ACCEPT : AcknowledgeType.RELEASE;
              processings.forEach(processing -> processing.acknowledge(type));
            });
  }

  /** Seconds since the oldest open job known here was pooled; 0 when there is none. */
  double oldestOpenJobAgeSeconds() {
    Instant now = clock.instant();
    return follower.jobs().stream()
        .map(OpenBatchJob::header)
        .filter(Objects::nonNull)
        .map(BatchJobHeader::getCreatedAt)
        .min(Instant::compareTo)
        .map(oldest -> Math.max(0, Duration.between(oldest, now).toMillis()) / 1000.0)
        .orElse(0.0);
  }

  /** Open jobs known here. */
  int openJobs() {
    return follower.jobs().size();
  }

  /** Dispatches waiting in pools. */
  int pooled() {
    return pools.size();
  }

  @Override
  public void close() {
    follower.close();
  }
}
