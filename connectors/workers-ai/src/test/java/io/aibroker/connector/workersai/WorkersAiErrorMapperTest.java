package io.aibroker.connector.workersai;

import static org.assertj.core.api.Assertions.assertThat;

import io.aibroker.connector.AuthenticationException;
import io.aibroker.connector.ErrorClass;
import io.aibroker.connector.InvalidRequestException;
import io.aibroker.connector.ModelNotFoundException;
import io.aibroker.connector.ProviderException;
import io.aibroker.connector.ProviderServerException;
import io.aibroker.connector.ProviderTimeoutException;
import io.aibroker.connector.QuotaExhaustedException;
import io.aibroker.connector.RateLimitedException;
import java.io.IOException;
import java.net.ConnectException;
import java.net.http.HttpTimeoutException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class WorkersAiErrorMapperTest {

  private static final Clock CLOCK =
      Clock.fixed(Instant.parse("2026-01-01T00:00:00Z"), ZoneOffset.UTC);
  private final WorkersAiErrorMapper mapper =
      new WorkersAiErrorMapper("workers-ai", "secret-token-123", CLOCK);

  @ParameterizedTest(name = "code {0} with http {1} -> {2}")
  @CsvSource({
    "3040, 429, RateLimitedException,      RETRYABLE",
    "3036, 429, QuotaExhaustedException,   TERMINAL",
    "3007, 408, ProviderTimeoutException,  RETRYABLE",
    "3008, 408, ProviderServerException,   RETRYABLE",
    "3003, 400, ProviderServerException,   RETRYABLE",
    "5007, 400, ModelNotFoundException,    TERMINAL",
    "3042, 404, ModelNotFoundException,    TERMINAL",
    "3006, 413, InvalidRequestException,   TERMINAL",
    "3023, 403, AuthenticationException,   TERMINAL",
    "10000, 401, AuthenticationException,  TERMINAL",
    "10000, 403, AuthenticationException,  TERMINAL",
    // the code decides even when the status says otherwise
    "3040, 500, RateLimitedException,      RETRYABLE",
    "3036, 200, QuotaExhaustedException,   TERMINAL",
    // unknown codes go by status
    "5004, 400, InvalidRequestException,   TERMINAL",
    "5018, 403, AuthenticationException,   TERMINAL",
    "9999, 503, ProviderServerException,   RETRYABLE",
    "9999, 504, ProviderTimeoutException,  RETRYABLE",
    "9999, 429, RateLimitedException,      RETRYABLE",
  })
  void mapsCloudflareCodesBeforeHttpStatus(
      int code, int status, String exception, ErrorClass errorClass) {
    ProviderException error =
        mapper.fromResponse(status, null, envelope(code, "something went wrong"));

    assertThat(error.getClass().getSimpleName()).isEqualTo(exception);
    assertThat(error.errorClass()).isEqualTo(errorClass);
    assertThat(error.providerCode()).isEqualTo(Integer.toString(code));
    assertThat(error.httpStatus()).isEqualTo(status);
    assertThat(error.provider()).isEqualTo("workers-ai");
  }

  @Test
  void capacityExceededCarriesTheRetryAfterHeader() {
    ProviderException error = mapper.fromResponse(429, "3", envelope(3040, "Capacity exceeded"));

    assertThat(error).isInstanceOf(RateLimitedException.class);
    assertThat(error.retryAfter()).contains(Duration.ofSeconds(3));
  }

  @Test
  void retryAfterMayBeAnHttpDate() {
    ProviderException error =
        mapper.fromResponse(429, "Thu, 01 Jan 2026 00:00:30 GMT", envelope(3040, "busy"));

    assertThat(error.retryAfter()).contains(Duration.ofSeconds(30));
  }

  @Test
  void bodyThatIsNotTheEnvelopeFallsBackToTheStatus() {
    ProviderException error = mapper.fromResponse(502, null, "<html>Bad gateway</html>");

    assertThat(error).isInstanceOf(ProviderServerException.class);
    assertThat(error.providerCode()).isNull();
    assertThat(error.getMessage()).contains("HTTP 502");
  }

  @Test
  void emptyBodyFallsBackToTheStatus() {
    assertThat(mapper.fromResponse(404, null, "")).isInstanceOf(ModelNotFoundException.class);
    assertThat(mapper.fromResponse(401, null, null)).isInstanceOf(AuthenticationException.class);
    assertThat(mapper.fromResponse(413, null, "{}")).isInstanceOf(InvalidRequestException.class);
  }

  @Test
  void tokenIsScrubbedFromProviderMessages() {
    ProviderException error =
        mapper.fromResponse(401, null, envelope(10000, "bad token secret-token-123 given"));

    assertThat(error.getMessage())
        .doesNotContain("secret-token-123")
        .contains("bad token *** given");
  }

  @Test
  void messageIncludesCloudflaresTextAndCode() {
    ProviderException error = mapper.fromResponse(429, null, envelope(3036, "daily allocation"));

    assertThat(error).isInstanceOf(QuotaExhaustedException.class);
    assertThat(error.getMessage()).contains("daily allocation").contains("code 3036");
  }

  @Test
  void clientTimeoutsAreRetryableTimeouts() {
    assertThat(mapper.map(new HttpTimeoutException("request timed out")))
        .isInstanceOf(ProviderTimeoutException.class);
    assertThat(mapper.map(new TimeoutException())).isInstanceOf(ProviderTimeoutException.class);
  }

  @Test
  void ioFailuresAreRetryableServerErrorsNamingOnlyTheClass() {
    ProviderException error = mapper.map(new ConnectException("to 10.0.0.1 secret-token-123"));

    assertThat(error).isInstanceOf(ProviderServerException.class);
    assertThat(error.getMessage()).contains("ConnectException").doesNotContain("10.0.0.1");
    assertThat(mapper.map(new IOException("reset"))).isInstanceOf(ProviderServerException.class);
  }

  @Test
  void providerExceptionsPassThroughAndOthersFallBack() {
    ProviderException original = new InvalidRequestException("workers-ai", "bad");

    assertThat(mapper.map(original)).isSameAs(original);
    assertThat(mapper.map(new IllegalStateException("boom")))
        .isInstanceOf(ProviderServerException.class);
  }

  private static String envelope(int code, String message) {
    return "{\"result\":null,\"success\":false,\"errors\":[{\"code\":"
        + code
        + ",\"message\":\""
        + message
        + "\"}],\"messages\":[]}";
  }
}
