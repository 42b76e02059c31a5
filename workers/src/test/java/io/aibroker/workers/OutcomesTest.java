package io.aibroker.workers;

import static org.assertj.core.api.Assertions.assertThat;

import io.aibroker.connector.ErrorKind;
import io.aibroker.connector.ProviderException;
import io.aibroker.connector.ProviderResponse;
import io.aibroker.connector.ProviderTimeoutException;
import io.aibroker.connector.RateLimitedException;
import io.aibroker.connector.TokenUsage;
import io.aibroker.records.ErrorClass;
import io.aibroker.records.ProviderErrorKind;
import io.aibroker.records.ProviderOutcome;
import io.aibroker.records.Route;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class OutcomesTest {

  static final Route ROUTE = new Route("p", "eu-1", "model-1", "standard", null);
  static final Instant NOW = Instant.parse("2026-11-01T10:00:00Z");

  @Test
  void aSuccessCarriesOutputUsageCallsAndProviderTime() {
    var response = ProviderResponse.ofText("hi", "stop", new TokenUsage(7, 2));
    ProviderOutcome outcome =
        Outcomes.of(
            Dispatches.chat("req-1", "t", ROUTE),
            new CallResult.Answered(response, 3, 420),
            2,
            "w",
            NOW);

    assertThat(outcome.getSuccess()).isTrue();
    assertThat(outcome.getOutput().getText()).isEqualTo("hi");
    assertThat(outcome.getOutput().getFinishReason()).isEqualTo("stop");
    assertThat(outcome.getUsage().getInputTokens()).isEqualTo(7);
    assertThat(outcome.getUsage().getOutputTokens()).isEqualTo(2);
    assertThat(outcome.getCalls()).isEqualTo(3);
    assertThat(outcome.getProviderMs()).isEqualTo(420);
    assertThat(outcome.getDeliveryCount()).isEqualTo(2);
    assertThat(outcome.getCompletedAt()).isEqualTo(NOW);
    assertThat(outcome.getError()).isNull();
  }

  @Test
  void aSuccessCarriesEveryTokenClassAndTheServedTier() {
    var usage = new TokenUsage(1_500, 500, 1_000, 200, 80, 120);
    var response = ProviderResponse.ofText("hi", "stop", usage).withServiceTier("flex");

    ProviderOutcome outcome =
        Outcomes.of(
            Dispatches.chat("req-1", "t", ROUTE),
            new CallResult.Answered(response, 1, 10),
            1,
            "w",
            NOW);

    assertThat(outcome.getUsage())
        .isEqualTo(new io.aibroker.records.TokenUsage(1_500L, 500L, 1_000L, 200L, 80L, 120L));
    assertThat(outcome.getServiceTier()).isEqualTo("flex");
  }

  @Test
  void aProviderThatNamesNoTierLeavesTheOutcomesTierEmpty() {
    var response = ProviderResponse.ofText("hi", "stop", new TokenUsage(7, 2));

    ProviderOutcome outcome =
        Outcomes.of(
            Dispatches.chat("req-1", "t", ROUTE),
            new CallResult.Answered(response, 1, 10),
            1,
            "w",
            NOW);

    assertThat(outcome.getServiceTier()).as("the route's tier, for the broker").isNull();
    assertThat(outcome.getUsage().getCacheReadInputTokens()).isZero();
  }

  @Test
  void aThrottledFailureReportsItsRetryAfterStatusAndCode() {
    var throttled =
        new RateLimitedException(
            "p", "slow down", "ThrottlingException", 429, Duration.ofMillis(1500), null);
    ProviderOutcome outcome =
        Outcomes.of(
            Dispatches.chat("req-1", "t", ROUTE),
            new CallResult.Failed(throttled, 4, 900),
            1,
            "w",
            NOW);

    assertThat(outcome.getSuccess()).isFalse();
    assertThat(outcome.getError().getErrorClass()).isEqualTo(ErrorClass.RETRYABLE);
    assertThat(outcome.getError().getCode()).isEqualTo("ThrottlingException");
    assertThat(outcome.getError().getHttpStatus()).isEqualTo(429);
    assertThat(outcome.getError().getRetryAfterMs()).isEqualTo(1500L);
    assertThat(outcome.getError().getKind()).isEqualTo(ProviderErrorKind.RATE_LIMITED);
    assertThat(outcome.getCalls()).isEqualTo(4);
    assertThat(outcome.getProviderMs()).isEqualTo(900);
  }

  @Test
  void aFailureWithoutAProviderCodeIsCodedByItsType() {
    var throttled = new RateLimitedException("p", "429");
    ProviderOutcome outcome =
        Outcomes.of(
            Dispatches.chat("req-1", "t", ROUTE),
            new CallResult.Failed(throttled, 1, 5),
            1,
            "w",
            NOW);

    assertThat(outcome.getError().getCode()).isEqualTo(RateLimitedException.TYPE);
    assertThat(outcome.getError().getHttpStatus()).isNull();
    assertThat(outcome.getError().getRetryAfterMs()).isNull();
  }

  @Test
  void aCallNotMadeIsReportedWithTheWorkersCode() {
    ProviderOutcome outcome =
        Outcomes.of(
            Dispatches.chat("req-1", "t", ROUTE),
            new CallResult.NotCalled(
                Outcomes.CIRCUIT_OPEN,
                io.aibroker.connector.ErrorClass.RETRYABLE,
                ProviderErrorKind.UNAVAILABLE,
                "open",
                0,
                0),
            1,
            "w",
            NOW);

    assertThat(outcome.getSuccess()).isFalse();
    assertThat(outcome.getError().getCode()).isEqualTo(Outcomes.CIRCUIT_OPEN);
    assertThat(outcome.getError().getErrorClass()).isEqualTo(ErrorClass.RETRYABLE);
    assertThat(outcome.getError().getKind()).isEqualTo(ProviderErrorKind.UNAVAILABLE);
    assertThat(outcome.getCalls()).isZero();
    assertThat(outcome.getRoute()).isEqualTo(ROUTE);
  }

  @Test
  void everyConnectorErrorKindHasItsOwnOutcomeKind() {
    for (ErrorKind kind : ErrorKind.values()) {
      assertThat(Outcomes.kind(kind).name()).as("outcome kind of %s", kind).isEqualTo(kind.name());
    }
  }

  @Test
  void aTimeoutFailureIsReportedAsATimeoutWhateverItsStatus() {
    ProviderException timedOut = new ProviderTimeoutException("p", "no answer in time");
    ProviderOutcome outcome =
        Outcomes.of(
            Dispatches.chat("req-1", "t", ROUTE),
            new CallResult.Failed(timedOut, 1, 30_000),
            1,
            "w",
            NOW);

    assertThat(outcome.getError().getKind()).isEqualTo(ProviderErrorKind.TIMEOUT);
    assertThat(outcome.getError().getHttpStatus()).as("no HTTP status: our own timeout").isNull();
    assertThat(outcome.getError().getCode()).isEqualTo(ProviderTimeoutException.TYPE);
  }
}
