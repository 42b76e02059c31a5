package io.aibroker.connector.testing;

import java.time.Duration;
import java.util.Objects;

/**
 * One window of a {@link FaultSchedule}: from {@code start} to {@code start + length} after the
 * schedule began, every request a {@link FakeProviderServer} receives is answered with {@code
 * scenario} instead of its usual scenario.
 *
 * @param scenario the fault: {@link FakeScenario#RATE_LIMITED}, {@link FakeScenario#SERVER_ERROR},
 *     {@link FakeScenario#HANG}, {@link FakeScenario#STREAM_CUT}, or any other scenario
 * @param start when the window opens, after the schedule's start
 * @param length how long it stays open
 * @param retryAfter the retry hint sent with {@link FakeScenario#RATE_LIMITED} in this window, by
 *     providers that send one; {@code null} for the fakes' default {@link FakeReplies#RETRY_AFTER}
 *     (Bedrock, which sends none by default, sends a {@code Retry-After} only when this is set)
 */
public record FaultWindow(
    FakeScenario scenario, Duration start, Duration length, Duration retryAfter) {

  /** Validates the window. */
  public FaultWindow {
    Objects.requireNonNull(scenario, "scenario");
    Objects.requireNonNull(start, "start");
    Objects.requireNonNull(length, "length");
    if (start.isNegative() || length.isNegative() || length.isZero()) {
      throw new IllegalArgumentException(
          "a fault window needs start >= 0 and length > 0, was " + start + " + " + length);
    }
    if (retryAfter != null && retryAfter.isNegative()) {
      throw new IllegalArgumentException("retryAfter must not be negative, was " + retryAfter);
    }
  }

  /** A window without its own retry hint. */
  public static FaultWindow of(FakeScenario scenario, Duration start, Duration length) {
    return new FaultWindow(scenario, start, length, null);
  }

  /** Whether {@code elapsed} (time since the schedule's start) falls inside this window. */
  public boolean covers(Duration elapsed) {
    return elapsed.compareTo(start) >= 0 && elapsed.compareTo(start.plus(length)) < 0;
  }

  /** When the window closes, after the schedule's start. */
  public Duration end() {
    return start.plus(length);
  }
}
