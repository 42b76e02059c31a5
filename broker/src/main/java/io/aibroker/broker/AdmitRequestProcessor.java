package io.aibroker.broker;

import io.aibroker.records.DispatchRequest;
import io.aibroker.records.InferenceRequest;
import io.aibroker.records.InferenceResult;
import io.aibroker.records.Route;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * Admits a request keyed by its tenant: validates it, and either publishes a REJECTED result or
 * dispatches it to the first route of its model, remembering it as in flight until its outcome
 * comes back.
 */
final class AdmitRequestProcessor implements Processor<String, InferenceRequest, String, Object> {

  private final RequestValidator validator;
  private final ModelCatalog models;
  private final Clock clock;
  private ProcessorContext<String, Object> context;
  private KeyValueStore<String, DispatchRequest> inFlight;

  AdmitRequestProcessor(RequestValidator validator, ModelCatalog models, Clock clock) {
    this.validator = validator;
    this.models = models;
    this.clock = clock;
  }

  @Override
  public void init(ProcessorContext<String, Object> context) {
    this.context = context;
    this.inFlight = context.getStateStore(NodeNames.IN_FLIGHT_STORE);
  }

  @Override
  public void process(Record<String, InferenceRequest> record) {
    InferenceRequest request = record.value();
    Instant now = clock.instant();
    var rejection = validator.validate(request, now);
    if (rejection.isPresent()) {
      InferenceResult result = Results.rejected(request, rejection.get(), now);
      context.forward(
          record.withKey(result.getRequestId()).withValue(result), NodeNames.RESULTS_SINK);
      return;
    }
    if (inFlight.get(request.getRequestId()) != null) {
      return; // the same request delivered again: it is already on its way
    }
    List<Route> routes = models.resolve(request.getModel()).orElseThrow().routes();
    DispatchRequest dispatch =
        DispatchRequest.newBuilder()
            .setRequestId(request.getRequestId())
            .setTenantId(request.getTenantId())
            .setRequest(request)
            .setRoute(routes.getFirst())
            .setAttempt(1)
            .setFallbacks(routes.subList(1, routes.size()))
            .setDeadline(request.getDeadline())
            .setDispatchedAt(now)
            .build();
    inFlight.put(request.getRequestId(), dispatch);
    context.forward(
        record.withKey(request.getRequestId()).withValue(dispatch), NodeNames.DISPATCH_SINK);
  }
}
