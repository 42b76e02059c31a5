package io.aibroker.workers;

import io.aibroker.connector.ProviderException;
import io.aibroker.connector.ProviderResponse;
import io.aibroker.records.DispatchRequest;
import io.aibroker.records.ErrorClass;
import io.aibroker.records.Output;
import io.aibroker.records.ProviderError;
import io.aibroker.records.ProviderOutcome;
import io.aibroker.records.TokenUsage;
import java.time.Duration;
import java.time.Instant;

/** Builds the outcome records workers report. */
final class Outcomes {

  private Outcomes() {}

  static ProviderOutcome success(
      DispatchRequest dispatch,
      ProviderResponse response,
      int deliveryCount,
      String workerId,
      Instant now) {
    var usage = response.usage();
    return base(dispatch, deliveryCount, workerId, now)
        .setSuccess(true)
        .setOutput(
            Output.newBuilder()
                .setText(response.text())
                .setFinishReason(response.finishReason())
                .setEmbeddings(
                    response.embeddings() == null ? java.util.List.of() : response.embeddings())
                .build())
        .setUsage(usage == null ? null : new TokenUsage(usage.inputTokens(), usage.outputTokens()))
        .setProviderMs(millis(response.providerLatency()))
        .build();
  }

  static ProviderOutcome failure(
      DispatchRequest dispatch,
      ProviderException error,
      long providerMs,
      int deliveryCount,
      String workerId,
      Instant now) {
    return base(dispatch, deliveryCount, workerId, now)
        .setSuccess(false)
        .setError(
            ProviderError.newBuilder()
                .setErrorClass(ErrorClass.valueOf(error.errorClass().name()))
                .setCode(error.providerCode() == null ? "unknown" : error.providerCode())
                .setHttpStatus(error.httpStatus() == 0 ? null : error.httpStatus())
                .setMessage(String.valueOf(error.getMessage()))
                .setRetryAfterMs(error.retryAfter().map(Duration::toMillis).orElse(null))
                .build())
        .setProviderMs(providerMs)
        .build();
  }

  private static ProviderOutcome.Builder base(
      DispatchRequest dispatch, int deliveryCount, String workerId, Instant now) {
    return ProviderOutcome.newBuilder()
        .setRequestId(dispatch.getRequestId())
        .setTenantId(dispatch.getTenantId())
        .setRoute(dispatch.getRoute())
        .setAttempt(dispatch.getAttempt())
        .setCalls(1)
        .setDeliveryCount(deliveryCount)
        .setWorkerId(workerId)
        .setCompletedAt(now);
  }

  private static long millis(Duration duration) {
    return duration == null ? 0 : duration.toMillis();
  }
}
