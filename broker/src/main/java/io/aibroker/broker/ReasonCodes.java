package io.aibroker.broker;

import io.aibroker.records.ProviderError;
import io.aibroker.records.ReasonCode;
import io.aibroker.records.ResultStatus;

/** Maps provider errors to the reason code a failed result carries. */
final class ReasonCodes {

  private ReasonCodes() {}

  static ReasonCode of(ResultStatus status, ProviderError error) {
    if (status == ResultStatus.EXPIRED) {
      return ReasonCode.DEADLINE;
    }
    if (error == null) {
      return ReasonCode.PROVIDER_ERROR;
    }
    Integer http = error.getHttpStatus();
    if (http != null && http == 429) {
      return ReasonCode.PROVIDER_RATE_LIMITED;
    }
    if (http != null && (http == 408 || http == 504)) {
      return ReasonCode.PROVIDER_TIMEOUT;
    }
    return ReasonCode.PROVIDER_ERROR;
  }
}
