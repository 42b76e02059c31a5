package io.aibroker.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import io.aibroker.connector.simulated.CallLog;
import io.aibroker.embedded.ChildJvm;
import io.aibroker.records.InferenceResult;
import io.aibroker.records.TenantPolicy;
import io.aibroker.records.UsageEvent;
import io.aibroker.reliability.ChaosSchedule.Step;
import io.aibroker.reliability.ChaosSchedule.Target;
import io.aibroker.reliability.CrashMatrixReport.Kill;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.ElectionType;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The crash matrix (issue 7): aibroker on a 3-broker Kafka cluster, every part its own OS process,
 * takes a steady stream of requests from tenants with quotas and budgets while a worker, the broker
 * app and a Kafka broker are killed with SIGKILL and restarted. Afterwards nothing may be lost,
 * answered twice, billed twice or let over a limit, and provider calls made twice must be explained
 * by calls in flight at a worker kill.
 *
 * <p>Short by default (2,000 requests, one kill of each kind); {@code reliability/run.sh} runs the
 * full size (20,000 requests; 3 worker, 2 app, 1 Kafka kills). The report goes to stdout and {@code
 * target/reliability/crash-matrix.md}.
 */
class CrashMatrixIT {

  private static final Logger LOG = LoggerFactory.getLogger(CrashMatrixIT.class);

  private final ReliabilitySettings settings = ReliabilitySettings.fromSystemProperties();
  private final Map<String, List<InferenceResult>> results = new ConcurrentHashMap<>();
  private final List<InferenceResult> allResults = new CopyOnWriteArrayList<>();
  private final List<UsageEvent> usage = new CopyOnWriteArrayList<>();
  private final List<Kill> kills = new CopyOnWriteArrayList<>();
  private final Map<Path, Long> killedCallLogs = new ConcurrentHashMap<>();
  private final List<CrashMatrixCheck.Outage> kafkaOutages = new CopyOnWriteArrayList<>();

