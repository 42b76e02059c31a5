package io.aibroker.connector.bedrock;

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
import io.netty.channel.ConnectTimeoutException;
import io.netty.handler.timeout.ReadTimeoutException;
import io.netty.handler.timeout.WriteTimeoutException;
import java.net.SocketTimeoutException;
import java.net.http.HttpTimeoutException;
import java.time.Clock;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.concurrent.TimeoutException;
import software.amazon.awssdk.awscore.exception.AwsErrorDetails;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.exception.ApiCallAttemptTimeoutException;
import software.amazon.awssdk.core.exception.ApiCallTimeoutException;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.http.SdkHttpResponse;

/**
 * Classifies Bedrock failures by the AWS error code ({@code x-amzn-ErrorType}, or the {@code
 * :exception-type} of a mid-stream exception frame) and, for codes it does not know, by HTTP
 * status. The SDK's own {@code retryable()} flag is ignored: it is false even for throttling.
 *
 * <table>
 *   <caption>Error code mapping</caption>
 *   <tr><th>AWS error code (HTTP status)</th><th>Exception</th></tr>
 *   <tr><td>ThrottlingException, ModelNotReadyException (429)</td>
 *       <td>{@link RateLimitedException}</td></tr>
 *   <tr><td>ServiceQuotaExceededException (400)</td><td>{@link QuotaExhaustedException}</td></tr>
 *   <tr><td>ValidationException (400)</td><td>{@link InvalidRequestException}</td></tr>
 *   <tr><td>AccessDeniedException (403) and the AWS signature/token errors</td>
 *       <td>{@link AuthenticationException}</td></tr>
 *   <tr><td>ResourceNotFoundException (404)</td><td>{@link ModelNotFoundException}</td></tr>
 *   <tr><td>ModelTimeoutException (408)</td><td>{@link ProviderTimeoutException}</td></tr>
 *   <tr><td>ModelErrorException, ModelStreamErrorException (424), InternalServerException (500),
 *       ServiceUnavailableException (503)</td><td>{@link ProviderServerException}</td></tr>
 *   <tr><td>other codes</td><td>by status, see {@link HttpStatusErrorMapper}</td></tr>
 *   <tr><td>SDK call timeouts, connect/read timeouts</td>
 *       <td>{@link ProviderTimeoutException}</td></tr>
 *   <tr><td>connection failures, unreadable responses, anything else</td>
 *       <td>{@link ProviderServerException}</td></tr>
 * </table>
 *
 * <p>The provider code is the AWS error code as the synchronous API spells it ({@code
 * ThrottlingException}, also for a stream's {@code throttlingException} frame). Bedrock sends no
 * {@code Retry-After}; one that is present is honoured. Exceptions carry a scrubbed copy of the SDK
 * exception as cause: the original's message may echo the credential the call presented.
 */
public final class BedrockErrorMapper implements ProviderErrorMapper {

  /** The provider name in every exception. */
  public static final String PROVIDER = "bedrock";

  private final Clock clock;
  private final List<String> secrets;
  private final HttpStatusErrorMapper byStatus = new HttpStatusErrorMapper(PROVIDER);

  /** A mapper reading retry dates against the system clock, with no secrets to scrub. */
  public BedrockErrorMapper() {
    this(Clock.systemUTC(), List.of());
  }

  /**
   * @param clock reads {@code Retry-After} dates
   * @param secrets credentials to cut out of every message (e.g. the API key in use)
   */
  public BedrockErrorMapper(Clock clock, Collection<String> secrets) {
    this.clock = Objects.requireNonNull(clock, "clock");
    this.secrets =
        Objects.requireNonNull(secrets, "secrets").stream()
            .filter(secret -> secret != null && !secret.isEmpty())
            .toList();
  }

  @Override
  public ProviderException map(Throwable error) {
    if (error instanceof ProviderException classified) {
      return classified;
    }
    AwsServiceException service = find(error, AwsServiceException.class);
    if (service != null) {
      return mapServiceError(service, error);
    }
    if (isTimeout(error)) {
      return new ProviderTimeoutException(
          PROVIDER, describe(error), null, 0, null, sanitized(error));
    }
    // Connection refused or reset, unreadable responses, a closed client: a later try may well
    // succeed, and the retry budget bounds the cost of being wrong.
    return new ProviderServerException(PROVIDER, describe(error), null, 0, null, sanitized(error));
  }

