package io.aibroker.workers;

import io.aibroker.connector.ErrorKind;
import io.aibroker.connector.ProviderCall;
import io.aibroker.connector.ProviderException;
import io.aibroker.connector.ProviderResponse;
import io.aibroker.records.DispatchRequest;
import io.aibroker.records.ErrorClass;
import io.aibroker.records.Output;
import io.aibroker.records.ProviderError;
import io.aibroker.records.ProviderErrorKind;
import io.aibroker.records.ProviderOutcome;
import io.aibroker.records.TokenUsage;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

/** Builds the outcome records workers report, and names the error codes the worker itself uses. */
public final class Outcomes {

  /** The deployment's circuit is open: no call was made; RETRYABLE, so the broker fails over. */
  public static final String CIRCUIT_OPEN = "CIRCUIT_OPEN";

  /** The request's deadline passed before a call could start; TERMINAL. */
  public static final String DEADLINE_EXCEEDED = "DEADLINE_EXCEEDED";

  /** The record was delivered as often as allowed; TERMINAL, and the record goes to the DLQ. */
  public static final String DELIVERY_LIMIT = "DELIVERY_LIMIT";

  /** This worker has no connector for the route's provider; RETRYABLE, another route may work. */
  public static final String NO_CONNECTOR = "NO_CONNECTOR";

  /** The dispatched request cannot be made into a provider call; TERMINAL. */
  public static final String INVALID_REQUEST = "INVALID_REQUEST";

  private Outcomes() {}

  /** The outcome of {@code result} for {@code dispatch}. */
  static ProviderOutcome of(
      DispatchRequest dispatch,
      CallResult result,
      int deliveryCount,
      String workerId,
      Instant now) {
    ProviderOutcome.Builder outcome =
        ProviderOutcome.newBuilder()
            .setRequestId(dispatch.getRequestId())
            .setTenantId(dispatch.getTenantId())
            .setRoute(dispatch.getRoute())
            .setAttempt(dispatch.getAttempt())
            .setCalls(result.calls())
            .setProviderMs(result.providerMs())
            .setDeliveryCount(deliveryCount)
            .setWorkerId(workerId)
            .setCompletedAt(now);
    return switch (result) {
      case CallResult.Answered answered -> success(outcome, answered.response(), dispatch);
      case CallResult.Failed failed ->
          outcome.setSuccess(false).setError(error(failed.error())).build();
      case CallResult.NotCalled notCalled ->
          outcome
              .setSuccess(false)
              .setError(
                  ProviderError.newBuilder()
                      .setErrorClass(ErrorClass.valueOf(notCalled.errorClass().name()))
                      .setKind(notCalled.kind())
                      .setCode(notCalled.code())
                      .setHttpStatus(null)
                      .setMessage(notCalled.message())
                      .setRetryAfterMs(null)
                      .build())
              .build();
    };
  }

  private static ProviderOutcome success(
      ProviderOutcome.Builder outcome, ProviderResponse response, DispatchRequest dispatch) {
    var usage = response.usage();
    return outcome
        .setSuccess(true)
        .setOutput(
            Output.newBuilder()
                .setText(response.text())
                .setFinishReason(response.finishReason())
                .setEmbeddings(response.embeddings() == null ? List.of() : response.embeddings())
                .build())
        .setUsage(usage == null ? null : usage(usage))
        .setServiceTier(servedTier(response, dispatch))
        .build();
  }

  /**
   * The tier the provider served at: as it says; otherwise the route's, except that a dispatch
   * meant for a batch job but called in real time (its worker has no batch API for it) was served
   * at the standard tier and is priced so.
   */
  private static String servedTier(ProviderResponse response, DispatchRequest dispatch) {
    if (response.serviceTier() != null) {
      return response.serviceTier();
    }
    return dispatch.getRoute().getBatch() != null ? ProviderCall.STANDARD_TIER : null;
  }

  /** Every token class the connector reported, as the outcome carries it. */
  static TokenUsage usage(io.aibroker.connector.TokenUsage usage) {
    return TokenUsage.newBuilder()
        .setInputTokens(usage.inputTokens())
        .setOutputTokens(usage.outputTokens())
        .setCacheReadInputTokens(usage.cacheReadInputTokens())
        .setCacheWriteInputTokens(usage.cacheWriteInputTokens())
        .setCacheWrite1hInputTokens(usage.cacheWrite1hInputTokens())
        .setReasoningTokens(usage.reasoningTokens())
        .build();
  }

  private static ProviderError error(ProviderException error) {
    return ProviderError.newBuilder()
        .setErrorClass(ErrorClass.valueOf(error.errorClass().name()))
        .setKind(kind(error.kind()))
        .setCode(error.providerCode() == null ? error.errorType() : error.providerCode())
        .setHttpStatus(error.httpStatus() == 0 ? null : error.httpStatus())
        .setMessage(String.valueOf(error.getMessage()))
        .setRetryAfterMs(error.retryAfter().map(Duration::toMillis).orElse(null))
        .build();
  }

  /** The outcome's kind of a connector's failure kind. */
  static ProviderErrorKind kind(ErrorKind kind) {
    return switch (kind) {
      case TIMEOUT -> ProviderErrorKind.TIMEOUT;
      case RATE_LIMITED -> ProviderErrorKind.RATE_LIMITED;
      case SERVER_ERROR -> ProviderErrorKind.SERVER_ERROR;
      case AUTH -> ProviderErrorKind.AUTH;
      case MODEL_NOT_FOUND -> ProviderErrorKind.MODEL_NOT_FOUND;
      case QUOTA_EXHAUSTED -> ProviderErrorKind.QUOTA_EXHAUSTED;
      case INVALID_REQUEST -> ProviderErrorKind.INVALID_REQUEST;
      case CONTENT_FILTERED -> ProviderErrorKind.CONTENT_FILTERED;
    };
  }
}
