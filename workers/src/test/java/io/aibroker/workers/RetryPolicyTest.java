package io.aibroker.workers;

import static org.assertj.core.api.Assertions.assertThat;

import io.aibroker.connector.AuthenticationException;
import io.aibroker.connector.ContentFilteredException;
import io.aibroker.connector.InvalidRequestException;
import io.aibroker.connector.ModelNotFoundException;
import io.aibroker.connector.ProviderException;
import io.aibroker.connector.ProviderServerException;
import io.aibroker.connector.ProviderTimeoutException;
import io.aibroker.connector.QuotaExhaustedException;
import io.aibroker.connector.RateLimitedException;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.Optional;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;

class RetryPolicyTest {

  static final Instant NOW = Instant.parse("2026-11-01T10:00:00Z");
  static final WorkerConfig.RetrySettings SETTINGS =
      new WorkerConfig.RetrySettings(4, Duration.ofMillis(200), Duration.ofSeconds(10));

  static RetryPolicy policy(double fraction) {
    return new RetryPolicy(SETTINGS, new FixedFractionRandom(fraction));
  }

  static Stream<ProviderException> terminalErrors() {
    return Stream.of(
        new InvalidRequestException("p", "bad request"),
        new AuthenticationException("p", "bad key"),
        new ContentFilteredException("p", "filtered"),
        new ModelNotFoundException("p", "no such model"),
        new QuotaExhaustedException("p", "daily allocation used"));
  }

  static Stream<ProviderException> retryableErrors() {
    return Stream.of(
        new ProviderServerException("p", "503"),
        new ProviderTimeoutException("p", "timed out"),
        new RateLimitedException("p", "429 without a hint"));
  }

  @ParameterizedTest
  @MethodSource("terminalErrors")
  void terminalErrorsAreNeverRetried(ProviderException error) {
    assertThat(policy(0.5).nextDelay(error, 1, NOW, null)).isEmpty();
  }

  @ParameterizedTest
  @MethodSource("retryableErrors")
  void retryableErrorsAreRetriedUntilMaxAttempts(ProviderException error) {
    RetryPolicy policy = policy(0.5);
    assertThat(policy.nextDelay(error, 1, NOW, null)).isPresent();
    assertThat(policy.nextDelay(error, 2, NOW, null)).isPresent();
    assertThat(policy.nextDelay(error, 3, NOW, null)).isPresent();
    assertThat(policy.nextDelay(error, 4, NOW, null)).as("the 4th call was the last").isEmpty();
  }

  @ParameterizedTest(name = "after {0} failed calls the backoff is at most {1} ms")
  @CsvSource({"1, 200", "2, 400", "3, 800", "4, 1600", "6, 6400", "7, 10000", "40, 10000"})
  void backoffBoundDoublesUpToTheCap(int callsMade, long boundMillis) {
    assertThat(policy(0.5).backoffBound(callsMade)).isEqualTo(Duration.ofMillis(boundMillis));
  }

  @Test
  void fullJitterSpansZeroToTheBound() {
    var error = new ProviderServerException("p", "503");
    assertThat(policy(0.0).nextDelay(error, 3, NOW, null)).contains(Duration.ZERO);
    assertThat(policy(1.0).nextDelay(error, 3, NOW, null)).contains(Duration.ofMillis(800));
  }

  @Test
  void fullJitterDrawsSpreadDelaysWithinTheBound() {
    RetryPolicy policy = new RetryPolicy(SETTINGS, new SplittableRandom(7));
    var error = new ProviderTimeoutException("p", "timed out");
    Set<Duration> seen = new HashSet<>();
    for (int i = 0; i < 200; i++) {
      Duration delay = policy.nextDelay(error, 2, NOW, null).orElseThrow();
      assertThat(delay).isBetween(Duration.ZERO, Duration.ofMillis(400));
      seen.add(delay);
    }
    assertThat(seen).as("jittered, not fixed").hasSizeGreaterThan(150);
  }

  @Test
  void retryAfterIsHonouredWithAtMostTenPercentOnTop() {
    var throttled = new RateLimitedException("p", "429", "429", 429, Duration.ofSeconds(2), null);
    assertThat(policy(0.0).nextDelay(throttled, 1, NOW, null)).contains(Duration.ofSeconds(2));
    assertThat(policy(1.0).nextDelay(throttled, 1, NOW, null)).contains(Duration.ofMillis(2200));
  }

  @Test
  void retryAfterIsHonouredEvenWhenLongerThanTheExponentialBound() {
    var throttled = new RateLimitedException("p", "429", "429", 429, Duration.ofSeconds(5), null);
    assertThat(policy(0.0).nextDelay(throttled, 1, NOW, null)).contains(Duration.ofSeconds(5));
  }

  @Test
  void retryAfterLongerThanTheCapIsNotWaitedForInTheWorker() {
    var throttled = new RateLimitedException("p", "429", "429", 429, Duration.ofSeconds(60), null);
    assertThat(policy(0.0).nextDelay(throttled, 1, NOW, null)).isEmpty();
  }

  @Test
  void throttlingWithoutAHintBacksOffExponentially() {
    var throttled = new RateLimitedException("p", "429");
    assertThat(policy(1.0).nextDelay(throttled, 2, NOW, null)).contains(Duration.ofMillis(400));
  }

  @Test
  void aRetryAfterOnAServerErrorIsNotTakenAsThrottling() {
    var error = new ProviderServerException("p", "503", "503", 503, Duration.ofSeconds(5), null);
    assertThat(policy(1.0).nextDelay(error, 1, NOW, null)).contains(Duration.ofMillis(200));
  }

  @Test
  void noRetryWouldStartAtOrAfterTheDeadline() {
    var throttled = new RateLimitedException("p", "429", "429", 429, Duration.ofSeconds(2), null);
    RetryPolicy policy = policy(0.0);
    assertThat(policy.nextDelay(throttled, 1, NOW, NOW.plusSeconds(2))).isEmpty();
    assertThat(policy.nextDelay(throttled, 1, NOW, NOW.plusMillis(1999))).isEmpty();
    assertThat(policy.nextDelay(throttled, 1, NOW, NOW.plusMillis(2001)))
        .contains(Duration.ofSeconds(2));
    assertThat(policy.nextDelay(throttled, 1, NOW, NOW.minusSeconds(1))).isEmpty();
  }

  @Test
  void theJitteredDelayIsCheckedAgainstTheDeadline() {
    var error = new ProviderServerException("p", "503");
    Instant deadline = NOW.plusMillis(300);
    assertThat(policy(1.0).nextDelay(error, 2, NOW, deadline)).isEqualTo(Optional.empty());
    assertThat(policy(0.5).nextDelay(error, 2, NOW, deadline)).contains(Duration.ofMillis(200));
  }
}
