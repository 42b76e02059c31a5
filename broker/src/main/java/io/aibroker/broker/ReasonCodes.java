package io.aibroker.broker;

import io.aibroker.records.ProviderError;
import io.aibroker.records.ProviderErrorKind;
import io.aibroker.records.ReasonCode;
import io.aibroker.records.ResultStatus;

/**
 * The reason code a failed result carries, from the kind of its provider error: the worker
 * classified the failure once, so the broker maps it, and guesses from the HTTP status only for
 * outcomes without a kind (written by workers that did not classify; they read as {@link
 * ProviderErrorKind#OTHER}).
 *
 * <table>
 *   <caption>Kind to reason code</caption>
 *   <tr><th>Kind</th><th>Reason code</th></tr>
 *   <tr><td>TIMEOUT</td><td>PROVIDER_TIMEOUT</td></tr>
 *   <tr><td>RATE_LIMITED, QUOTA_EXHAUSTED</td><td>PROVIDER_RATE_LIMITED</td></tr>
 *   <tr><td>CONTENT_FILTERED</td><td>CONTENT_FILTERED</td></tr>
 *   <tr><td>DEADLINE</td><td>DEADLINE</td></tr>
 *   <tr><td>AUTH, MODEL_NOT_FOUND, INVALID_REQUEST, SERVER_ERROR, UNAVAILABLE</td>
 *       <td>PROVIDER_ERROR</td></tr>
 *   <tr><td>OTHER</td><td>by HTTP status: 429 PROVIDER_RATE_LIMITED, 408/504 PROVIDER_TIMEOUT,
 *       else PROVIDER_ERROR</td></tr>
 * </table>
 *
 * An EXPIRED result is always {@link ReasonCode#DEADLINE}.
 */
final class ReasonCodes {

  private ReasonCodes() {}

  static ReasonCode of(ResultStatus status, ProviderError error) {
    if (status == ResultStatus.EXPIRED) {
      return ReasonCode.DEADLINE;
    }
    if (error == null) {
      return ReasonCode.PROVIDER_ERROR;
    }
    ProviderErrorKind kind = error.getKind() == null ? ProviderErrorKind.OTHER : error.getKind();
    return switch (kind) {
      case TIMEOUT -> ReasonCode.PROVIDER_TIMEOUT;
      // a used-up provider quota is a 429 at OpenAI too (insufficient_quota)
      case RATE_LIMITED, QUOTA_EXHAUSTED -> ReasonCode.PROVIDER_RATE_LIMITED;
      case CONTENT_FILTERED -> ReasonCode.CONTENT_FILTERED;
      case DEADLINE -> ReasonCode.DEADLINE;
      case AUTH, MODEL_NOT_FOUND, INVALID_REQUEST, SERVER_ERROR, UNAVAILABLE ->
          ReasonCode.PROVIDER_ERROR;
      case OTHER -> byHttpStatus(error.getHttpStatus());
    };
  }

  /** The guess for outcomes without a kind. */
  private static ReasonCode byHttpStatus(Integer http) {
    if (http == null) {
      return ReasonCode.PROVIDER_ERROR;
    }
    return switch (http) {
      case 429 -> ReasonCode.PROVIDER_RATE_LIMITED;
      case 408, 504 -> ReasonCode.PROVIDER_TIMEOUT;
      default -> ReasonCode.PROVIDER_ERROR;
    };
  }
}