  @Test
  void nothingIsLostBilledTwiceOrOverLimitWhileWorkersTheAppAndAKafkaBrokerAreKilled()
      throws Exception {
    Path dir = settings.outputDir().resolve("crash-matrix-" + System.currentTimeMillis());
    TenantPlan plan =
        TenantPlan.of(settings.tenants(), settings.requests(), settings.ratePerSecond());
    try (var system = new AibrokerProcesses(dir, settings.providerLatency()).start(2)) {
      writePolicies(system, plan);
      try (var resultFollower =
              new TopicFollower<>(
                  system.clientProperties(),
                  AibrokerProcesses.TOPICS.results(),
                  system.serdes().results().deserializer(),
                  this::onResult);
          var usageFollower =
              new TopicFollower<>(
                  system.clientProperties(),
                  AibrokerProcesses.TOPICS.usage(),
                  system.serdes().usage().deserializer(),
                  usage::add);
          var load =
              new LoadGenerator(
                  system.clientProperties(),
                  system.serdes(),
                  AibrokerProcesses.TOPICS.requests(),
                  plan.tenantIds(),
                  new HashSet<>(
                      plan.tenantIds().stream().filter(t -> t.startsWith("queue-")).toList()),
                  settings.queueDeadline())) {
        List<Step> schedule =
            ChaosSchedule.plan(
                settings.requests(),
                settings.workerKills(),
                settings.appKills(),
                settings.kafkaKills());
        ExecutorService chaos = Executors.newSingleThreadExecutor();
        Future<?> chaosDone = chaos.submit(() -> runChaos(system, load, schedule));
        long sendStart = System.nanoTime();
        load.run(settings.requests(), settings.ratePerSecond());
        Duration sendTime = Duration.ofNanos(System.nanoTime() - sendStart);
        chaosDone.get(15, TimeUnit.MINUTES);
        chaos.shutdown();

        Set<String> sent = load.acknowledged().keySet();
        long lastSend = System.nanoTime();
        Duration allResultsAfter = awaitResults(sent);
        LOG.info("results for {} of {} requests", countAnswered(sent), sent.size());
        // Late duplicates would come within a commit or a redelivery: wait for them to show.
        Thread.sleep(Duration.ofSeconds(15));
        assertThat(resultFollower.failures()).isEmpty();
        assertThat(usageFollower.failures()).isEmpty();

        List<CrashMatrixCheck.WorkerRun> runs = new ArrayList<>();
        for (Path log : system.callLogs()) {
          runs.add(
              new CrashMatrixCheck.WorkerRun(
                  log.getFileName().toString(),
                  CallLog.read(log),
                  killedCallLogs.getOrDefault(log, -1L)));
        }
        Map<String, TenantPolicy> policies = plan.byTenant();
        var figures =
            CrashMatrixCheck.check(
                sent, List.copyOf(allResults), List.copyOf(usage), policies, runs, kafkaOutages);
        String report =
            CrashMatrixReport.markdown(
                settings, kills, figures, sendTime, allResultsAfter, logFindings(dir));
        System.out.println(report);
        CrashMatrixReport.write(settings.outputDir().resolve("crash-matrix.md"), report);
        LOG.info(
            "sending took {} s; last send {} ms ago",
            sendTime.toSeconds(),
            (System.nanoTime() - lastSend) / 1_000_000);

        assertThat(sent).hasSize(settings.requests());
        assertThat(kills).hasSize(schedule.size());
        assertThat(figures.lost()).as("requests lost").isZero();
        assertThat(figures.duplicateResults()).as("duplicate results").isZero();
        assertThat(figures.usageTwice()).as("usage events twice").isZero();
        assertThat(figures.usageEvents()).as("usage events").isEqualTo(figures.billableResults());
        assertThat(figures.billableWithoutUsage()).isZero();
        assertThat(figures.usageWithoutBillableResult()).isZero();
        assertThat(figures.rpmOvershoot()).as("RPM overshoot").isZero();
        assertThat(figures.tpmOvershoot()).as("TPM overshoot").isZero();
        assertThat(figures.concurrencyOvershoot()).as("concurrency overshoot").isZero();
        assertThat(figures.budgetOvershoot()).as("budget overshoot").isZero();
        assertThat(figures.twiceOtherwise())
            .as("provider calls made twice not explained by a worker kill")
            .isZero();
        // Each kind of limit was actually reached, or the overshoot checks proved nothing.
        assertThat(allResults)
            .extracting(r -> String.valueOf(r.getReason()))
            .contains("QUOTA_RPM", "QUOTA_TPM", "QUOTA_CONCURRENCY", "BUDGET_DAILY");
      }
    }
  }

  private void onResult(InferenceResult result) {
    allResults.add(result);
    results.computeIfAbsent(result.getRequestId(), id -> new CopyOnWriteArrayList<>()).add(result);
  }

  private long countAnswered(Set<String> sent) {
    return sent.stream().filter(results::containsKey).count();
  }

  private Duration awaitResults(Set<String> sent) throws InterruptedException {
    long start = System.nanoTime();
    long deadline = start + settings.resultTimeout().toNanos();
    while (countAnswered(sent) < sent.size() && System.nanoTime() < deadline) {
      Thread.sleep(250);
    }
    return Duration.ofNanos(System.nanoTime() - start);
  }

  private static void writePolicies(AibrokerProcesses system, TenantPlan plan) throws Exception {
    try (var producer =
        new KafkaProducer<>(
            Map.<String, Object>of("bootstrap.servers", system.bootstrapServers(), "acks", "all"),
            new StringSerializer(),
            system.serdes().tenants().serializer())) {
      for (TenantPolicy policy : plan.policies()) {
        producer.send(
            new ProducerRecord<>(AibrokerProcesses.TOPICS.tenants(), policy.getTenantId(), policy));
      }
      producer.flush();
    }
    // The broker reads policies as a table; give it a moment so the first requests see them.
    Thread.sleep(3_000);
  }

