package io.aibroker.workers;

import io.aibroker.connector.ErrorClass;
import io.aibroker.connector.ProviderException;
import io.aibroker.connector.RateLimitedException;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;
import java.util.random.RandomGenerator;

/**
 * Decides whether a failed provider call is tried again, and after how long. A pure function of the
 * failure, the attempts made, the time and the request's deadline, so it is tested as a table:
 *
 * <ul>
 *   <li>{@link ErrorClass#TERMINAL} failures (validation, auth, content filter, exhausted quota)
 *       never retry.
 *   <li>No more than {@link WorkerConfig.RetrySettings#maxAttempts()} calls in all.
 *   <li>A {@link RateLimitedException} with a retry hint waits that long, plus up to 10% (at most 1
 *       s) of jitter so that the requests throttled together do not all come back in the same
 *       millisecond. A hint longer than the backoff cap is not waited for here: the worker reports
 *       the throttle with its hint, and the broker can fail over instead of a record sitting idle.
 *   <li>Every other retryable failure (throttling without a hint, 5xx, timeouts) backs off
 *       exponentially with full jitter: a uniform delay in {@code [0, min(cap, base * 2^(n-1))]}
 *       after the n-th failed call (AWS Architecture Blog, "Exponential Backoff and Jitter").
 *   <li>No call may start at or after the request's deadline, so a wait that would end there is not
 *       taken.
 * </ul>
 */
final class RetryPolicy {

  /** Share of a Retry-After added as jitter, at most. */
  private static final double RETRY_AFTER_JITTER = 0.1;

  private static final Duration MAX_RETRY_AFTER_JITTER = Duration.ofSeconds(1);

  private final WorkerConfig.RetrySettings settings;
  private final RandomGenerator random;

  /**
   * @param settings attempts and backoff bounds
   * @param random draws the jitter (tests pass a seeded or fixed one)
   */
  RetryPolicy(WorkerConfig.RetrySettings settings, RandomGenerator random) {
    this.settings = Objects.requireNonNull(settings, "settings");
    this.random = Objects.requireNonNull(random, "random");
  }

  /** Most calls per dispatch, the first included. */
  int maxAttempts() {
    return settings.maxAttempts();
  }

  /**
   * What to do after a failed call.
   *
   * @param failure the classified failure of the latest call
   * @param callsMade calls made so far for this dispatch, the failed one included ({@code >= 1})
   * @param now the current time
   * @param deadline the request's deadline, or {@code null}
   * @return the wait before the next call, or empty to stop and report {@code failure}
   */
  Optional<Duration> nextDelay(
      ProviderException failure, int callsMade, Instant now, Instant deadline) {
    if (failure.errorClass() != ErrorClass.RETRYABLE || callsMade >= settings.maxAttempts()) {
      return Optional.empty();
    }
    Duration delay;
    Optional<Duration> hint =
        failure instanceof RateLimitedException ? failure.retryAfter() : Optional.empty();
    if (hint.isPresent()) {
      if (hint.get().compareTo(settings.backoffCap()) > 0) {
        return Optional.empty();
      }
      delay = hint.get().plus(jitterOnTop(hint.get()));
    } else {
      delay = fullJitter(callsMade);
    }
    if (deadline != null && !now.plus(delay).isBefore(deadline)) {
      return Optional.empty();
    }
    return Optional.of(delay);
  }

  /**
   * The upper bound of the backoff after {@code callsMade} failed calls: base * 2^(n-1), capped.
   */
  Duration backoffBound(int callsMade) {
    long base = settings.backoffBase().toNanos();
    long cap = settings.backoffCap().toNanos();
    int doublings = Math.max(0, callsMade - 1);
    // Past 62 doublings the shift overflows; by then any base has long reached the cap.
    if (doublings >= 62 || base > (cap >> doublings)) {
      return settings.backoffCap();
    }
    return Duration.ofNanos(base << doublings);
  }

  private Duration fullJitter(int callsMade) {
    long bound = backoffBound(callsMade).toNanos();
    return Duration.ofNanos(random.nextLong(bound + 1));
  }

  private Duration jitterOnTop(Duration retryAfter) {
    long bound =
        Math.min(
            (long) (retryAfter.toNanos() * RETRY_AFTER_JITTER), MAX_RETRY_AFTER_JITTER.toNanos());
    return bound <= 0 ? Duration.ZERO : Duration.ofNanos(random.nextLong(bound + 1));
  }
}
