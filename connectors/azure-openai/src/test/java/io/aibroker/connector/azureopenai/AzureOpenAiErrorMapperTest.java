package io.aibroker.connector.azureopenai;

import static org.assertj.core.api.Assertions.assertThat;

import com.azure.core.exception.ClientAuthenticationException;
import com.azure.core.exception.HttpResponseException;
import com.azure.core.exception.ResourceNotFoundException;
import com.azure.identity.CredentialUnavailableException;
import com.fasterxml.jackson.core.JsonParseException;
import io.aibroker.connector.AuthenticationException;
import io.aibroker.connector.ContentFilteredException;
import io.aibroker.connector.ErrorClass;
import io.aibroker.connector.InvalidRequestException;
import io.aibroker.connector.ModelNotFoundException;
import io.aibroker.connector.ProviderException;
import io.aibroker.connector.ProviderServerException;
import io.aibroker.connector.ProviderTimeoutException;
import io.aibroker.connector.RateLimitedException;
import io.netty.channel.ConnectTimeoutException;
import io.netty.handler.timeout.ReadTimeoutException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ConnectException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.Test;
import reactor.core.Exceptions;

class AzureOpenAiErrorMapperTest {

  private static final Instant NOW = Instant.parse("2025-03-01T12:00:00Z");
  private static final String SECRET = "0123456789abcdef0123456789abcdef";

  private final AzureOpenAiErrorMapper mapper =
      new AzureOpenAiErrorMapper(Clock.fixed(NOW, ZoneOffset.UTC), List.of(SECRET));

  @Test
  void rateLimitIsRetryableWithTheMillisecondHint() {
    ProviderException error =
        mapper.map(
            http(
                429,
                Map.of("retry-after-ms", "1500", "x-ms-retry-after-ms", "9000", "Retry-After", "9"),
                error("429", "Rate limit is exceeded. Try again in 2 seconds.")));

    assertThat(error).isInstanceOf(RateLimitedException.class);
    assertThat(error.errorClass()).isEqualTo(ErrorClass.RETRYABLE);
    assertThat(error.httpStatus()).isEqualTo(429);
    assertThat(error.providerCode()).isEqualTo("429");
    assertThat(error.retryAfter()).contains(Duration.ofMillis(1500));
    assertThat(error).hasMessageContaining("Rate limit is exceeded");
  }

  @Test
  void rateLimitFallsBackToRetryAfterSeconds() {
    ProviderException error =
        mapper.map(http(429, Map.of("Retry-After", "3"), error("429", "slow down")));

    assertThat(error.retryAfter()).contains(Duration.ofSeconds(3));
  }

  @Test
  void rateLimitWithoutHintHasNone() {
    assertThat(mapper.map(http(429, Map.of(), error("429", "slow down"))).retryAfter()).isEmpty();
  }

  @Test
  void contentFilterCodeIsTerminalContentFiltered() {
    ProviderException error =
        mapper.map(
            http(
                400,
                Map.of(),
                "{\"error\":{\"message\":\"The response was filtered due to the prompt triggering"
                    + " Azure OpenAI's content management policy.\",\"type\":null,\"param\":"
                    + "\"prompt\",\"code\":\"content_filter\",\"status\":400,\"innererror\":"
                    + "{\"code\":\"ResponsibleAIPolicyViolation\",\"content_filter_result\":"
                    + "{\"hate\":{\"filtered\":true,\"severity\":\"high\"}}}}}"));

    assertThat(error).isInstanceOf(ContentFilteredException.class);
    assertThat(error.errorClass()).isEqualTo(ErrorClass.TERMINAL);
    assertThat(error.providerCode()).isEqualTo("content_filter");
    assertThat(error.httpStatus()).isEqualTo(400);
  }

  @Test
  void responsibleAiInnerCodeAloneIsContentFiltered() {
    ProviderException error =
        mapper.map(
            http(
                400,
                Map.of(),
                "{\"error\":{\"code\":\"BadRequest\",\"message\":\"blocked\","
                    + "\"innererror\":{\"code\":\"ResponsibleAIPolicyViolation\"}}}"));

    assertThat(error).isInstanceOf(ContentFilteredException.class);
    assertThat(error.providerCode()).isEqualTo("BadRequest");
  }

