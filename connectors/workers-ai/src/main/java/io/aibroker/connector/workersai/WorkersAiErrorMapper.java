package io.aibroker.connector.workersai;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.aibroker.connector.AuthenticationException;
import io.aibroker.connector.HttpStatusErrorMapper;
import io.aibroker.connector.InvalidRequestException;
import io.aibroker.connector.ModelNotFoundException;
import io.aibroker.connector.ProviderErrorMapper;
import io.aibroker.connector.ProviderException;
import io.aibroker.connector.ProviderServerException;
import io.aibroker.connector.ProviderTimeoutException;
import io.aibroker.connector.QuotaExhaustedException;
import io.aibroker.connector.RateLimitedException;
import io.aibroker.connector.RetryAfter;
import java.io.IOException;
import java.net.http.HttpTimeoutException;
import java.time.Clock;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.TimeoutException;

/**
 * Classifies Workers AI failures by Cloudflare's error code first, then by HTTP status. Cloudflare
 * answers errors with an envelope {@code
 * {"success":false,"errors":[{"code":3040,"message":"..."}]}}; the code, as a string, becomes
 * {@link ProviderException#providerCode()}.
 *
 * <table>
 *   <caption>Cloudflare codes</caption>
 *   <tr><th>Code</th><th>Meaning</th><th>Exception</th></tr>
 *   <tr><td>3040</td><td>out of capacity (429)</td><td>{@link RateLimitedException}</td></tr>
 *   <tr><td>3036</td><td>daily free allocation used up (429)</td>
 *       <td>{@link QuotaExhaustedException}, terminal: retrying today will not help</td></tr>
 *   <tr><td>3007</td><td>timeout (408)</td><td>{@link ProviderTimeoutException}</td></tr>
 *   <tr><td>3008</td><td>aborted (408)</td><td>{@link ProviderServerException}</td></tr>
 *   <tr><td>3003</td><td>incomplete request (400)</td>
 *       <td>{@link ProviderServerException}: we always send whole requests, so a body that
 *       arrived incomplete was cut in transit</td></tr>
 *   <tr><td>5007, 3042</td><td>no such model, invalid model id</td>
 *       <td>{@link ModelNotFoundException}</td></tr>
 *   <tr><td>3006</td><td>request too large (413)</td><td>{@link InvalidRequestException}</td></tr>
 *   <tr><td>3023</td><td>account blocked (403)</td><td>{@link AuthenticationException}</td></tr>
 *   <tr><td>10000</td><td>authentication error</td><td>{@link AuthenticationException}</td></tr>
 *   <tr><td>others</td><td></td><td>by HTTP status, see {@link HttpStatusErrorMapper}</td></tr>
 * </table>
 *
 * <p>A {@code Retry-After} header, if Cloudflare sends one, becomes the retry hint. Messages are
 * scrubbed of the API token in case a gateway or proxy echoes it.
 */
public final class WorkersAiErrorMapper implements ProviderErrorMapper {

  /** Out of capacity; retry. */
  public static final int CAPACITY_EXCEEDED = 3040;

  /** Daily free allocation of neurons used up. */
  public static final int DAILY_ALLOCATION_EXHAUSTED = 3036;

  /** The model timed out. */
  public static final int TIMEOUT = 3007;

  /** The request was aborted. */
  public static final int ABORTED = 3008;

  /** The request arrived without headers or body. */
  public static final int INCOMPLETE_REQUEST = 3003;

  /** No such model or task. */
  public static final int NO_SUCH_MODEL = 5007;

  /** The model name is invalid. */
  public static final int INVALID_MODEL = 3042;

  /** The request is too large. */
  public static final int REQUEST_TOO_LARGE = 3006;

  /** Service unavailable for the account. */
  public static final int ACCOUNT_BLOCKED = 3023;

  /** Cloudflare API authentication error. */
  public static final int AUTHENTICATION_ERROR = 10000;

  /** Our code for a streamed reply that ended without its usage frame and {@code [DONE]}. */
  public static final String INCOMPLETE_STREAM = "incomplete_stream";

  /** Our code for a body that is not the JSON Workers AI promises. */
  public static final String MALFORMED_RESPONSE = "malformed_response";

  private static final ObjectMapper JSON = new ObjectMapper();

  private final String provider;
  private final String secret;
  private final Clock clock;
  private final HttpStatusErrorMapper byStatus;

  /**
   * @param provider the provider name put into every exception
   * @param secret the API token, scrubbed from every message; may be {@code null}
   * @param clock for {@code Retry-After} dates
   */
  public WorkersAiErrorMapper(String provider, String secret, Clock clock) {
    this.provider = Objects.requireNonNull(provider, "provider");
    this.secret = secret == null || secret.isEmpty() ? null : secret;
    this.clock = Objects.requireNonNull(clock, "clock");
    this.byStatus = new HttpStatusErrorMapper(provider);
  }