  private ProviderException mapServiceError(AwsServiceException service, Throwable error) {
    String code = normalizeCode(service);
    int status = service.statusCode() >= 400 ? service.statusCode() : 0;
    String message = scrub(errorMessage(service, code));
    Duration retryAfter = retryAfter(service);
    Throwable cause = sanitized(error);
    if (code == null) {
      return byStatus.map(status, null, message, retryAfter, cause);
    }
    return switch (code) {
      case "ThrottlingException", "ModelNotReadyException", "TooManyRequestsException" ->
          new RateLimitedException(PROVIDER, message, code, status, retryAfter, cause);
      // An account quota (e.g. tokens per day), not a per-minute rate: retrying soon only burns
      // the retry budget. Per-minute limits come as ThrottlingException.
      case "ServiceQuotaExceededException" ->
          new QuotaExhaustedException(PROVIDER, message, code, status, retryAfter, cause);
      case "ValidationException", "SerializationException" ->
          new InvalidRequestException(PROVIDER, message, code, status, retryAfter, cause);
      case "AccessDeniedException",
          "UnrecognizedClientException",
          "InvalidSignatureException",
          "IncompleteSignatureException",
          "MissingAuthenticationTokenException",
          "ExpiredTokenException",
          "InvalidClientTokenId" ->
          new AuthenticationException(PROVIDER, message, code, status, retryAfter, cause);
      case "ResourceNotFoundException" ->
          new ModelNotFoundException(PROVIDER, message, code, status, retryAfter, cause);
      case "ModelTimeoutException" ->
          new ProviderTimeoutException(PROVIDER, message, code, status, retryAfter, cause);
      // 424 for model errors would be an InvalidRequest by status alone; Bedrock means "the model
      // failed this time".
      case "ModelErrorException",
          "ModelStreamErrorException",
          "InternalServerException",
          "InternalFailure",
          "ServiceUnavailableException",
          "ServiceUnavailable" ->
          new ProviderServerException(PROVIDER, message, code, status, retryAfter, cause);
      default -> byStatus.map(status, code, message, retryAfter, cause);
    };
  }

  /**
   * The code as the plain API spells it: event-stream exception frames name it in lower camel case
   * ({@code throttlingException}), and {@code x-amzn-ErrorType} may append {@code :namespace}.
   */
  static String normalizeCode(AwsServiceException service) {
    AwsErrorDetails details = service.awsErrorDetails();
    String code = details == null ? null : details.errorCode();
    if (code == null || code.isBlank()) {
      return null;
    }
    code = code.strip();
    int colon = code.indexOf(':');
    if (colon > 0) {
      code = code.substring(0, colon);
    }
    int hash = code.lastIndexOf('#');
    if (hash >= 0 && hash < code.length() - 1) {
      code = code.substring(hash + 1);
    }
    return code.substring(0, 1).toUpperCase(Locale.ROOT) + code.substring(1);
  }

  private static String errorMessage(AwsServiceException service, String code) {
    AwsErrorDetails details = service.awsErrorDetails();
    String message = details == null ? null : details.errorMessage();
    if (message == null || message.isBlank()) {
      return code != null ? code : "HTTP " + service.statusCode();
    }
    return message;
  }

  private Duration retryAfter(AwsServiceException service) {
    AwsErrorDetails details = service.awsErrorDetails();
    SdkHttpResponse response = details == null ? null : details.sdkHttpResponse();
    if (response == null) {
      return null;
    }
    return response
        .firstMatchingHeader("Retry-After")
        .flatMap(value -> RetryAfter.parseHeader(value, clock))
        .orElse(null);
  }

  private static boolean isTimeout(Throwable error) {
    int depth = 0;
    for (Throwable t = error; t != null && depth < 16; t = t.getCause(), depth++) {
      if (t instanceof ApiCallTimeoutException
          || t instanceof ApiCallAttemptTimeoutException
          || t instanceof TimeoutException
          || t instanceof SocketTimeoutException
          || t instanceof HttpTimeoutException
          // Netty's read/write timeouts and its connect timeout
          || t instanceof ReadTimeoutException
          || t instanceof WriteTimeoutException
          || t instanceof ConnectTimeoutException) {
        return true;
      }
    }
    return false;
  }

  /**
   * The SDK's message for its own exceptions (they say what failed: "Unable to execute HTTP
   * request: Connection refused"); only the class name for anything else, whose message may carry
   * anything.
   */
  private String describe(Throwable error) {
    if (error instanceof SdkException sdk && sdk.getMessage() != null) {
      return scrub(sdk.getMessage());
    }
    return "unexpected failure: " + error.getClass().getName();
  }

  private String scrub(String text) {
    return SanitizedException.scrub(text, secrets);
  }

  private Throwable sanitized(Throwable error) {
    return SanitizedException.copyOf(error, secrets);
  }

  private static <T extends Throwable> T find(Throwable error, Class<T> type) {
    int depth = 0;
    for (Throwable t = error; t != null && depth < 16; t = t.getCause(), depth++) {
      if (type.isInstance(t)) {
        return type.cast(t);
      }
    }
    return null;
  }
}
