package io.aibroker.connector.simulated;

import io.aibroker.connector.Connector;
import io.aibroker.connector.ProviderCall;
import io.aibroker.connector.ProviderErrorMapper;
import io.aibroker.connector.ProviderException;
import io.aibroker.connector.ProviderResponse;
import io.aibroker.connector.ProviderServerException;
import io.aibroker.connector.ProviderTimeoutException;
import io.aibroker.connector.RateLimitedException;
import io.aibroker.connector.Task;
import io.aibroker.connector.TextDelta;
import io.aibroker.connector.TokenUsage;
import io.aibroker.connector.batch.BatchApi;
import io.aibroker.connector.batch.BatchLineResult;
import io.aibroker.connector.batch.BatchSubmission;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

/**
 * A provider that runs in-process: deterministic replies (see {@link SimulatedModel}), latency with
 * jitter, a failure rate and throttle windows, all from {@link SimulatedConfig}.
 *
 * <p>Waiting costs no thread: every call is a task on one timer thread, so thousands of calls in
 * flight are cheap. Stages complete, and deltas are delivered, on that thread: callers must not
 * block in their callbacks (chain with the {@code *Async} methods if they need to).
 *
 * <p>Scripted {@link SimulatedFault}s (429 storms, 5xx bursts, hangs, streams cut mid-way) are
 * timed from the connector's creation. The injected clock decides throttle and fault windows and
 * deadlines; latency is real time.
 *
 * <p>Its {@link #batch() batch API} holds jobs in memory and completes them after {@code
 * batch-latency} on the injected clock; a restarted process has lost them (see {@link
 * SimulatedBatchApi}).
 */
public final class SimulatedConnector implements Connector {

  /** The provider name. */
  public static final String PROVIDER = SimulatedConnectorFactory.NAME;

  /** Streamed replies come in at most this many deltas. */
  static final int MAX_DELTAS = 16;

  private static final AtomicInteger TIMER_THREADS = new AtomicInteger();

  private final SimulatedConfig config;
  private final Clock clock;
  private final ScheduledExecutorService timer;
  private final FailureSchedule failures;
  private final Instant created;
  private final ProviderErrorMapper errorMapper = new SimulatedErrorMapper();
  private final CallLog callLog;
  private final PromptCache promptCache;
  private final SimulatedBatchApi batch;

  /**
   * @param config the behaviour
   * @param clock decides throttle windows and deadlines
   */
  public SimulatedConnector(SimulatedConfig config, Clock clock) {
    this.config = Objects.requireNonNull(config, "config");
    this.clock = Objects.requireNonNull(clock, "clock");
    // One thread: it only fires timers, and it keeps the deltas of a stream in order.
    this.timer =
        Executors.newSingleThreadScheduledExecutor(
            runnable -> {
              Thread thread =
                  new Thread(
                      runnable, "aibroker-simulated-timer-" + TIMER_THREADS.incrementAndGet());
              thread.setDaemon(true);
              return thread;
            });
    this.failures = new FailureSchedule(config.failureRate(), config.seed());
    this.created = clock.instant();
    this.callLog = config.callLog() == null ? null : new CallLog(Path.of(config.callLog()));
    this.promptCache = new PromptCache(clock);
    this.batch = new SimulatedBatchApi(config, clock, this::batchLine, this::rejectBatch);
  }

  @Override
  public String provider() {
    return PROVIDER;
  }

  @Override
  public CompletionStage<ProviderResponse> call(ProviderCall call) {
    return respond(call, null);
  }

  @Override
  public CompletionStage<ProviderResponse> stream(ProviderCall call, Consumer<TextDelta> onDelta) {
    return respond(call, Objects.requireNonNull(onDelta, "onDelta"));
  }

  /**
   * An in-process batch API (see {@link SimulatedBatchApi}): jobs complete after the configured
   * {@code batch-latency} and are lost when the process ends.
   */
  @Override
  public Optional<BatchApi> batch() {
    return Optional.of(batch);
  }

  @Override
  public ProviderErrorMapper errorMapper() {
    return errorMapper;
  }

  /** Stops taking calls; calls in flight still complete. */
  @Override
  public void close() {
    timer.shutdown();
    if (callLog != null) {
      callLog.close();
    }
  }

