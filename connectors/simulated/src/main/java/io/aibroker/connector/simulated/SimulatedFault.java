package io.aibroker.connector.simulated;

import com.fasterxml.jackson.annotation.JsonAlias;
import com.fasterxml.jackson.annotation.JsonCreator;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * A scripted provider fault of the simulated connector: for {@code length}, starting {@code start}
 * after the connector was created (on its clock) and again every {@code every} if set, calls to the
 * listed deployments (all, if none are listed) fail the way {@code kind} says. In the app's YAML:
 *
 * <pre>{@code
 * simulated:
 *   faults:
 *     - {kind: rate-limited, start: 10s, length: 30s, retry-after: 2s, deployments: [east]}
 *     - {kind: server-error, start: 60s, length: 1s, every: 5s}
 *     - {kind: hang, start: 120s, length: 20s}
 *     - {kind: stream-cut, start: 150s, length: 20s}
 * }</pre>
 *
 * @param kind what goes wrong
 * @param start when the first window opens, after the connector's creation; default 0
 * @param length how long each window stays open; required
 * @param every windows repeat with this period if set (at least {@code length}); {@code null}
 *     (default) for one window
 * @param retryAfter the retry hint of {@link Kind#RATE_LIMITED} answers; {@code null} for the
 *     connector's {@link SimulatedConfig#retryAfter()}
 * @param deployments the deployments affected; empty (default) for all
 */
public record SimulatedFault(
    Kind kind,
    Duration start,
    Duration length,
    Duration every,
    @JsonAlias("retry-after") Duration retryAfter,
    List<String> deployments) {

  /** How a call fails inside a fault window. */
  public enum Kind {
    /** At once, with a 429 and a retry hint. */
    RATE_LIMITED,
    /** After the usual latency, with a 503. */
    SERVER_ERROR,
    /** Never answers; only the caller's timeout (or cancellation) ends the call. */
    HANG,
    /**
     * Streams half the reply's deltas, then fails with a retryable network error, as when a
     * connection drops mid-stream; a plain call fails the same way after its latency (a body cut in
     * transit).
     */
    STREAM_CUT;

    /** Reads {@code rate-limited}, {@code RATE_LIMITED}, {@code rate_limited}, ... */
    @JsonCreator
    public static Kind parse(String text) {
      Objects.requireNonNull(text, "kind");
      String name = text.trim().toUpperCase(Locale.ROOT).replace('-', '_');
      for (Kind kind : values()) {
        if (kind.name().equals(name)) {
          return kind;
        }
      }
      throw new IllegalArgumentException(
          "unknown fault kind '"
              + text
              + "'; known kinds: rate-limited, server-error, hang, stream-cut");
    }
  }

  /** Fills in defaults and validates. */
  public SimulatedFault {
    Objects.requireNonNull(kind, "fault kind is required");
    start = Objects.requireNonNullElse(start, Duration.ZERO);
    Objects.requireNonNull(length, "fault length is required");
    if (start.isNegative()) {
      throw new IllegalArgumentException("fault start must not be negative, was " + start);
    }
    if (length.isNegative() || length.isZero()) {
      throw new IllegalArgumentException("fault length must be positive, was " + length);
    }
    if (every != null && every.compareTo(length) < 0) {
      throw new IllegalArgumentException(
          "fault every (" + every + ") must be at least its length (" + length + ")");
    }
    if (retryAfter != null && retryAfter.isNegative()) {
      throw new IllegalArgumentException(
          "fault retryAfter must not be negative, was " + retryAfter);
    }
    deployments = List.copyOf(Objects.requireNonNullElse(deployments, List.of()));
  }

  /** One window of {@code kind} for every deployment. */
  public static SimulatedFault of(Kind kind, Duration start, Duration length) {
    return new SimulatedFault(kind, start, length, null, null, null);
  }

  /** A copy limited to {@code deployments}. */
  public SimulatedFault onDeployments(String... deployments) {
    return new SimulatedFault(kind, start, length, every, retryAfter, List.of(deployments));
  }

  /** A copy whose 429s carry {@code retryAfter}. */
  public SimulatedFault withRetryAfter(Duration retryAfter) {
    return new SimulatedFault(kind, start, length, every, retryAfter, deployments);
  }

  /** A copy repeating every {@code every}. */
  public SimulatedFault repeatingEvery(Duration every) {
    return new SimulatedFault(kind, start, length, every, retryAfter, deployments);
  }

  /**
   * Whether a call to {@code deployment} at {@code elapsed} after the connector's creation falls in
   * one of this fault's windows.
   */
  public boolean covers(Duration elapsed, String deployment) {
    if (!deployments.isEmpty() && (deployment == null || !deployments.contains(deployment))) {
      return false;
    }
    if (elapsed.compareTo(start) < 0) {
      return false;
    }
    Duration sinceStart = elapsed.minus(start);
    if (every != null) {
      sinceStart = Duration.ofNanos(Math.floorMod(sinceStart.toNanos(), every.toNanos()));
    }
    return sinceStart.compareTo(length) < 0;
  }
}
