package io.aibroker.workers;

import io.aibroker.connector.Connector;
import io.aibroker.connector.ErrorClass;
import io.aibroker.connector.ProviderCall;
import io.aibroker.connector.TextDelta;
import io.aibroker.records.DispatchRequest;
import io.aibroker.records.ProviderErrorKind;
import io.aibroker.records.ProviderOutcome;
import io.aibroker.records.ResultChunk;
import io.aibroker.topics.DeadLetterHeaders;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.function.Consumer;
import org.apache.kafka.clients.consumer.AcknowledgeType;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.serialization.Deserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Everything the worker does with one delivered dispatch record, up to the moment it may be
 * acknowledged:
 *
 * <ol>
 *   <li>Bytes that are not a DispatchRequest go to the DLQ (cause {@link
 *       DeadLetters#CAUSE_UNREADABLE}); the record is then REJECTed.
 *   <li>A record on its {@link WorkerConfig#deliveryLimit()}-th delivery gets a TERMINAL {@link
 *       Outcomes#DELIVERY_LIMIT} outcome and a DLQ copy instead of another call, then is REJECTed.
 *   <li>A dispatch for the batch path whose connector has a batch API is pooled ({@link
 *       BatchJobs}): its record is acknowledged once the job that takes it is recorded.
 *   <li>Otherwise the provider is called ({@link ProviderCaller}); streamed text goes to the
 *       results-stream topic as it arrives; the outcome is written, and only once the broker
 *       acknowledged it is the record ACCEPTed.
 * </ol>
 *
 * <p>A failed write RELEASEs the record, so another delivery tries again. Work runs on {@code
 * executor} (virtual threads), since decoding and writing may block on the Schema Registry or on
 * Kafka metadata; the calls themselves are asynchronous.
 */
final class DispatchProcessor {

  private static final Logger LOG = LoggerFactory.getLogger(DispatchProcessor.class);
  private static final Logger CONTENT = LoggerFactory.getLogger(WorkerConfig.CONTENT_LOGGER);

  private final WorkerConfig config;
  private final Map<String, Connector> connectors;
  private final Deserializer<DispatchRequest> reader;
  private final ProviderCaller caller;
  private final RecordSink sink;
  private final Executor executor;
  private final Clock clock;
  private final WorkerMetrics metrics;
  private final ReportedOutcomes reported;
  private final BatchJobs batchJobs;

  DispatchProcessor(
      WorkerConfig config,
      Map<String, Connector> connectors,
      Deserializer<DispatchRequest> reader,
      ProviderCaller caller,
      RecordSink sink,
      Executor executor,
      Clock clock,
      WorkerMetrics metrics,
      ReportedOutcomes reported,
      BatchJobs batchJobs) {
    this.config = Objects.requireNonNull(config, "config");
    this.connectors = Map.copyOf(connectors);
    this.reader = Objects.requireNonNull(reader, "reader");
    this.caller = Objects.requireNonNull(caller, "caller");
    this.sink = Objects.requireNonNull(sink, "sink");
    this.executor = Objects.requireNonNull(executor, "executor");
    this.clock = Objects.requireNonNull(clock, "clock");
    this.metrics = Objects.requireNonNull(metrics, "metrics");
    this.reported = Objects.requireNonNull(reported, "reported");
    this.batchJobs = batchJobs;
  }

  /** Starts working on {@code record}; returns at once. */
  Processing process(ConsumerRecord<byte[], byte[]> record) {
    Processing processing = new Processing();
    executor.execute(
        () -> {
          try {
            handle(record, processing);
          } catch (RuntimeException | Error bug) {
            LOG.error(
                "failed handling {}-{}@{}; releasing it",
                record.topic(),
                record.partition(),
                record.offset(),
                bug);
            processing.acknowledge(AcknowledgeType.RELEASE);
          }
        });
    return processing;
  }

  private void handle(ConsumerRecord<byte[], byte[]> record, Processing processing) {
    int deliveryCount = record.deliveryCount().map(Short::intValue).orElse(1);
    DispatchRequest dispatch;
    try {
      dispatch = reader.deserialize(record.topic(), record.headers(), record.value());
      if (dispatch == null) {
        throw new IllegalArgumentException("the record has no value");
      }
    } catch (RuntimeException unreadable) {
      LOG.warn(
          "unreadable dispatch record {}-{}@{}; sending it to the DLQ: {}",
          record.topic(),
          record.partition(),
          record.offset(),
          unreadable.toString());
      deadLetterOnly(record, DeadLetters.describe(unreadable), deliveryCount, processing);
      return;
    }
    if (reported.contains(ReportedOutcomes.key(dispatch.getRequestId(), dispatch.getAttempt()))) {
      // Its outcome is written; only the acknowledgement was lost (e.g. the share-partition
      // leader died). Calling the provider again would pay for the same answer twice. Whatever the
      // delivery count says: a new share-partition leader may deliver it as a first delivery.
      LOG.info(
          "dispatch {} (attempt {}) delivered again after its outcome was written; accepting it",
          dispatch.getRequestId(),
          dispatch.getAttempt());
      metrics.redeliveryAnswered();
      processing.acknowledge(AcknowledgeType.ACCEPT);
      return;
    }
    if (deliveryCount >= config.deliveryLimit()) {
      deliveryLimitReached(record, dispatch, deliveryCount, processing);
      return;
    }
    Connector connector = connectors.get(dispatch.getRoute().getProvider());
    if (connector == null) {
      report(
          dispatch,
          notCalled(
              Outcomes.NO_CONNECTOR,
              ErrorClass.RETRYABLE,
              ProviderErrorKind.UNAVAILABLE,
              "worker " + config.workerId() + " has no connector for this provider"),
          deliveryCount,
          null,
          processing);
      return;
    }
    ProviderCall call;
    try {
      call = ProviderCalls.from(dispatch);
    } catch (RuntimeException invalid) {
      report(
          dispatch,
          notCalled(
              Outcomes.INVALID_REQUEST,
              ErrorClass.TERMINAL,
              ProviderErrorKind.INVALID_REQUEST,
              invalid.getMessage()),
          deliveryCount,
          null,
          processing);
      return;
    }
    if (batchJobs != null && BatchJobs.takes(dispatch, connector) && !call.stream()) {
      batchJobs.pool(dispatch, processing);
      return;
    }
    if (config.includeContent() && CONTENT.isDebugEnabled()) {
      CONTENT.debug(
          "call {} of tenant {} to {}/{}: messages {} inputs {}",
          call.requestId(),
          call.tenantId(),
          dispatch.getRoute().getProvider(),
          call.providerModel(),
          // ChatMessage.toString() hides the text on purpose: spell it out here
          call.messages().stream().map(m -> m.role() + ": " + m.content()).toList(),
          call.inputs());
    }
    ChunkPublisher chunks = call.stream() ? new ChunkPublisher(dispatch) : null;
    ProviderCaller.Calls calls =
        caller.start(connector, call, Deployment.of(dispatch.getRoute()), chunks);
    processing.onAbandon(calls::cancel);
    calls
        .result()
        .thenAcceptAsync(
            result -> report(dispatch, result, deliveryCount, chunks, processing), executor);
  }

  /** Writes the outcome (after any chunks), then ACCEPTs; RELEASEs if a write failed. */
  private void report(
      DispatchRequest dispatch,
      CallResult result,
      int deliveryCount,
      ChunkPublisher chunks,
      Processing processing) {
    CompletableFuture<Void> chunksWritten =
        chunks == null ? CompletableFuture.completedFuture(null) : chunks.written();
    chunksWritten
        .exceptionally(
            failed -> {
              // The outcome carries the whole text, so the result is still right; only live
              // readers of the stream missed a piece.
              LOG.warn("a stream chunk of {} was not written", dispatch.getRequestId(), failed);
              return null;
            })
        .thenCompose(
            written -> {
              if (processing.abandoned()) {
                return CompletableFuture.completedFuture(null);
              }
              logContent(dispatch, result);
              ProviderOutcome outcome =
                  Outcomes.of(dispatch, result, deliveryCount, config.workerId(), clock.instant());
              return sink.outcome(outcome)
                  .thenRun(
                      () -> {
                        reported.add(
                            ReportedOutcomes.key(dispatch.getRequestId(), dispatch.getAttempt()));
                        metrics.outcome(dispatch.getRoute().getProvider(), resultTag(result));
                      });
            })
        .whenComplete(
            (written, failed) -> {
              if (failed != null) {
                LOG.warn(
                    "could not write the outcome of {}; releasing it for another delivery",
                    dispatch.getRequestId(),
                    failed);
              }
              processing.acknowledge(
                  failed == null && !processing.abandoned()
                      ? AcknowledgeType.ACCEPT
                      : AcknowledgeType.RELEASE);
            });
  }

  /** The provider's answer, only when content logging is on. */
  private void logContent(DispatchRequest dispatch, CallResult result) {
    if (config.includeContent()
        && CONTENT.isDebugEnabled()
        && result instanceof CallResult.Answered answered) {
      var response = answered.response();
      CONTENT.debug(
          "answer to {}: {}",
          dispatch.getRequestId(),
          response.text() != null
              ? response.text()
              : "(" + response.embeddings().size() + " embeddings)");
    }
  }

  private void deliveryLimitReached(
      ConsumerRecord<byte[], byte[]> record,
      DispatchRequest dispatch,
      int deliveryCount,
      Processing processing) {
    String why =
        "delivered "
            + deliveryCount
            + " times, the limit is "
            + config.deliveryLimit()
            + "; no further call is made";
    LOG.warn("dispatch {} {}", dispatch.getRequestId(), why);
    ProviderOutcome outcome =
        Outcomes.of(
            dispatch,
            notCalled(Outcomes.DELIVERY_LIMIT, ErrorClass.TERMINAL, ProviderErrorKind.OTHER, why),
            deliveryCount,
            config.workerId(),
            clock.instant());
    CompletableFuture<?> outcomeWritten = sink.outcome(outcome);
    CompletableFuture<?> letterWritten =
        sink.deadLetter(
            DeadLetters.of(
                config.topics().dlq(),
                record,
                DeadLetterHeaders.CAUSE_DELIVERY_LIMIT,
                why,
                deliveryCount,
                config.workerId()));
    CompletableFuture.allOf(outcomeWritten, letterWritten)
        .whenComplete(
            (written, failed) -> {
              if (failed == null) {
                metrics.outcome(dispatch.getRoute().getProvider(), WorkerMetrics.RESULT_TERMINAL);
                metrics.deadLetter(DeadLetterHeaders.CAUSE_DELIVERY_LIMIT);
              } else {
                LOG.warn(
                    "could not report {} at its delivery limit", dispatch.getRequestId(), failed);
              }
              processing.acknowledge(
                  failed == null ? AcknowledgeType.REJECT : AcknowledgeType.RELEASE);
            });
  }

  private void deadLetterOnly(
      ConsumerRecord<byte[], byte[]> record,
      String error,
      int deliveryCount,
      Processing processing) {
    sink.deadLetter(
            DeadLetters.of(
                config.topics().dlq(),
                record,
                DeadLetterHeaders.CAUSE_UNREADABLE,
                error,
                deliveryCount,
                config.workerId()))
        .whenComplete(
            (written, failed) -> {
              if (failed == null) {
                metrics.deadLetter(DeadLetterHeaders.CAUSE_UNREADABLE);
              } else {
                LOG.warn("could not write a dead letter", failed);
              }
              processing.acknowledge(
                  failed == null ? AcknowledgeType.REJECT : AcknowledgeType.RELEASE);
            });
  }

  private static CallResult notCalled(
      String code, ErrorClass errorClass, ProviderErrorKind kind, String message) {
    return new CallResult.NotCalled(code, errorClass, kind, message == null ? code : message, 0, 0);
  }

  /** The outcome metric's result tag of {@code result}. */
  static String resultTag(CallResult result) {
    return switch (result) {
      case CallResult.Answered answered -> WorkerMetrics.RESULT_SUCCESS;
      case CallResult.Failed failed ->
          failed.error().errorClass() == ErrorClass.RETRYABLE
              ? WorkerMetrics.RESULT_RETRYABLE
              : WorkerMetrics.RESULT_TERMINAL;
      case CallResult.NotCalled notCalled ->
          notCalled.errorClass() == ErrorClass.RETRYABLE
              ? WorkerMetrics.RESULT_RETRYABLE
              : WorkerMetrics.RESULT_TERMINAL;
    };
  }

  /**
   * Publishes the deltas of one streaming call as ResultChunks, numbered from 0. Deltas arrive in
   * order, one at a time, on the connector's thread; the sends keep that order (one producer, one
   * partition per request id).
   */
  private final class ChunkPublisher implements Consumer<TextDelta> {
    private final DispatchRequest dispatch;
    private final List<CompletableFuture<?>> writes = new ArrayList<>();
    private int sequence;

    ChunkPublisher(DispatchRequest dispatch) {
      this.dispatch = dispatch;
    }

    @Override
    public void accept(TextDelta delta) {
      if (delta.text().isEmpty()) {
        return;
      }
      ResultChunk chunk =
          ResultChunk.newBuilder()
              .setRequestId(dispatch.getRequestId())
              .setTenantId(dispatch.getTenantId())
              .setAttempt(dispatch.getAttempt())
              .setSequence(sequence++)
              .setDelta(delta.text())
              .setCreatedAt(clock.instant())
              .build();
      CompletableFuture<?> write = sink.chunk(chunk);
      synchronized (writes) {
        writes.add(write);
        if (dispatch.getTenantTopics()) {
          writes.add(sink.tenantChunk(chunk));
        }
      }
    }

    /** Completes when every chunk published so far is written; fails if one was not. */
    CompletableFuture<Void> written() {
      synchronized (writes) {
        return CompletableFuture.allOf(writes.toArray(CompletableFuture[]::new));
      }
    }
  }
}