  /**
   * Answers {@code call} after its latency, streaming the text to {@code onDelta} on the way unless
   * it is {@code null}.
   */
  private CompletableFuture<ProviderResponse> respond(
      ProviderCall call, Consumer<TextDelta> onDelta) {
    Objects.requireNonNull(call, "call");
    if (callLog == null) {
      return answer(call, onDelta);
    }
    callLog.started(
        System.currentTimeMillis(), call.requestId(), String.valueOf(call.deployment()));
    // The caller gets the stage that completes after the end is logged: with the original future
    // a caller's own stage could run first (and close the log), and the end line was lost.
    return answer(call, onDelta)
        .whenComplete(
            (response, failure) ->
                callLog.ended(System.currentTimeMillis(), call.requestId(), failure == null));
  }

  private CompletableFuture<ProviderResponse> answer(
      ProviderCall call, Consumer<TextDelta> onDelta) {
    ProviderException rejection = rejectNow(call);
    if (rejection != null) {
      return CompletableFuture.failedFuture(rejection);
    }
    Duration latency = latencyOf(call);
    CompletableFuture<ProviderResponse> result = new CompletableFuture<>();
    SimulatedFault fault = activeFault(call);
    if (fault != null && fault.kind() == SimulatedFault.Kind.HANG) {
      return result; // only the caller's timeout or cancellation ends it; nothing is scheduled
    }
    try {
      if (fault != null && fault.kind() == SimulatedFault.Kind.SERVER_ERROR) {
        schedule(latency, () -> result.completeExceptionally(serverError()));
      } else if (fault != null && fault.kind() == SimulatedFault.Kind.STREAM_CUT) {
        cutMidway(call, latency, onDelta, result);
      } else if (failures.fails(call.requestId())) {
        schedule(latency, () -> result.completeExceptionally(serverError()));
      } else {
        ProviderResponse response =
            call.task() == Task.EMBED ? SimulatedModel.embed(call) : chat(call);
        if (onDelta != null && response.text() != null) {
          scheduleDeltas(pieces(response.text()), latency, onDelta, result);
        }
        schedule(latency, () -> result.complete(response));
      }
    } catch (RejectedExecutionException closed) {
      result.completeExceptionally(
          new IllegalStateException("simulated connector is closed", closed));
    }
    return result;
  }

  /**
   * One line of a batch job, answered as {@link #call} would answer it when the job completes: the
   * same text and usage, the same per-call failures (which fail only their own line), at the batch
   * tier. Throttle and fault windows are left out: they model the real-time endpoint's capacity,
   * which a batch job does not compete for.
   */
  BatchLineResult batchLine(ProviderCall call) {
    if (callLog != null) {
      callLog.started(
          System.currentTimeMillis(), call.requestId(), String.valueOf(call.deployment()));
    }
    BatchLineResult result;
    if (failures.fails(call.requestId())) {
      result = new BatchLineResult.Failed(serverError());
    } else {
      ProviderResponse response =
          call.task() == Task.EMBED ? SimulatedModel.embed(call) : chat(call);
      result = new BatchLineResult.Answered(response.withServiceTier(BatchApi.BATCH_TIER));
    }
    if (callLog != null) {
      callLog.ended(
          System.currentTimeMillis(), call.requestId(), result instanceof BatchLineResult.Answered);
    }
    return result;
  }

  /** A batch job to a deployment in a simulated outage is refused, as its calls would be. */
  private RuntimeException rejectBatch(BatchSubmission submission) {
    String deployment = submission.deployment();
    return deployment != null && config.failingDeployments().contains(deployment)
        ? outage(deployment)
        : null;
  }

  /**
   * The model's reply with the token classes a real provider reports: cache reads and writes from
   * the prompt cache (decided when the call is answered, as a provider does), reasoning as the
   * configured share of the output.
   */
  private ProviderResponse chat(ProviderCall call) {
    ProviderResponse reply = SimulatedModel.chat(call, config.maxOutputTokens());
    TokenUsage usage = promptCache.apply(call, reply.usage());
    usage = usage.withReasoning((long) Math.floor(usage.outputTokens() * config.reasoningRatio()));
    return new ProviderResponse(
        reply.text(),
        reply.finishReason(),
        reply.embeddings(),
        usage,
        reply.providerLatency(),
        call.serviceTier());
  }

