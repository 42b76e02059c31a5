package io.aibroker.broker;

import static org.assertj.core.api.Assertions.assertThat;

import io.aibroker.records.ErrorClass;
import io.aibroker.records.ProviderError;
import io.aibroker.records.ProviderErrorKind;
import io.aibroker.records.ReasonCode;
import io.aibroker.records.ResultStatus;
import java.util.EnumMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ReasonCodesTest {

  @Test
  void eachKindHasItsReasonCode() {
    Map<ProviderErrorKind, ReasonCode> expected = new EnumMap<>(ProviderErrorKind.class);
    expected.put(ProviderErrorKind.TIMEOUT, ReasonCode.PROVIDER_TIMEOUT);
    expected.put(ProviderErrorKind.RATE_LIMITED, ReasonCode.PROVIDER_RATE_LIMITED);
    expected.put(ProviderErrorKind.QUOTA_EXHAUSTED, ReasonCode.PROVIDER_RATE_LIMITED);
    expected.put(ProviderErrorKind.CONTENT_FILTERED, ReasonCode.CONTENT_FILTERED);
    expected.put(ProviderErrorKind.DEADLINE, ReasonCode.DEADLINE);
    expected.put(ProviderErrorKind.AUTH, ReasonCode.PROVIDER_ERROR);
    expected.put(ProviderErrorKind.MODEL_NOT_FOUND, ReasonCode.PROVIDER_ERROR);
    expected.put(ProviderErrorKind.INVALID_REQUEST, ReasonCode.PROVIDER_ERROR);
    expected.put(ProviderErrorKind.SERVER_ERROR, ReasonCode.PROVIDER_ERROR);
    expected.put(ProviderErrorKind.UNAVAILABLE, ReasonCode.PROVIDER_ERROR);
    expected.put(ProviderErrorKind.OTHER, ReasonCode.PROVIDER_ERROR);

    assertThat(expected.keySet()).containsExactlyInAnyOrder(ProviderErrorKind.values());
    expected.forEach(
        (kind, reason) ->
            assertThat(ReasonCodes.of(ResultStatus.FAILED, error(kind, null)))
                .as("reason of %s", kind)
                .isEqualTo(reason));
  }

  @Test
  void aWorkersTimeoutWithoutHttpStatusIsAProviderTimeout() {
    // the worker's own call timeout or a deadline cut: no HTTP status at all
    assertThat(ReasonCodes.of(ResultStatus.FAILED, error(ProviderErrorKind.TIMEOUT, null)))
        .isEqualTo(ReasonCode.PROVIDER_TIMEOUT);
  }

  @Test
  void theKindDecidesNotTheStatus() {
    // Workers AI's "daily allocation used up" comes as a 429; a content filter as a 400
    assertThat(ReasonCodes.of(ResultStatus.FAILED, error(ProviderErrorKind.SERVER_ERROR, 429)))
        .isEqualTo(ReasonCode.PROVIDER_ERROR);
    assertThat(ReasonCodes.of(ResultStatus.FAILED, error(ProviderErrorKind.CONTENT_FILTERED, 400)))
        .isEqualTo(ReasonCode.CONTENT_FILTERED);
  }

  @ParameterizedTest
  @CsvSource({
    "429, PROVIDER_RATE_LIMITED",
    "408, PROVIDER_TIMEOUT",
    "504, PROVIDER_TIMEOUT",
    "503, PROVIDER_ERROR",
    "400, PROVIDER_ERROR",
  })
  void anOutcomeWithoutAKindIsGuessedFromItsHttpStatus(int status, ReasonCode reason) {
    ProviderError olderWorkers = error(null, status);

    assertThat(olderWorkers.getKind()).as("the field's default").isEqualTo(ProviderErrorKind.OTHER);
    assertThat(ReasonCodes.of(ResultStatus.FAILED, olderWorkers)).isEqualTo(reason);
  }

  @Test
  void withoutKindOrStatusItIsAProviderError() {
    assertThat(ReasonCodes.of(ResultStatus.FAILED, error(null, null)))
        .isEqualTo(ReasonCode.PROVIDER_ERROR);
    assertThat(ReasonCodes.of(ResultStatus.FAILED, null)).isEqualTo(ReasonCode.PROVIDER_ERROR);
  }

  @Test
  void anExpiredResultIsADeadlineWhateverTheError() {
    assertThat(ReasonCodes.of(ResultStatus.EXPIRED, error(ProviderErrorKind.TIMEOUT, 504)))
        .isEqualTo(ReasonCode.DEADLINE);
    assertThat(ReasonCodes.of(ResultStatus.EXPIRED, null)).isEqualTo(ReasonCode.DEADLINE);
  }

  /** An error of {@code kind}; {@code null} leaves the kind unset, as older workers did. */
  private static ProviderError error(ProviderErrorKind kind, Integer httpStatus) {
    ProviderError.Builder error =
        ProviderError.newBuilder()
            .setErrorClass(ErrorClass.RETRYABLE)
            .setCode("code")
            .setHttpStatus(httpStatus)
            .setMessage("failed");
    if (kind != null) {
      error.setKind(kind);
    }
    return error.build();
  }
}
