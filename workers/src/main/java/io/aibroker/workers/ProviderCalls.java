package io.aibroker.workers;

import io.aibroker.connector.CacheLifetime;
import io.aibroker.connector.ChatMessage;
import io.aibroker.connector.GenerationParams;
import io.aibroker.connector.ProviderCall;
import io.aibroker.connector.Task;
import io.aibroker.connector.batch.BatchApi;
import io.aibroker.records.DispatchRequest;
import io.aibroker.records.InferenceRequest;

/**
 * Translates a dispatched request into the connector's call: the messages with their cache points,
 * and the route's provider model, deployment and service tier.
 */
final class ProviderCalls {

  private ProviderCalls() {}

  static ProviderCall from(DispatchRequest dispatch) {
    InferenceRequest request = dispatch.getRequest();
    Task task = Task.valueOf(request.getTask().name());
    var params = request.getParams();
    GenerationParams generation =
        params == null
            ? GenerationParams.defaults()
            : new GenerationParams(
                params.getMaxTokens(), params.getTemperature(), params.getTopP(), params.getStop());
    return new ProviderCall(
        request.getRequestId(),
        request.getTenantId(),
        task,
        dispatch.getRoute().getProviderModel(),
        dispatch.getRoute().getDeployment(),
        request.getMessages().stream()
            .map(m -> new ChatMessage(m.getRole(), m.getContent(), cachePoint(m)))
            .toList(),
        request.getInputs(),
        generation,
        task == Task.CHAT && request.getStream(),
        dispatch.getDeadline(),
        tier(dispatch));
  }

  /**
   * The route's tier for a real-time call. A dispatch meant for a batch job and called in real time
   * asks for the standard tier: real-time APIs sell no batch tier.
   */
  private static String tier(DispatchRequest dispatch) {
    return dispatch.getRoute().getBatch() != null
        ? ProviderCall.STANDARD_TIER
        : dispatch.getRoute().getServiceTier();
  }

  /** The dispatch as a line of a provider batch job: the call at the batch tier. */
  static ProviderCall batchLine(DispatchRequest dispatch) {
    return from(dispatch).withServiceTier(BatchApi.BATCH_TIER);
  }

  /** The message's cache point in the connector's terms; {@code null} for none. */
  private static CacheLifetime cachePoint(io.aibroker.records.ChatMessage message) {
    return message.getCachePoint() == null
        ? null
        : CacheLifetime.valueOf(message.getCachePoint().name());
  }
}
