package io.aibroker.broker;

import io.aibroker.records.DispatchRequest;
import io.aibroker.records.ErrorClass;
import io.aibroker.records.InferenceResult;
import io.aibroker.records.ProviderOutcome;
import io.aibroker.records.ResultStatus;
import io.aibroker.records.Route;
import io.aibroker.records.UsageEvent;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * Turns a worker's outcome into the request's one terminal result and, when billable, its one usage
 * event. Outcomes arrive at least once: one that does not match the in-flight attempt is a
 * duplicate and is dropped. A retryable failure fails over to the next route while routes and
 * deadline remain.
 */
final class CompleteRequestProcessor implements Processor<String, ProviderOutcome, String, Object> {

  private final PriceCatalog prices;
  private final Clock clock;
  private ProcessorContext<String, Object> context;
  private KeyValueStore<String, DispatchRequest> inFlight;

  CompleteRequestProcessor(PriceCatalog prices, Clock clock) {
    this.prices = prices;
    this.clock = clock;
  }

  @Override
  public void init(ProcessorContext<String, Object> context) {
    this.context = context;
    this.inFlight = context.getStateStore(NodeNames.IN_FLIGHT_STORE);
  }

  @Override
  public void process(Record<String, ProviderOutcome> record) {
    ProviderOutcome outcome = record.value();
    if (outcome == null) {
      return;
    }
    DispatchRequest dispatch = inFlight.get(outcome.getRequestId());
    if (dispatch == null || dispatch.getAttempt() != outcome.getAttempt()) {
      return; // a redelivered outcome of a request already completed or failed over
    }
    Instant now = clock.instant();
    if (outcome.getSuccess()) {
      succeed(record, dispatch, outcome, now);
    } else if (canFailOver(dispatch, outcome, now)) {
      failOver(record, dispatch, now);
    } else {
      boolean expired = dispatch.getDeadline() != null && !now.isBefore(dispatch.getDeadline());
      var status = expired ? ResultStatus.EXPIRED : ResultStatus.FAILED;
      publishResult(record, Results.failed(dispatch, outcome, status, now));
      inFlight.delete(outcome.getRequestId());
    }
  }

  private void succeed(
      Record<String, ProviderOutcome> record,
      DispatchRequest dispatch,
      ProviderOutcome outcome,
      Instant now) {
    var usage = outcome.getUsage();
    long in = usage == null ? 0 : usage.getInputTokens();
    long out = usage == null ? 0 : usage.getOutputTokens();
    var cost = prices.cost(outcome.getRoute().getProviderModel(), in, out);
    InferenceResult result = Results.succeeded(dispatch, outcome, cost, now);
    UsageEvent event = UsageEvents.billed(dispatch, outcome, cost, prices.version(), now);
    publishResult(record, result);
    context.forward(
        record.withKey(event.getTenantId()).withValue(event).withTimestamp(now.toEpochMilli()),
        NodeNames.USAGE_SINK);
    inFlight.delete(outcome.getRequestId());
  }

  private static boolean canFailOver(
      DispatchRequest dispatch, ProviderOutcome outcome, Instant now) {
    var error = outcome.getError();
    boolean retryable = error != null && error.getErrorClass() == ErrorClass.RETRYABLE;
    boolean beforeDeadline = dispatch.getDeadline() == null || now.isBefore(dispatch.getDeadline());
    return retryable && !dispatch.getFallbacks().isEmpty() && beforeDeadline;
  }

  private void failOver(
      Record<String, ProviderOutcome> record, DispatchRequest dispatch, Instant now) {
    List<Route> fallbacks = dispatch.getFallbacks();
    DispatchRequest next =
        DispatchRequest.newBuilder(dispatch)
            .setRoute(fallbacks.getFirst())
            .setFallbacks(fallbacks.subList(1, fallbacks.size()))
            .setAttempt(dispatch.getAttempt() + 1)
            .setDispatchedAt(now)
            .build();
    inFlight.put(next.getRequestId(), next);
    context.forward(
        record.withKey(next.getRequestId()).withValue(next).withTimestamp(now.toEpochMilli()),
        NodeNames.DISPATCH_SINK);
  }

  private void publishResult(Record<String, ProviderOutcome> record, InferenceResult result) {
    context.forward(
        record
            .withKey(result.getRequestId())
            .withValue(result)
            .withTimestamp(result.getCompletedAt().toEpochMilli()),
        NodeNames.RESULTS_SINK);
  }
}
