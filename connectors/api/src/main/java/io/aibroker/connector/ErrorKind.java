package io.aibroker.connector;

/**
 * What failed, one kind per class of the {@link ProviderException} tree. It travels with the
 * failure to the broker (as the outcome's {@code ProviderError.kind}), which turns it into the
 * result's reason code, so nothing downstream guesses the cause back from an HTTP status. Whether
 * the failure is worth another try is {@link ErrorClass}, decided by the tree.
 */
public enum ErrorKind {
  /** No answer in time: HTTP 408/504, an SDK or socket timeout, the worker's call timeout. */
  TIMEOUT(ProviderTimeoutException.TYPE),
  /** The provider throttled the call (HTTP 429, out of capacity). */
  RATE_LIMITED(RateLimitedException.TYPE),
  /** The provider failed (HTTP 5xx, model errors, broken connections, unknown failures). */
  SERVER_ERROR(ProviderServerException.TYPE),
  /** The provider rejected the credentials or denied access (HTTP 401/403). */
  AUTH(AuthenticationException.TYPE),
  /** The model or deployment does not exist for this account (HTTP 404). */
  MODEL_NOT_FOUND(ModelNotFoundException.TYPE),
  /** A hard quota (daily allocation, billing limit) is used up. */
  QUOTA_EXHAUSTED(QuotaExhaustedException.TYPE),
  /** The provider rejected the request itself (HTTP 400/413/422). */
  INVALID_REQUEST(InvalidRequestException.TYPE),
  /** The provider's content policy blocked the prompt or the reply. */
  CONTENT_FILTERED(ContentFilteredException.TYPE);

  private final String tag;

  ErrorKind(String tag) {
    this.tag = tag;
  }

  /** A short stable lower-case name, used as a metric tag ({@code rate_limited}, ...). */
  public String tag() {
    return tag;
  }
}
