package io.aibroker.connector;

/** Whether a failed provider call may succeed if tried again. */
public enum ErrorClass {
  /** Throttling, provider 5xx, timeouts: retry with backoff (honouring Retry-After). */
  RETRYABLE,
  /** Bad request, auth, missing model, content filter, exhausted quota: never retry. */
  TERMINAL
}
