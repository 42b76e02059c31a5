package io.aibroker.connector;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ProviderExceptionTest {

  @Test
  void retryableAndTerminalFamiliesReportTheirErrorClass() {
    assertThat(new RateLimitedException("p", "m").errorClass()).isEqualTo(ErrorClass.RETRYABLE);
    assertThat(new ProviderServerException("p", "m").errorClass()).isEqualTo(ErrorClass.RETRYABLE);
    assertThat(new ProviderTimeoutException("p", "m").errorClass()).isEqualTo(ErrorClass.RETRYABLE);
    assertThat(new AuthenticationException("p", "m").errorClass()).isEqualTo(ErrorClass.TERMINAL);
    assertThat(new InvalidRequestException("p", "m").errorClass()).isEqualTo(ErrorClass.TERMINAL);
    assertThat(new ContentFilteredException("p", "m").errorClass()).isEqualTo(ErrorClass.TERMINAL);
    assertThat(new ModelNotFoundException("p", "m").errorClass()).isEqualTo(ErrorClass.TERMINAL);
    assertThat(new QuotaExhaustedException("p", "m").errorClass()).isEqualTo(ErrorClass.TERMINAL);
  }

  @Test
  void everyExceptionOfTheTreeHasItsKindWhoseTagIsItsErrorType() {
    Map<ProviderException, ErrorKind> kinds = new LinkedHashMap<>();
    kinds.put(new ProviderTimeoutException("p", "m"), ErrorKind.TIMEOUT);
    kinds.put(new RateLimitedException("p", "m"), ErrorKind.RATE_LIMITED);
    kinds.put(new ProviderServerException("p", "m"), ErrorKind.SERVER_ERROR);
    kinds.put(new AuthenticationException("p", "m"), ErrorKind.AUTH);
    kinds.put(new ModelNotFoundException("p", "m"), ErrorKind.MODEL_NOT_FOUND);
    kinds.put(new QuotaExhaustedException("p", "m"), ErrorKind.QUOTA_EXHAUSTED);
    kinds.put(new InvalidRequestException("p", "m"), ErrorKind.INVALID_REQUEST);
    kinds.put(new ContentFilteredException("p", "m"), ErrorKind.CONTENT_FILTERED);

    assertThat(kinds.values()).containsExactlyInAnyOrder(ErrorKind.values());
    kinds.forEach(
        (exception, kind) -> {
          assertThat(exception.kind()).isEqualTo(kind);
          assertThat(exception.errorType()).isEqualTo(kind.tag());
        });
    assertThat(new ProviderTimeoutException("p", "m").errorType())
        .isEqualTo(ProviderTimeoutException.TYPE);
    assertThat(new AuthenticationException("p", "m").errorType())
        .isEqualTo(AuthenticationException.TYPE);
  }

  @Test
  void plainExceptionHasNoStatusCodeOrRetryHint() {
    ProviderException e = new ContentFilteredException("azure-openai", "blocked");

    assertThat(e.httpStatus()).isZero();
    assertThat(e.providerCode()).isNull();
    assertThat(e.retryAfter()).isEmpty();
    assertThat(e.errorType()).isEqualTo("content_filtered");
    assertThat(e.getMessage()).isEqualTo("azure-openai: blocked");
  }

  @Test
  void ignoresANegativeRetryHint() {
    ProviderException e =
        new RateLimitedException("p", "slow down", null, 429, Duration.ofSeconds(-1), null);

    assertThat(e.retryAfter()).isEmpty();
  }

  @Test
  void masksCredentialsThatProvidersEchoIntoMessages() {
    ProviderException e =
        new AuthenticationException(
            "workers-ai",
            "bad header Authorization: Bearer abc.def-123 api-key=0123456789abcdef"
                + " key sk-proj-abcdefghijkl id AKIAABCDEFGHIJKLMNOP");

    assertThat(e.getMessage())
        .doesNotContain("abc.def-123", "0123456789abcdef", "abcdefghijkl", "ABCDEFGHIJKLMNOP")
        .contains("Bearer ***", "api-key=***", "sk-***", "AKIA***");
  }

  @Test
  void cutsHugeProviderBodies() {
    ProviderException e = new ProviderServerException("p", "<html>" + "x".repeat(10_000));

    assertThat(e.getMessage()).hasSizeLessThan(Redaction.MAX_LENGTH + 20);
  }
}