  @Test
  void otherBadRequestIsInvalidRequestWithTheBodysCode() {
    ProviderException error =
        mapper.map(http(400, Map.of(), error("context_length_exceeded", "too long")));

    assertThat(error).isInstanceOf(InvalidRequestException.class);
    assertThat(error.errorClass()).isEqualTo(ErrorClass.TERMINAL);
    assertThat(error.providerCode()).isEqualTo("context_length_exceeded");
  }

  @Test
  void unauthorizedIsAuthenticationAndLeavesTheEchoingMessageOut() {
    StubHttpResponse response =
        new StubHttpResponse(401, error("401", "Access denied due to invalid key " + SECRET));
    ClientAuthenticationException sdk =
        new ClientAuthenticationException("Status code 401, \"" + response.body() + "\"", response);

    ProviderException error = mapper.map(sdk);

    assertThat(error).isInstanceOf(AuthenticationException.class);
    assertThat(error.httpStatus()).isEqualTo(401);
    assertThat(error.providerCode()).isEqualTo("401");
    assertThat(error).hasMessageNotContaining(SECRET).hasMessageNotContaining("Access denied");
    assertThat(error.getCause()).as("the SDK exception quotes the body").isNull();
  }

  @Test
  void forbiddenIsAuthentication() {
    ProviderException error = mapper.map(http(403, Map.of(), error("PermissionDenied", "no")));

    assertThat(error).isInstanceOf(AuthenticationException.class);
    assertThat(error.httpStatus()).isEqualTo(403);
    assertThat(error.providerCode()).isEqualTo("PermissionDenied");
  }

  @Test
  void entraIdFailureWithoutResponseIsAuthentication() {
    ProviderException error =
        mapper.map(new CredentialUnavailableException("EnvironmentCredential unavailable"));

    assertThat(error).isInstanceOf(AuthenticationException.class);
    assertThat(error.errorClass()).isEqualTo(ErrorClass.TERMINAL);
    assertThat(error.httpStatus()).isZero();
  }

  @Test
  void missingDeploymentIsModelNotFound() {
    StubHttpResponse response =
        new StubHttpResponse(404, error("DeploymentNotFound", "The API deployment ..."));

    ProviderException error =
        mapper.map(
            new ResourceNotFoundException(
                "Status code 404, \"" + response.body() + "\"", response));

    assertThat(error).isInstanceOf(ModelNotFoundException.class);
    assertThat(error.providerCode()).isEqualTo("DeploymentNotFound");
  }

  @Test
  void timeoutStatusesAreTimeoutsAndServerErrorsRetryable() {
    assertThat(mapper.map(http(408, Map.of(), error("408", "timeout"))))
        .isInstanceOf(ProviderTimeoutException.class);
    assertThat(mapper.map(http(504, Map.of(), "<html>Gateway Timeout</html>")))
        .isInstanceOf(ProviderTimeoutException.class);
    ProviderException unavailable =
        mapper.map(http(503, Map.of(), error("ServiceUnavailable", "x")));
    assertThat(unavailable).isInstanceOf(ProviderServerException.class);
    assertThat(unavailable.providerCode()).isEqualTo("ServiceUnavailable");
    assertThat(mapper.map(http(500, Map.of(), "")).errorClass()).isEqualTo(ErrorClass.RETRYABLE);
  }

  @Test
  void bodyIsReadFromTheExceptionMessageWhenTheSdkAttachedNoValue() {
    String body = error("429", "slow down");
    HttpResponseException sdk =
        new HttpResponseException(
            "Status code 429, \"" + body + "\"", new StubHttpResponse(429, body), (Object) null);

    assertThat(mapper.map(sdk).providerCode()).isEqualTo("429");
  }

