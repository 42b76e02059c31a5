package io.aibroker.connector;

import java.time.Duration;
import java.util.Objects;

/**
 * Maps an HTTP status (plus the provider's error code and retry hint) to the right {@link
 * ProviderException}, so every connector classifies status codes the same way. Connectors check
 * their provider-specific codes first (e.g. Workers AI 3036 "daily allocation exhausted" is a
 * {@link QuotaExhaustedException} even though it comes as a 429) and hand the rest to this.
 *
 * <table>
 *   <caption>Status mapping</caption>
 *   <tr><th>Status</th><th>Exception</th></tr>
 *   <tr><td>429</td><td>{@link RateLimitedException}</td></tr>
 *   <tr><td>408, 504</td><td>{@link ProviderTimeoutException}</td></tr>
 *   <tr><td>other 5xx</td><td>{@link ProviderServerException}</td></tr>
 *   <tr><td>401, 403</td><td>{@link AuthenticationException}</td></tr>
 *   <tr><td>404</td><td>{@link ModelNotFoundException}</td></tr>
 *   <tr><td>402</td><td>{@link QuotaExhaustedException}</td></tr>
 *   <tr><td>400, 413, 422 and other 4xx</td><td>{@link InvalidRequestException}</td></tr>
 *   <tr><td>anything else (0, 1xx-3xx)</td><td>{@link ProviderServerException}</td></tr>
 * </table>
 */
public final class HttpStatusErrorMapper {

  private final String provider;

  /**
   * @param provider the provider name put into every exception
   */
  public HttpStatusErrorMapper(String provider) {
    this.provider = Objects.requireNonNull(provider, "provider");
  }

  /** Maps a status without code, retry hint or cause. */
  public ProviderException map(int httpStatus, String message) {
    return map(httpStatus, null, message, null, null);
  }

  /**
   * Maps a status to its exception.
   *
   * @param httpStatus the HTTP status, 0 if there was none
   * @param providerCode the provider's error code, or {@code null}
   * @param message what went wrong, without secrets
   * @param retryAfter the provider's retry hint (see {@link RetryAfter}), or {@code null}
   * @param cause the original error, or {@code null}
   */
  public ProviderException map(
      int httpStatus, String providerCode, String message, Duration retryAfter, Throwable cause) {
    return switch (httpStatus) {
      case 429 ->
          new RateLimitedException(provider, message, providerCode, httpStatus, retryAfter, cause);
      case 408, 504 ->
          new ProviderTimeoutException(
              provider, message, providerCode, httpStatus, retryAfter, cause);
      case 401, 403 ->
          new AuthenticationException(
              provider, message, providerCode, httpStatus, retryAfter, cause);
      case 404 ->
          new ModelNotFoundException(
              provider, message, providerCode, httpStatus, retryAfter, cause);
      case 402 ->
          new QuotaExhaustedException(
              provider, message, providerCode, httpStatus, retryAfter, cause);
      default -> {
        if (httpStatus >= 400 && httpStatus < 500) {
          yield new InvalidRequestException(
              provider, message, providerCode, httpStatus, retryAfter, cause);
        }
        // 5xx, and statuses that should never be errors (0 = no response at all): a later try
        // may well succeed, and the retry budget bounds the cost of being wrong.
        yield new ProviderServerException(
            provider, message, providerCode, httpStatus, retryAfter, cause);
      }
    };
  }
}