  /** Failures that come back at once, before any "work": a passed deadline, a throttle window. */
  private ProviderException rejectNow(ProviderCall call) {
    if (call.deadlinePassed(clock.instant())) {
      return new ProviderTimeoutException(
          PROVIDER, "deadline passed before the call started", "deadline_passed", 0, null, null);
    }
    if (call.deployment() != null && config.failingDeployments().contains(call.deployment())) {
      return outage(call.deployment());
    }
    SimulatedFault fault = activeFault(call);
    if (fault != null && fault.kind() == SimulatedFault.Kind.RATE_LIMITED) {
      return new RateLimitedException(
          PROVIDER,
          "simulated 429 storm",
          "throttled",
          429,
          Objects.requireNonNullElse(fault.retryAfter(), config.retryAfter()),
          null);
    }
    if (config.throttles()) {
      long phase = Math.floorMod(clock.millis(), config.throttleEvery().toMillis());
      if (phase < config.throttleFor().toMillis()) {
        return new RateLimitedException(
            PROVIDER, "simulated throttling window", "throttled", 429, config.retryAfter(), null);
      }
    }
    return null;
  }

  /** The first configured fault whose window covers now and the call's deployment, or null. */
  private SimulatedFault activeFault(ProviderCall call) {
    if (config.faults().isEmpty()) {
      return null;
    }
    Duration elapsed = Duration.between(created, clock.instant());
    for (SimulatedFault fault : config.faults()) {
      if (fault.covers(elapsed, call.deployment())) {
        return fault;
      }
    }
    return null;
  }

  /**
   * A reply cut in transit: a streaming call gets the first half of its deltas, then fails with a
   * retryable error at its latency, without the final usage; a plain call just fails then.
   */
  private void cutMidway(
      ProviderCall call,
      Duration latency,
      Consumer<TextDelta> onDelta,
      CompletableFuture<ProviderResponse> result) {
    if (onDelta != null && call.task() == Task.CHAT) {
      String text = SimulatedModel.chat(call, config.maxOutputTokens()).text();
      List<String> pieces = pieces(text == null ? "" : text);
      if (!pieces.isEmpty()) {
        scheduleDeltas(pieces.subList(0, Math.max(1, pieces.size() / 2)), latency, onDelta, result);
      }
    }
    schedule(
        latency,
        () ->
            result.completeExceptionally(
                new ProviderServerException(
                    PROVIDER,
                    "simulated connection cut mid-way through the reply",
                    "stream_cut",
                    0,
                    null,
                    null)));
  }

  /** Base latency plus jitter drawn from seed and request id, so a run is reproducible. */
  Duration latencyOf(ProviderCall call) {
    long jitterNanos = config.jitter().toNanos();
    if (jitterNanos == 0) {
      return config.latency();
    }
    SplittableRandom random =
        new SplittableRandom(new Fingerprint().add(config.seed()).add(call.requestId()).value());
    return config.latency().plusNanos(random.nextLong(jitterNanos + 1));
  }

  /**
   * Spreads the text over the latency in word-sized pieces. All pieces are scheduled up front, at
   * increasing delays on the single timer thread, which keeps them in order and lets them finish
   * after {@link #close()}.
   */
  private void scheduleDeltas(
      List<String> pieces,
      Duration latency,
      Consumer<TextDelta> onDelta,
      CompletableFuture<ProviderResponse> result) {
    long step = latency.toNanos() / (pieces.size() + 1);
    for (int i = 0; i < pieces.size(); i++) {
      TextDelta delta = new TextDelta(i, pieces.get(i));
      schedule(
          Duration.ofNanos(step * (i + 1)),
          () -> {
            if (result.isDone()) {
              return; // cancelled, or an earlier delta's consumer failed
            }
            try {
              onDelta.accept(delta);
            } catch (RuntimeException consumerFailure) {
              result.completeExceptionally(consumerFailure);
            }
          });
    }
  }

  /** Words with their trailing space, grouped so there are at most {@link #MAX_DELTAS}. */
  static List<String> pieces(String text) {
    if (text.isEmpty()) {
      return List.of();
    }
    String[] words = text.split("(?<= )");
    int perPiece = Math.ceilDiv(words.length, MAX_DELTAS);
    List<String> pieces = new ArrayList<>();
    for (int i = 0; i < words.length; i += perPiece) {
      pieces.add(String.join("", List.of(words).subList(i, Math.min(words.length, i + perPiece))));
    }
    return pieces;
  }

  private void schedule(Duration delay, Runnable task) {
    timer.schedule(task, delay.toNanos(), TimeUnit.NANOSECONDS);
  }

  private static ProviderServerException outage(String deployment) {
    return new ProviderServerException(
        PROVIDER, "simulated outage of deployment " + deployment, "outage", 503, null, null);
  }

  private static ProviderServerException serverError() {
    return new ProviderServerException(
        PROVIDER, "simulated provider failure", "service_unavailable", 503, null, null);
  }
}