  /**
   * Classifies an error response from its status, {@code Retry-After} header and body (the
   * Cloudflare envelope, or anything else a proxy may have sent).
   */
  public ProviderException fromResponse(int httpStatus, String retryAfterHeader, String body) {
    Duration retryAfter = RetryAfter.parseHeader(retryAfterHeader, clock).orElse(null);
    Integer code = null;
    String message = null;
    try {
      JsonNode errors = JSON.readTree(body == null ? "" : body).path("errors");
      if (errors.isArray() && !errors.isEmpty()) {
        JsonNode first = errors.get(0);
        code = first.path("code").canConvertToInt() ? first.path("code").asInt() : null;
        message = first.path("message").isTextual() ? first.path("message").asText() : null;
      }
    } catch (IOException notJson) {
      // e.g. an HTML page from a proxy: classify by status alone.
    }
    if (message == null) {
      message = "HTTP " + httpStatus + " without a Workers AI error message";
    }
    return map(httpStatus, code, message, retryAfter);
  }

  /**
   * Classifies a Cloudflare error code; codes not in the table above go by HTTP status.
   *
   * @param httpStatus the HTTP status, 0 if none
   * @param code the Cloudflare error code, or {@code null}
   * @param message Cloudflare's message
   * @param retryAfter the retry hint, or {@code null}
   */
  public ProviderException map(int httpStatus, Integer code, String message, Duration retryAfter) {
    String text = scrub(message);
    String providerCode = code == null ? null : code.toString();
    if (code == null) {
      return byStatus.map(httpStatus, null, text, retryAfter, null);
    }
    return switch (code) {
      case CAPACITY_EXCEEDED ->
          new RateLimitedException(provider, text, providerCode, httpStatus, retryAfter, null);
      case DAILY_ALLOCATION_EXHAUSTED ->
          new QuotaExhaustedException(provider, text, providerCode, httpStatus, retryAfter, null);
      case TIMEOUT ->
          new ProviderTimeoutException(provider, text, providerCode, httpStatus, retryAfter, null);
      case ABORTED, INCOMPLETE_REQUEST ->
          new ProviderServerException(provider, text, providerCode, httpStatus, retryAfter, null);
      case NO_SUCH_MODEL, INVALID_MODEL ->
          new ModelNotFoundException(provider, text, providerCode, httpStatus, retryAfter, null);
      case REQUEST_TOO_LARGE ->
          new InvalidRequestException(provider, text, providerCode, httpStatus, retryAfter, null);
      case ACCOUNT_BLOCKED, AUTHENTICATION_ERROR ->
          new AuthenticationException(provider, text, providerCode, httpStatus, retryAfter, null);
      default -> byStatus.map(httpStatus, providerCode, text, retryAfter, null);
    };
  }

  /**
   * Classifies what the HTTP client threw: timeouts are {@link ProviderTimeoutException}s, I/O
   * failures (refused or dropped connections) retryable {@link ProviderServerException}s. Messages
   * name only the exception class (the client's own message may carry anything); the error stays
   * attached as cause.
   */
  @Override
  public ProviderException map(Throwable error) {
    if (error instanceof ProviderException classified) {
      return classified;
    }
    if (error instanceof HttpTimeoutException || error instanceof TimeoutException) {
      return new ProviderTimeoutException(
          provider, "timed out (" + error.getClass().getSimpleName() + ")", null, 0, null, error);
    }
    if (error instanceof IOException) {
      return new ProviderServerException(
          provider,
          "connection failed or broke off (" + error.getClass().getSimpleName() + ")",
          null,
          0,
          null,
          error);
    }
    return ProviderErrorMapper.fallback(provider).map(error);
  }

  /**
   * Classifies the error of one line of a batch job. Cloudflare's numeric codes go through {@link
   * #map(int, Integer, String, Duration)}; any other code is kept as the provider code and the line
   * is classified by its status.
   *
   * @param httpStatus the status the line reports, 0 if none
   * @param code the line's error code, or {@code null}
   * @param message the line's error message, or {@code null}
   */
  public ProviderException line(int httpStatus, String code, String message) {
    String text =
        message == null
            ? "batch line failed without a Workers AI error message"
            : "batch line failed: " + message;
    if (code != null
        && !code.isEmpty()
        && code.length() < 10
        && code.chars().allMatch(Character::isDigit)) {
      return map(httpStatus, Integer.valueOf(code), text, null);
    }
    return byStatus.map(httpStatus, code, scrub(text), null, null);
  }

  /** A streamed reply that ended before its final frame: retry, the model did not finish. */
  ProviderException incompleteStream(int httpStatus) {
    return new ProviderServerException(
        provider,
        "stream ended before the usage frame and [DONE]",
        INCOMPLETE_STREAM,
        httpStatus,
        null,
        null);
  }

  /** A body that is not the JSON promised; {@code what} must not contain reply text. */
  ProviderException malformed(int httpStatus, String what) {
    return new ProviderServerException(
        provider, "malformed response: " + what, MALFORMED_RESPONSE, httpStatus, null, null);
  }

  private String scrub(String text) {
    return secret == null || text == null ? text : text.replace(secret, "***");
  }
}
