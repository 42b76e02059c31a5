package io.aibroker.connector.azureopenai;

import com.azure.core.exception.ClientAuthenticationException;
import com.azure.core.exception.HttpResponseException;
import com.azure.core.exception.ResourceNotFoundException;
import com.azure.core.http.HttpHeaderName;
import com.azure.core.http.HttpResponse;
import io.aibroker.connector.AuthenticationException;
import io.aibroker.connector.ContentFilteredException;
import io.aibroker.connector.HttpStatusErrorMapper;
import io.aibroker.connector.ModelNotFoundException;
import io.aibroker.connector.ProviderErrorMapper;
import io.aibroker.connector.ProviderException;
import io.aibroker.connector.ProviderServerException;
import io.aibroker.connector.ProviderTimeoutException;
import io.netty.channel.ConnectTimeoutException;
import io.netty.handler.timeout.ReadTimeoutException;
import io.netty.handler.timeout.WriteTimeoutException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ConnectException;
import java.net.SocketTimeoutException;
import java.net.http.HttpTimeoutException;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.TimeoutException;
import javax.net.ssl.SSLException;
import reactor.netty.http.client.PrematureCloseException;

/**
 * Classifies what the Azure OpenAI SDK throws.
 *
 * <table>
 *   <caption>Mapping</caption>
 *   <tr><th>Failure</th><th>Exception</th></tr>
 *   <tr><td>HTTP 4xx whose body says {@code content_filter} (or inner code {@code
 *       ResponsibleAIPolicyViolation})</td><td>{@link ContentFilteredException}</td></tr>
 *   <tr><td>{@link ClientAuthenticationException} (401, or Entra ID could not get a token),
 *       403</td><td>{@link AuthenticationException}</td></tr>
 *   <tr><td>{@link ResourceNotFoundException} (404: no such deployment)</td>
 *       <td>{@link ModelNotFoundException}</td></tr>
 *   <tr><td>other HTTP statuses</td><td>{@link HttpStatusErrorMapper}: 429 rate limited with the
 *       retry headers' hint, 408/504 timeout, 5xx server, other 4xx invalid request</td></tr>
 *   <tr><td>client timeouts (connect, response, read, pool, request timeout)</td>
 *       <td>{@link ProviderTimeoutException}</td></tr>
 *   <tr><td>malformed bodies and stream events, streams without usage, connection failures,
 *       anything else</td>
 *       <td>{@link ProviderServerException} (retryable)</td></tr>
 * </table>
 *
 * <p>The provider code is the body's {@code error.code}. HTTP errors do not carry the SDK exception
 * as their cause: its message quotes the whole response body, which may echo what was sent
 * (providers echo credentials in 401s); the code, status, retry hint and the provider's message
 * (left out for 401/403, and scrubbed of the configured key) say what went wrong.
 */
public final class AzureOpenAiErrorMapper implements ProviderErrorMapper {

  private static final int MAX_CAUSE_DEPTH = 16;

  private final String provider;
  private final Clock clock;
  private final List<String> secrets;
  private final HttpStatusErrorMapper statusMapper;
  private final ProviderErrorMapper fallback;

  /**
   * @param clock reads {@code Retry-After} dates
   * @param secrets values to cut out of any message, e.g. the configured API key
   */
  public AzureOpenAiErrorMapper(Clock clock, List<String> secrets) {
    this.provider = AzureOpenAiConnector.PROVIDER;
    this.clock = Objects.requireNonNull(clock, "clock");
    this.secrets =
        Objects.requireNonNull(secrets, "secrets").stream()
            .filter(secret -> secret != null && !secret.isBlank())
            .toList();
    this.statusMapper = new HttpStatusErrorMapper(provider);
    this.fallback = ProviderErrorMapper.fallback(provider);
  }

  /** A mapper that knows no secrets. */
  public AzureOpenAiErrorMapper(Clock clock) {
    this(clock, List.of());
  }

  @Override
  public ProviderException map(Throwable error) {
    if (error instanceof ProviderException classified) {
      return classified;
    }
    // Reactor and the SDK wrap causes (ReactiveException, RuntimeException around IOExceptions).
    int depth = 0;
    for (Throwable current = error;
        current != null && depth < MAX_CAUSE_DEPTH;
        current = current.getCause(), depth++) {
      ProviderException mapped = mapOne(current);
      if (mapped != null) {
        return mapped;
      }
    }
    return fallback.map(error);
  }

