package io.aibroker.connector;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.time.Duration;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class HttpStatusErrorMapperTest {

  private final HttpStatusErrorMapper mapper = new HttpStatusErrorMapper("bedrock");

  @ParameterizedTest(name = "{0} -> {1}")
  @CsvSource({
    "429, RateLimitedException, RETRYABLE",
    "408, ProviderTimeoutException, RETRYABLE",
    "504, ProviderTimeoutException, RETRYABLE",
    "500, ProviderServerException, RETRYABLE",
    "502, ProviderServerException, RETRYABLE",
    "503, ProviderServerException, RETRYABLE",
    "0, ProviderServerException, RETRYABLE",
    "401, AuthenticationException, TERMINAL",
    "403, AuthenticationException, TERMINAL",
    "404, ModelNotFoundException, TERMINAL",
    "402, QuotaExhaustedException, TERMINAL",
    "400, InvalidRequestException, TERMINAL",
    "413, InvalidRequestException, TERMINAL",
    "422, InvalidRequestException, TERMINAL",
    "424, InvalidRequestException, TERMINAL",
  })
  void mapsEachStatusToItsClassAndErrorClass(
      int status, String expectedClass, ErrorClass expectedErrorClass) {
    ProviderException mapped = mapper.map(status, "boom");

    assertThat(mapped.getClass().getSimpleName()).isEqualTo(expectedClass);
    assertThat(mapped.errorClass()).isEqualTo(expectedErrorClass);
    assertThat(mapped.httpStatus()).isEqualTo(status);
    assertThat(mapped.provider()).isEqualTo("bedrock");
  }

  @ParameterizedTest
  @CsvSource({"429", "503"})
  void keepsProviderCodeRetryAfterAndCause(int status) {
    IOException cause = new IOException("socket");

    ProviderException mapped =
        mapper.map(
            status, "ThrottlingException", "Too many requests", Duration.ofSeconds(2), cause);

    assertThat(mapped.providerCode()).isEqualTo("ThrottlingException");
    assertThat(mapped.retryAfter()).contains(Duration.ofSeconds(2));
    assertThat(mapped.getCause()).isSameAs(cause);
    assertThat(mapped.getMessage())
        .isEqualTo("bedrock: Too many requests (http " + status + ", code ThrottlingException)");
  }
}
