package io.aibroker.broker;

import static io.aibroker.broker.TestRequests.FALLBACK;
import static io.aibroker.broker.TestRequests.NOW;
import static io.aibroker.broker.TestRequests.PRIMARY;
import static io.aibroker.broker.TestRequests.chat;
import static org.assertj.core.api.Assertions.assertThat;

import io.aibroker.records.DispatchRequest;
import io.aibroker.records.ErrorClass;
import io.aibroker.records.ProviderError;
import io.aibroker.records.ProviderOutcome;
import io.aibroker.records.Route;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** When a failed call moves to the next route, and what that dispatch is. */
class FailoverTest {

  private static final Route THIRD = new Route("third", "x", "third-1", "standard", null);

  private static DispatchRequest dispatch(List<Route> fallbacks, Instant deadline) {
    return DispatchRequest.newBuilder()
        .setRequestId("r1")
        .setTenantId("acme")
        .setRequest(chat("r1", "acme", "a").build())
        .setRoute(PRIMARY)
        .setAttempt(1)
        .setFallbacks(fallbacks)
        .setDeadline(deadline)
        .setDispatchedAt(NOW.minusSeconds(1))
        .setTenantTopics(true)
        .build();
  }

  private static ProviderOutcome failed(ErrorClass errorClass) {
    return ProviderOutcome.newBuilder()
        .setRequestId("r1")
        .setTenantId("acme")
        .setRoute(PRIMARY)
        .setSuccess(false)
        .setError(
            errorClass == null
                ? null
                : ProviderError.newBuilder()
                    .setErrorClass(errorClass)
                    .setCode("429")
                    .setMessage("slow down")
                    .build())
        .setCompletedAt(NOW)
        .build();
  }

  @Test
  void aRetryableFailureWithAFallbackLeftBeforeTheDeadlineFailsOver() {
    assertThat(
            Failover.possible(dispatch(List.of(FALLBACK), null), failed(ErrorClass.RETRYABLE), NOW))
        .isTrue();
    assertThat(
            Failover.possible(
                dispatch(List.of(FALLBACK), NOW.plusMillis(1)), failed(ErrorClass.RETRYABLE), NOW))
        .isTrue();
  }

  @Test
  void aTerminalOrUnclassifiedFailureDoesNot() {
    assertThat(
            Failover.possible(dispatch(List.of(FALLBACK), null), failed(ErrorClass.TERMINAL), NOW))
        .isFalse();
    assertThat(Failover.possible(dispatch(List.of(FALLBACK), null), failed(null), NOW)).isFalse();
  }

  @Test
  void noFallbackLeftOrAPassedDeadlineEndsTheRequest() {
    assertThat(Failover.possible(dispatch(List.of(), null), failed(ErrorClass.RETRYABLE), NOW))
        .isFalse();
    assertThat(
            Failover.possible(dispatch(List.of(FALLBACK), NOW), failed(ErrorClass.RETRYABLE), NOW))
        .isFalse();
  }

  @Test
  void theNextDispatchIsTheFirstFallbackOneAttemptLater() {
    DispatchRequest current = dispatch(List.of(FALLBACK, THIRD), NOW.plusSeconds(30));

    DispatchRequest next = Failover.next(current, failed(ErrorClass.RETRYABLE), NOW);

    assertThat(next.getRoute()).isEqualTo(FALLBACK);
    assertThat(next.getFallbacks()).containsExactly(THIRD);
    assertThat(next.getAttempt()).isEqualTo(2);
    assertThat(next.getDispatchedAt()).isEqualTo(NOW);
    assertThat(next.getRequest()).isEqualTo(current.getRequest());
    assertThat(next.getDeadline()).isEqualTo(current.getDeadline());
    assertThat(next.getTenantTopics()).isTrue();
    assertThat(current.getAttempt()).isEqualTo(1); // the current dispatch is left as it was
  }

  @Test
  void theNextDispatchCarriesTheCallsOfEveryEarlierAttempt() {
    DispatchRequest current =
        DispatchRequest.newBuilder(dispatch(List.of(FALLBACK, THIRD), null))
            .setPriorCalls(2)
            .build();
    ProviderOutcome fourCalls =
        ProviderOutcome.newBuilder(failed(ErrorClass.RETRYABLE)).setCalls(4).build();

    DispatchRequest next = Failover.next(current, fourCalls, NOW);

    assertThat(next.getPriorCalls()).isEqualTo(6);
  }
}
