package io.aibroker.connector.simulated;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Decides which calls fail. The first attempt of a request fails or not by a hash of seed and
 * request id, so a run is reproducible. Retries of a failed request (same request id) draw again,
 * so a failure is transient, as a provider 503 is, instead of failing every retry.
 */
final class FailureSchedule {

  /** Failed requests remembered for their retries; beyond this the oldest are forgotten. */
  private static final int REMEMBERED_FAILURES = 10_000;

  private final double failureRate;
  private final long seed;
  private final Map<String, Integer> failedAttempts =
      new LinkedHashMap<>(16, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Integer> eldest) {
          return size() > REMEMBERED_FAILURES;
        }
      };

  FailureSchedule(double failureRate, long seed) {
    this.failureRate = failureRate;
    this.seed = seed;
  }

  /** Whether this attempt of {@code requestId} fails. */
  boolean fails(String requestId) {
    if (failureRate == 0) {
      return false;
    }
    synchronized (failedAttempts) {
      int attempt = failedAttempts.getOrDefault(requestId, 0);
      boolean fails =
          new Fingerprint().add(seed).add(requestId).add(attempt).unitValue() < failureRate;
      if (fails) {
        failedAttempts.put(requestId, attempt + 1);
      } else {
        failedAttempts.remove(requestId);
      }
      return fails;
    }
  }
}