  @Test
  void bodyIsReadFromTheSdksDecodedValue() {
    HttpResponseException sdk =
        new HttpResponseException(
            "Status code 400",
            new StubHttpResponse(400, ""),
            Map.of("error", Map.of("code", "content_filter", "message", "filtered")));

    ProviderException error = mapper.map(sdk);

    assertThat(error).isInstanceOf(ContentFilteredException.class);
    assertThat(error.providerCode()).isEqualTo("content_filter");
  }

  @Test
  void nonJsonBodyStillMapsByStatus() {
    ProviderException error = mapper.map(http(502, Map.of(), "<html>Bad Gateway</html>"));

    assertThat(error).isInstanceOf(ProviderServerException.class);
    assertThat(error.providerCode()).isNull();
  }

  @Test
  void gatewayStyleBodyGivesItsStatusCode() {
    ProviderException error =
        mapper.map(
            http(
                401,
                Map.of(),
                "{\"statusCode\":401,\"message\":\"Unauthorized. Access token is missing\"}"));

    assertThat(error).isInstanceOf(AuthenticationException.class);
    assertThat(error.providerCode()).isEqualTo("401");
  }

  @Test
  void configuredKeyIsScrubbedFromProviderMessages() {
    ProviderException error =
        mapper.map(http(400, Map.of(), error("invalid", "bad header value " + SECRET)));

    assertThat(error).hasMessageContaining("bad header value ***").hasMessageNotContaining(SECRET);
  }

  @Test
  void clientTimeoutsAreTimeouts() {
    assertThat(mapper.map(new TimeoutException("Channel response timed out after 60000 ms")))
        .isInstanceOf(ProviderTimeoutException.class);
    assertThat(mapper.map(ReadTimeoutException.INSTANCE))
        .isInstanceOf(ProviderTimeoutException.class);
    assertThat(mapper.map(new ConnectTimeoutException("connection timed out")))
        .isInstanceOf(ProviderTimeoutException.class);
  }

  @Test
  void connectionFailuresAreRetryableServerErrors() {
    ProviderException refused = mapper.map(new ConnectException("Connection refused"));
    ProviderException reset = mapper.map(new IOException("Connection reset by peer"));

    assertThat(refused).isInstanceOf(ProviderServerException.class);
    assertThat(refused.getCause()).isInstanceOf(ConnectException.class);
    assertThat(reset).isInstanceOf(ProviderServerException.class);
  }

  @Test
  void malformedBodyIsRetryableAndDoesNotQuoteTheBody() {
    ProviderException error =
        mapper.map(
            new UncheckedIOException(
                new JsonParseException(null, "Unexpected end-of-input: \"tenant reply")));

    assertThat(error).isInstanceOf(ProviderServerException.class);
    assertThat(error).hasMessageStartingWith("azure-openai: malformed response");
    assertThat(error.getCause()).isNull();
    assertThat(error).hasMessageNotContaining("tenant reply");
  }

  @Test
  void wrappedSdkErrorsAreUnwrapped() {
    HttpResponseException rateLimited = http(429, Map.of(), error("429", "slow down"));

    assertThat(mapper.map(new RuntimeException(rateLimited)))
        .isInstanceOf(RateLimitedException.class);
    assertThat(mapper.map(Exceptions.propagate(new ConnectException("refused"))))
        .isInstanceOf(ProviderServerException.class);
  }

  @Test
  void classifiedErrorsPassThroughAndUnknownOnesAreRetryable() {
    ProviderException classified = new InvalidRequestException("azure-openai", "bad role");

    assertThat(mapper.map(classified)).isSameAs(classified);
    ProviderException unknown = mapper.map(new IllegalArgumentException("what"));
    assertThat(unknown).isInstanceOf(ProviderServerException.class);
    assertThat(unknown.provider()).isEqualTo("azure-openai");
  }

  private static HttpResponseException http(int status, Map<String, String> headers, String body) {
    StubHttpResponse response = new StubHttpResponse(status, headers, body);
    return new HttpResponseException("Status code " + status + ", \"" + body + "\"", response);
  }

  private static String error(String code, String message) {
    return "{\"error\":{\"code\":\"" + code + "\",\"message\":\"" + message + "\"}}";
  }
}
