package io.aibroker.app.http;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.aibroker.records.InferenceRequest;
import io.aibroker.records.InferenceResult;
import io.aibroker.records.ReasonCode;
import io.aibroker.records.ResultStatus;
import java.time.Clock;
import java.util.Locale;
import java.util.OptionalLong;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeoutException;

/**
 * How results that did not succeed look to an OpenAI client: the HTTP status, the {@code
 * Retry-After} of quota rejections and the {@code {"error": {...}}} body, the same whether it is
 * the whole response or an error event inside a stream.
 */
public final class OpenAiErrors {

  private OpenAiErrors() {}

  /**
   * The HTTP status for a result that did not succeed, from its reason code alone (the broker
   * decided the reason from the provider error's kind):
   *
   * <table>
   *   <caption>Reason code to HTTP status</caption>
   *   <tr><th>Reason</th><th>Status</th></tr>
   *   <tr><td>QUOTA_*, BUDGET_*, PROVIDER_RATE_LIMITED</td><td>429</td></tr>
   *   <tr><td>DEADLINE, PROVIDER_TIMEOUT</td><td>504</td></tr>
   *   <tr><td>INVALID_REQUEST, PAYLOAD_TOO_LARGE, CONTENT_FILTERED</td><td>400</td></tr>
   *   <tr><td>MODEL_NOT_ALLOWED</td><td>403</td></tr>
   *   <tr><td>UNKNOWN_MODEL</td><td>404</td></tr>
   *   <tr><td>anything else</td><td>504 if EXPIRED, else 502</td></tr>
   * </table>
   */
  public static int status(InferenceResult result) {
    return switch (reason(result)) {
      case QUOTA_RPM, QUOTA_TPM, QUOTA_CONCURRENCY, BUDGET_DAILY, BUDGET_MONTHLY -> 429;
      case PROVIDER_RATE_LIMITED -> 429;
      case UNKNOWN_MODEL -> 404;
      case MODEL_NOT_ALLOWED -> 403;
      case DEADLINE, PROVIDER_TIMEOUT -> 504;
      case INVALID_REQUEST, PAYLOAD_TOO_LARGE -> 400;
      // OpenAI answers a prompt its content policy blocks with a 400 as well
      case CONTENT_FILTERED -> 400;
      default -> result.getStatus() == ResultStatus.EXPIRED ? 504 : 502;
    };
  }

  /** Whole seconds to wait before retrying a 429, rounded up; empty for other results. */
  static OptionalLong retryAfterSeconds(InferenceResult result) {
    if (status(result) != 429 || result.getRetryAfterMs() == null) {
      return OptionalLong.empty();
    }
    return OptionalLong.of(Math.max(1, (result.getRetryAfterMs() + 999) / 1000));
  }

  /** The OpenAI-shaped error body for a result that did not succeed. */
  static ObjectNode body(InferenceResult result) {
    int status = status(result);
    String type =
        status == 429
            ? "rate_limit_exceeded"
            : status >= 500 ? "server_error" : "invalid_request_error";
    return body(type, reason(result).name().toLowerCase(Locale.ROOT), result.getMessage());
  }

  /** An OpenAI-shaped error body. */
  static ObjectNode body(String type, String code, String message) {
    ObjectNode body = JsonNodeFactory.instance.objectNode();
    body.putObject("error")
        .put("message", message == null ? "" : message)
        .put("type", type)
        .put("code", code)
        .putNull("param");
    return body;
  }

  /**
   * The result reported when none arrived: a timeout is EXPIRED ({@code DEADLINE}, 504), anything
   * else FAILED ({@code INTERNAL_ERROR}, 502).
   */
  static InferenceResult noResult(InferenceRequest request, Throwable failure, Clock clock) {
    Throwable cause = failure;
    while ((cause instanceof ExecutionException || cause instanceof CompletionException)
        && cause.getCause() != null) {
      cause = cause.getCause();
    }
    boolean timedOut = cause instanceof TimeoutException;
    return InferenceResult.newBuilder()
        .setRequestId(request.getRequestId())
        .setTenantId(request.getTenantId())
        .setStatus(timedOut ? ResultStatus.EXPIRED : ResultStatus.FAILED)
        .setReason(timedOut ? ReasonCode.DEADLINE : ReasonCode.INTERNAL_ERROR)
        .setMessage(
            timedOut ? "no result in time" : "no result: " + cause.getClass().getSimpleName())
        .setCompletedAt(clock.instant())
        .build();
  }

  private static ReasonCode reason(InferenceResult result) {
    return result.getReason() == null ? ReasonCode.OTHER : result.getReason();
  }
}