  private Void runChaos(AibrokerProcesses system, LoadGenerator load, List<Step> schedule)
      throws Exception {
    for (Step step : schedule) {
      while (load.started() < step.atRequest()) {
        Thread.sleep(20);
      }
      switch (step.target()) {
        case WORKER -> {
          // The worker with the most provider calls open: the kill that can cost the most.
          int n =
              system.workerNumbers().stream()
                  .max(java.util.Comparator.comparingInt(w -> openCalls(system.currentCallLog(w))))
                  .orElseThrow();
          Path log = system.currentCallLog(n);
          ChildJvm worker = system.worker(n);
          worker.kill();
          killedCallLogs.put(log, System.currentTimeMillis());
          int inFlight = openCalls(log);
          Thread.sleep(2_000); // down for a moment, as a real crash would be
          Duration back = system.startWorker(n);
          kills.add(
              new Kill(
                  Target.WORKER,
                  "worker-" + n,
                  step.atRequest(),
                  back.plusSeconds(2),
                  inFlight + " provider calls in flight"));
        }
        case APP -> {
          system.app().kill();
          Duration back = system.startApp();
          kills.add(new Kill(Target.APP, "broker app", step.atRequest(), back, ""));
        }
        case KAFKA -> {
          int node = 2;
          long killedAt = System.currentTimeMillis();
          system.kafka().kill(node);
          Thread.sleep(3_000);
          long started = System.nanoTime();
          system.kafka().restart(node);
          Duration inSync = system.kafka().awaitFullyReplicated(Duration.ofMinutes(3));
          // Leadership goes back to the restarted broker now, as kafka-leader-election would, not
          // minutes later when the controller's imbalance check gets to it: a leader move loses
          // acknowledgements too, and it belongs to this outage.
          electPreferredLeaders(system);
          kafkaOutages.add(new CrashMatrixCheck.Outage(killedAt, System.currentTimeMillis()));
          kills.add(
              new Kill(
                  Target.KAFKA,
                  "Kafka broker " + node,
                  step.atRequest(),
                  Duration.ofNanos(System.nanoTime() - started).plusSeconds(3).minus(inSync),
                  "all replicas in sync %.1f s after it served"
                      .formatted(inSync.toMillis() / 1e3)));
        }
      }
      LOG.info("chaos: {}", kills.getLast());
    }
    return null;
  }

  private static void electPreferredLeaders(AibrokerProcesses system) {
    try (Admin admin =
        Admin.create(Map.of("bootstrap.servers", system.kafka().bootstrapServers()))) {
      admin.electLeaders(ElectionType.PREFERRED, null).all().get(1, TimeUnit.MINUTES);
    } catch (ExecutionException e) {
      // ElectionNotNeededException for partitions already led by their preferred replica
      LOG.info("preferred leader election: {}", e.getCause().toString());
    } catch (InterruptedException | java.util.concurrent.TimeoutException e) {
      throw new IllegalStateException("preferred leader election did not finish", e);
    }
    try {
      Thread.sleep(2_000); // clients find the new leaders
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private static int openCalls(Path callLog) {
    Map<String, Integer> open = new LinkedHashMap<>();
    for (CallLog.Entry e : CallLog.read(callLog)) {
      if (e.start()) {
        open.merge(e.requestId(), 1, Integer::sum);
      } else {
        open.computeIfPresent(e.requestId(), (id, n) -> n > 1 ? n - 1 : null);
      }
    }
    return open.values().stream().mapToInt(Integer::intValue).sum();
  }

  /** Counts of notable lines in the child processes' logs. */
  private static Map<String, Long> logFindings(Path dir) throws Exception {
    Map<String, Long> findings = new LinkedHashMap<>();
    findings.put(
        "OutOfOrderSequenceException, app and workers",
        count(dir.resolve("logs"), "OutOfOrderSequenceException"));
    findings.put(
        "OutOfOrderSequenceException, Kafka brokers",
        count(dir.resolve("kafka"), "OutOfOrderSequenceException"));
    findings.put(
        "CONCURRENT_TRANSACTIONS retries, app",
        count(dir.resolve("logs"), "CONCURRENT_TRANSACTIONS"));
    findings.put("ERROR, app and workers", count(dir.resolve("logs"), " ERROR "));
    findings.put(
        "TaskCorruptedException (state wiped and restored), app",
        count(dir.resolve("logs"), "TaskCorruptedException: Tasks"));
    return findings;
  }

  private static long count(Path logs, String what) throws Exception {
    long count = 0;
    try (Stream<Path> files = Files.list(logs)) {
      for (Path file : files.filter(f -> f.toString().endsWith(".log")).toList()) {
        try (Stream<String> lines = Files.lines(file)) {
          count += lines.filter(l -> l.contains(what)).count();
        }
      }
    }
    return count;
  }
}
