package io.aibroker.workers;

import io.aibroker.connector.Connector;
import io.aibroker.schemas.RecordSerdes;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.KafkaShareConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The worker runtime (docs/ARCHITECTURE.md): consumes its providers' dispatch topics as a share
 * group, calls each provider through its connector, and reports one outcome per delivered request.
 *
 * <ul>
 *   <li>Records are acknowledged explicitly: ACCEPT only after the outcome is written ({@code
 *       acks=all}, idempotent producer); RELEASE when a write fails or on shutdown; REJECT after a
 *       record went to the DLQ (unreadable bytes, or its delivery limit reached). Calls that
 *       outlive half the acquisition lock get it renewed. See {@link ConsumerLane} for the poll
 *       loop.
 *   <li>Calls to one deployment are bounded by {@link WorkerConfig#maxInFlightPerDeployment()};
 *       calls are asynchronous (the connectors' own clients), so thousands can be in flight in one
 *       process. Virtual threads run only what may block: decoding and writing records.
 *   <li>Retries per error class and the deadline as a hard stop ({@link RetryPolicy}); a circuit
 *       breaker per deployment whose state changes go to the provider-health topic ({@link
 *       DeploymentBreakers}, {@link HealthReporter}); streamed output goes to the results-stream
 *       topic as it arrives.
 *   <li>{@link #close()} stops taking records, lets calls in flight finish for up to {@link
 *       WorkerConfig#drainTimeout()}, writes their outcomes and acknowledges them, and releases the
 *       rest.
 * </ul>
 *
 * <p>Metrics are listed in {@link WorkerMetrics}.
 */
public final class Worker implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(Worker.class);

  /** Time given to the poll threads beyond the drain timeout, to commit and close. */
  private static final Duration CLOSE_MARGIN = Duration.ofSeconds(10);

  /** How long, and how many, dispatches with a written outcome are remembered. */
  private static final Duration REPORTED_KEPT_FOR = Duration.ofMinutes(15);

  private static final int REPORTED_MAX = 200_000;

  private final WorkerConfig config;
  private final RecordSink sink;
  private final DeploymentBreakers breakers;
  private final HealthReporter health;
  private final ScheduledExecutorService scheduler;
  private final ExecutorService work;
  private final List<ConsumerLane> lanes = new ArrayList<>();
  private final OutcomeFollower outcomeFollower;
  private final BatchJobs batchJobs;
  private volatile boolean started;
  private volatile boolean closed;

  /**
   * A worker; call {@link #start()} to begin consuming.
   *
   * @param config worker settings
   * @param connectors provider name -> connector, one for each of {@code config.providers()}; the
   *     caller keeps ownership and closes them after the worker
   * @param serdes Avro serdes
   * @param client Kafka connection settings (bootstrap servers, security), shared by the worker's
   *     consumers and producer
   * @param clock time source: deadlines, backoffs, durations reported on outcomes, timestamps
   * @param registry where metrics go
   */
  public Worker(
      WorkerConfig config,
      Map<String, Connector> connectors,
      RecordSerdes serdes,
      Map<String, Object> client,
      Clock clock,
      MeterRegistry registry) {
    for (String provider : config.providers()) {
      if (!connectors.containsKey(provider)) {
        throw new IllegalArgumentException("no connector for provider " + provider);
      }
    }
    this.config = config;
    WorkerMetrics metrics = new WorkerMetrics(registry);
    this.sink =
        new RecordSink(
            new KafkaProducer<>(
                producerProperties(client), new ByteArraySerializer(), new ByteArraySerializer()),
            config.topics(),
            serdes);
    this.health = new HealthReporter(sink, config.workerId(), clock, metrics);
    this.breakers = new DeploymentBreakers(config.breaker(), clock, metrics, health);
    this.scheduler =
        Executors.newSingleThreadScheduledExecutor(
            Thread.ofPlatform()
                .name("aibroker-worker-timer-" + config.workerId())
                .daemon()
                .factory());
    this.work =
        Executors.newThreadPerTaskExecutor(
            Thread.ofVirtual().name("aibroker-worker-" + config.workerId() + "-", 0).factory());
    Map<Deployment, DeploymentPermits> permits = new ConcurrentHashMap<>();
    ProviderCaller caller =
        new ProviderCaller(
            // Jitter needs no secrecy, only no contention between the threads drawing it.
            new RetryPolicy(config.retry(), () -> ThreadLocalRandom.current().nextLong()),
            breakers,
            deployment ->
                permits.computeIfAbsent(
                    deployment, d -> new DeploymentPermits(config.maxInFlightPerDeployment())),
            RetryTimer.on(scheduler),
            clock,
            config.callTimeout(),
            metrics);
    ReportedOutcomes reported = new ReportedOutcomes(clock, REPORTED_KEPT_FOR, REPORTED_MAX);
    metrics.outcomesRemembered(reported);
    this.outcomeFollower =
        config.followOutcomes()
            ? new OutcomeFollower(
                new KafkaConsumer<>(
                    followerProperties(client),
                    new ByteArrayDeserializer(),
                    new ByteArrayDeserializer()),
                config.topics().outcomes(),
                serdes.outcomes().deserializer(),
                reported,
                REPORTED_KEPT_FOR,
                clock)
            : null;
    this.batchJobs =
        connectors.values().stream().anyMatch(c -> c.batch().isPresent())
            ? batchJobs(config, connectors, serdes, client, clock, metrics, reported)
            : null;
    DispatchProcessor processor =
        new DispatchProcessor(
            config,
            connectors,
            serdes.dispatches().deserializer(),
            caller,
            sink,
            work,
            clock,
            metrics,
            reported,
            batchJobs);
    ConcurrentMap<RecordKey, HeldRecord> inWorker = new ConcurrentHashMap<>();
    try {
      // INTERACTIVE and BATCH work have consumers of their own: a batch backlog never stands
      // in front of interactive records. And each provider has its own: a consumer polls again
      // only once every record of its last poll is done, so while one provider throttles or
      // hangs, its records must not hold the consumers of the others -- above all of the
      // fallback routes the broker fails over to (found by the fault storms, docs/RELIABILITY.md).
      int index = 0;
      for (String provider : config.providers()) {
        for (int i = 0; i < config.consumers() + config.batchConsumers(); i++) {
          boolean batch = i >= config.consumers();
          String name =
              "aibroker-worker-"
                  + config.workerId()
                  + "-"
                  + provider
                  + (batch ? "-batch-" : "-poll-")
                  + i;
          lanes.add(
              new ConsumerLane(
                  name,
                  new KafkaShareConsumer<>(
                      consumerProperties(client, index++),
                      new ByteArrayDeserializer(),
                      new ByteArrayDeserializer()),
                  List.of(
                      batch
                          ? config.topics().dispatchBatch(provider)
                          : config.topics().dispatch(provider)),
                  processor,
                  inWorker,
                  config.renewInterval(),
                  metrics));
        }
      }
    } catch (RuntimeException e) {
      close(); // the clients made so far hold connections and threads
      throw e;
    }
  }

  /**
   * A worker whose metrics go to a registry of its own.
   *
   * @deprecated pass the process's {@link MeterRegistry}, or the worker's metrics are not exported
   */
  @Deprecated
  public Worker(
      WorkerConfig config,
      Map<String, Connector> connectors,
      RecordSerdes serdes,
      Map<String, Object> client,
      Clock clock) {
    this(config, connectors, serdes, client, clock, new SimpleMeterRegistry());
  }

  private BatchJobs batchJobs(
      WorkerConfig config,
      Map<String, Connector> connectors,
      RecordSerdes serdes,
      Map<String, Object> client,
      Clock clock,
      WorkerMetrics metrics,
      ReportedOutcomes reported) {
    BatchJobLog log = new BatchJobLog(sink);
    BatchJobs jobs =
        new BatchJobs(
            config.workerId(),
            clock,
            work,
            log,
            ready ->
                new BatchJobFollower(
                    new KafkaConsumer<>(
                        batchJobsConsumerProperties(client),
                        new ByteArrayDeserializer(),
                        new ByteArrayDeserializer()),
                    config.topics().batchJobs(),
                    serdes.of(io.aibroker.records.BatchJobEntry.class).deserializer(),
                    ready,
                    "aibroker-worker-" + config.workerId() + "-batch-jobs"),
            finished ->
                new BatchJobDriver(
                    config, connectors, log, sink, work, clock, metrics, reported, finished));
    metrics.batchJobs(jobs);
    return jobs;
  }

  /**
   * The batch-jobs group: partitions (so jobs) are shared among the workers; each reads its
   * partitions from the beginning on assignment and commits nothing.
   */
  private Map<String, Object> batchJobsConsumerProperties(Map<String, Object> client) {
    Map<String, Object> props = new HashMap<>(client);
    props.put("group.id", config.groupId() + "-batch-jobs");
    props.put("client.id", config.workerId() + "-batch-jobs");
    props.put("enable.auto.commit", false);
    props.put("auto.offset.reset", "earliest");
    props.put("session.timeout.ms", (int) config.batchJobsSessionTimeout().toMillis());
    // Never create it by reading: it would not be compacted.
    props.put("allow.auto.create.topics", false);
    return props;
  }

  private Map<String, Object> consumerProperties(Map<String, Object> client, int index) {
    Map<String, Object> props = new HashMap<>(client);
    props.put("group.id", config.groupId());
    props.put("client.id", config.workerId() + "-" + index);
    props.put("share.acknowledgement.mode", "explicit");
    // No prefetching: a record fetched ahead would sit in the buffer with its lock running.
    props.put("share.acquire.mode", "record_limit");
    props.put("max.poll.records", config.maxPollRecords());
    return props;
  }

  /** A consumer of no group that commits nothing: every worker reads every outcome. */
  private Map<String, Object> followerProperties(Map<String, Object> client) {
    Map<String, Object> props = new HashMap<>(client);
    props.put("client.id", config.workerId() + "-outcomes");
    props.put("enable.auto.commit", false);
    props.put("auto.offset.reset", "latest");
    return props;
  }

  private Map<String, Object> producerProperties(Map<String, Object> client) {
    Map<String, Object> props = new HashMap<>(client);
    props.put("client.id", config.workerId() + "-out");
    props.put("acks", "all");
    props.put("enable.idempotence", true);
    props.put("linger.ms", 2);
    // Dead letters copy whole dispatch records, which may be as large as the dispatch topic allows
    // (the broker writes them up to 8 MiB).
    props.putIfAbsent("max.request.size", 8 * 1024 * 1024);
    return props;
  }

  /** Starts consuming, on threads of its own. */
  public synchronized void start() {
    if (started || closed) {
      throw new IllegalStateException(closed ? "worker is closed" : "worker already started");
    }
    started = true;
    work.execute(this::warmUp);
    if (outcomeFollower != null) {
      outcomeFollower.start();
    }
    if (batchJobs != null) {
      batchJobs.start(scheduler);
    }
    long every = config.healthInterval().toMillis();
    scheduler.scheduleAtFixedRate(
        () -> {
          try {
            health.publishAll(breakers.all());
          } catch (RuntimeException e) {
            LOG.warn("could not publish deployment health", e);
          }
        },
        every,
        every,
        TimeUnit.MILLISECONDS);
    lanes.forEach(ConsumerLane::start);
    LOG.info(
        "worker {} consuming {} with {} consumers",
        config.workerId(),
        config.dispatchTopics(),
        lanes.size());
  }

  /** True between {@link #start()} and {@link #close()} while every poll thread runs. */
  public boolean isRunning() {
    return started && !closed && lanes.stream().allMatch(ConsumerLane::isAlive);
  }

  private void warmUp() {
    try {
      sink.warmUp();
    } catch (RuntimeException e) {
      LOG.warn("could not prepare the output topics; the first writes will", e);
    }
  }

  /**
   * Stops: takes no more records, lets calls in flight finish for up to {@link
   * WorkerConfig#drainTimeout()} (their outcomes are written and their records accepted), releases
   * the records of calls still unfinished, and closes the Kafka clients.
   */
  @Override
  public synchronized void close() {
    if (closed) {
      return;
    }
    closed = true;
    long deadline = System.nanoTime() + config.drainTimeout().toNanos();
    if (started) {
      lanes.forEach(lane -> lane.stop(deadline));
      long stopped = deadline + CLOSE_MARGIN.toNanos();
      for (ConsumerLane lane : lanes) {
        try {
          Duration left = Duration.ofNanos(Math.max(1, stopped - System.nanoTime()));
          if (!lane.awaitStopped(left)) {
            LOG.warn("a poll thread of worker {} did not stop in time", config.workerId());
          }
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          break;
        }
      }
    } else {
      lanes.forEach(lane -> lane.stop(deadline));
      lanes.forEach(ConsumerLane::closeUnstarted);
    }
    if (outcomeFollower != null) {
      outcomeFollower.close();
    }
    if (batchJobs != null) {
      batchJobs.close();
    }
    scheduler.shutdownNow();
    work.shutdown();
    try {
      sink.close();
    } catch (RuntimeException e) {
      LOG.warn("error closing the producer of worker {}", config.workerId(), e);
    }
    LOG.info("worker {} stopped", config.workerId());
  }
}
