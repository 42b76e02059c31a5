package io.aibroker.app.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.aibroker.records.InferenceRequest;
import io.aibroker.records.InferenceResult;
import io.aibroker.records.ReasonCode;
import io.aibroker.records.ResultStatus;
import io.aibroker.records.Task;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.OptionalLong;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class OpenAiErrorsTest {

  private static final Instant NOW = Instant.parse("2026-11-01T10:00:00Z");

  @Test
  void aProviderTimeoutIsA504WithAnOpenAiShapedError() {
    InferenceResult result =
        failed(ResultStatus.FAILED, ReasonCode.PROVIDER_TIMEOUT, "simulated: no answer in time");

    assertThat(OpenAiErrors.status(result)).isEqualTo(504);
    assertThat(OpenAiErrors.retryAfterSeconds(result)).isEmpty();
    ObjectNode body = OpenAiErrors.body(result);
    assertThat(body.size()).as("only the error object").isEqualTo(1);
    assertThat(body.path("error").path("type").asText()).isEqualTo("server_error");
    assertThat(body.path("error").path("code").asText()).isEqualTo("provider_timeout");
    assertThat(body.path("error").path("message").asText())
        .isEqualTo("simulated: no answer in time");
    assertThat(body.path("error").has("param")).isTrue();
    assertThat(body.path("error").path("param").isNull()).isTrue();
  }

  @Test
  void aProviderRateLimitIsA429WithTheProvidersRetryHint() {
    InferenceResult result = failed(ResultStatus.FAILED, ReasonCode.PROVIDER_RATE_LIMITED, "slow");
    result.setRetryAfterMs(1_500L);

    assertThat(OpenAiErrors.status(result)).isEqualTo(429);
    assertThat(OpenAiErrors.retryAfterSeconds(result)).isEqualTo(OptionalLong.of(2));
    ObjectNode body = OpenAiErrors.body(result);
    assertThat(body.path("error").path("type").asText()).isEqualTo("rate_limit_exceeded");
    assertThat(body.path("error").path("code").asText()).isEqualTo("provider_rate_limited");
  }

  @ParameterizedTest
  @CsvSource({
    "REJECTED, QUOTA_RPM, 429",
    "REJECTED, QUOTA_TPM, 429",
    "REJECTED, QUOTA_CONCURRENCY, 429",
    "REJECTED, BUDGET_DAILY, 429",
    "REJECTED, BUDGET_MONTHLY, 429",
    "FAILED, PROVIDER_RATE_LIMITED, 429",
    "REJECTED, UNKNOWN_MODEL, 404",
    "REJECTED, MODEL_NOT_ALLOWED, 403",
    "EXPIRED, DEADLINE, 504",
    "FAILED, PROVIDER_TIMEOUT, 504",
    "REJECTED, INVALID_REQUEST, 400",
    "REJECTED, PAYLOAD_TOO_LARGE, 400",
    "FAILED, CONTENT_FILTERED, 400",
    "FAILED, PROVIDER_ERROR, 502",
    "FAILED, INTERNAL_ERROR, 502",
    "FAILED, OTHER, 502",
    "EXPIRED, OTHER, 504",
  })
  void eachReasonCodeHasItsStatus(ResultStatus status, ReasonCode reason, int http) {
    assertThat(OpenAiErrors.status(failed(status, reason, "x"))).isEqualTo(http);
  }

  @Test
  void aResultWithoutReasonIsA502OrWhenExpiredA504() {
    assertThat(OpenAiErrors.status(failed(ResultStatus.FAILED, null, "x"))).isEqualTo(502);
    assertThat(OpenAiErrors.status(failed(ResultStatus.EXPIRED, null, "x"))).isEqualTo(504);
    ObjectNode body = OpenAiErrors.body(failed(ResultStatus.FAILED, null, null));
    assertThat(body.path("error").path("code").asText()).isEqualTo("other");
    assertThat(body.path("error").path("message").asText()).isEmpty();
  }

  @Test
  void aRetryHintIsSentOnlyWithA429() {
    InferenceResult timedOut = failed(ResultStatus.FAILED, ReasonCode.PROVIDER_TIMEOUT, "x");
    timedOut.setRetryAfterMs(1_000L);

    assertThat(OpenAiErrors.retryAfterSeconds(timedOut)).isEmpty();
  }

  @Test
  void noResultInTimeIsADeadlineAndAnythingElseAnInternalError() {
    InferenceRequest request =
        InferenceRequest.newBuilder()
            .setRequestId("r1")
            .setTenantId("acme")
            .setTask(Task.CHAT)
            .setModel("chat-default")
            .setMessages(List.of())
            .setCreatedAt(NOW)
            .build();
    Clock clock = Clock.fixed(NOW, ZoneOffset.UTC);

    InferenceResult late =
        OpenAiErrors.noResult(request, new CompletionException(new TimeoutException()), clock);
    InferenceResult broken = OpenAiErrors.noResult(request, new IllegalStateException(), clock);

    assertThat(late.getReason()).isEqualTo(ReasonCode.DEADLINE);
    assertThat(OpenAiErrors.status(late)).isEqualTo(504);
    assertThat(broken.getReason()).isEqualTo(ReasonCode.INTERNAL_ERROR);
    assertThat(OpenAiErrors.status(broken)).isEqualTo(502);
  }

  private static InferenceResult failed(ResultStatus status, ReasonCode reason, String message) {
    return InferenceResult.newBuilder()
        .setRequestId("r1")
        .setTenantId("acme")
        .setStatus(status)
        .setReason(reason)
        .setMessage(message)
        .setCompletedAt(NOW)
        .build();
  }
}