  private ProviderException mapOne(Throwable error) {
    if (error instanceof ProviderException classified) {
      return classified;
    }
    if (error instanceof HttpResponseException http) {
      return mapHttp(http);
    }
    if (isUnreadableBody(error)) {
      // No cause: JSON parser messages quote the body, i.e. the tenant's reply.
      return new ProviderServerException(
          provider, "malformed response: " + error.getClass().getSimpleName(), null, 0, null, null);
    }
    if (isTimeout(error)) {
      return new ProviderTimeoutException(
          provider, "timed out: " + error.getClass().getSimpleName(), null, 0, null, error);
    }
    if (error instanceof ConnectException
        || error instanceof SSLException
        || error instanceof PrematureCloseException
        || error instanceof IOException
        || error instanceof UncheckedIOException) {
      return new ProviderServerException(
          provider,
          "connection failed or closed early: " + error.getClass().getSimpleName(),
          null,
          0,
          null,
          error);
    }
    return null;
  }

  private ProviderException mapHttp(HttpResponseException error) {
    HttpResponse response = error.getResponse();
    if (response == null) {
      // No answer from Azure: Entra ID could not get a token, or the SDK failed before sending.
      if (error instanceof ClientAuthenticationException) {
        return new AuthenticationException(
            provider,
            "could not authenticate (no API key and no Entra ID credential worked)",
            null,
            0,
            null,
            error);
      }
      return null;
    }
    int status = response.getStatusCode();
    AzureErrorBody body = AzureErrorBody.from(error.getValue(), error.getMessage());
    Duration retryAfter =
        RetryHeaders.parse(
                name -> response.getHeaders().getValue(HttpHeaderName.fromString(name)), clock)
            .orElse(null);
    boolean credentialRelated =
        status == 401 || status == 403 || error instanceof ClientAuthenticationException;
    String message = describe(status, body, credentialRelated);
    if (status >= 400 && status < 500 && body.contentFiltered()) {
      return new ContentFilteredException(provider, message, body.code(), status, retryAfter, null);
    }
    if (error instanceof ClientAuthenticationException) {
      return new AuthenticationException(provider, message, body.code(), status, retryAfter, null);
    }
    if (error instanceof ResourceNotFoundException) {
      return new ModelNotFoundException(provider, message, body.code(), status, retryAfter, null);
    }
    return statusMapper.map(status, body.code(), message, retryAfter, null);
  }

  /**
   * Classifies an error Azure reported without an exception around it: a failed line of a batch
   * job, whose status and error body come inside the job's error file. Classified exactly as the
   * same status and body of a real-time call (content filter, 401/403 without the provider's
   * message, the key scrubbed out).
   *
   * @param status the line's HTTP status; 0 when Azure gave none (the line failed before a
   *     response, a retryable server error)
   * @param body the line's error body
   */
  ProviderException forStatus(int status, AzureErrorBody body) {
    Objects.requireNonNull(body, "body");
    boolean credentialRelated = status == 401 || status == 403;
    String message = describe(status, body, credentialRelated);
    if (status >= 400 && status < 500 && body.contentFiltered()) {
      return new ContentFilteredException(provider, message, body.code(), status, null, null);
    }
    return statusMapper.map(status, body.code(), message, null, null);
  }

  /** {@code text} with every configured secret cut out; {@code null} stays {@code null}. */
  String scrubbed(String text) {
    return text == null ? null : scrub(text);
  }

  private String describe(int status, AzureErrorBody body, boolean credentialRelated) {
    String what =
        status == 0 ? "Azure OpenAI reported an error" : "Azure OpenAI answered " + status;
    if (credentialRelated || body.message() == null) {
      return what;
    }
    return what + ": " + scrub(body.message());
  }

  private String scrub(String text) {
    String result = text;
    for (String secret : secrets) {
      result = result.replace(secret, "***");
    }
    return result;
  }

  private static boolean isTimeout(Throwable error) {
    return error instanceof TimeoutException
        || error instanceof SocketTimeoutException
        || error instanceof HttpTimeoutException
        // Netty's read and write timeouts, and its connect timeout
        || error instanceof ReadTimeoutException
        || error instanceof WriteTimeoutException
        || error instanceof ConnectTimeoutException;
  }

  /** A body whose JSON does not parse (the SDK's JSON exceptions, whatever wraps them). */
  private static boolean isUnreadableBody(Throwable error) {
    int depth = 0;
    for (Throwable current = error;
        current != null && depth < MAX_CAUSE_DEPTH;
        current = current.getCause(), depth++) {
      if (current.getClass().getSimpleName().contains("Json")) {
        return true;
      }
    }
    return false;
  }
}
