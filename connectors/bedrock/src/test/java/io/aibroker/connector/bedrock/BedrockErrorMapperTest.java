package io.aibroker.connector.bedrock;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.core.JsonParseException;
import io.aibroker.connector.AuthenticationException;
import io.aibroker.connector.ErrorClass;
import io.aibroker.connector.InvalidRequestException;
import io.aibroker.connector.ModelNotFoundException;
import io.aibroker.connector.ProviderException;
import io.aibroker.connector.ProviderServerException;
import io.aibroker.connector.ProviderTimeoutException;
import io.aibroker.connector.QuotaExhaustedException;
import io.aibroker.connector.RateLimitedException;
import io.netty.handler.timeout.ReadTimeoutException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ConnectException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import software.amazon.awssdk.awscore.exception.AwsErrorDetails;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.exception.ApiCallTimeoutException;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.http.SdkHttpResponse;
import software.amazon.awssdk.services.bedrockruntime.model.BedrockRuntimeException;
import software.amazon.awssdk.services.bedrockruntime.model.ThrottlingException;

class BedrockErrorMapperTest {

  private static final Instant NOW = Instant.parse("2026-01-02T03:04:05Z");
  private static final String SECRET = "presented-key-0123456789";

  private final BedrockErrorMapper mapper =
      new BedrockErrorMapper(Clock.fixed(NOW, ZoneOffset.UTC), Set.of(SECRET));

  @ParameterizedTest(name = "{0} ({1}) -> {2}")
  @CsvSource({
    "ThrottlingException,           429, rate_limited,     RETRYABLE",
    "ModelNotReadyException,        429, rate_limited,     RETRYABLE",
    "ServiceQuotaExceededException, 400, quota_exhausted,  TERMINAL",
    "ValidationException,           400, invalid_request,  TERMINAL",
    "AccessDeniedException,         403, authentication,   TERMINAL",
    "UnrecognizedClientException,   403, authentication,   TERMINAL",
    "ExpiredTokenException,         403, authentication,   TERMINAL",
    "ResourceNotFoundException,     404, model_not_found,  TERMINAL",
    "ModelTimeoutException,         408, timeout,          RETRYABLE",
    "ModelErrorException,           424, server_error,     RETRYABLE",
    "ModelStreamErrorException,     424, server_error,     RETRYABLE",
    "InternalServerException,       500, server_error,     RETRYABLE",
    "ServiceUnavailableException,   503, server_error,     RETRYABLE",
    "ConflictException,             400, invalid_request,  TERMINAL",
    "SomethingNewException,         429, rate_limited,     RETRYABLE",
    "SomethingNewException,         502, server_error,     RETRYABLE",
    "SomethingNewException,         422, invalid_request,  TERMINAL",
  })
  void classifiesByAwsErrorCodeThenStatus(
      String code, int status, String errorType, ErrorClass errorClass) {
    ProviderException mapped = mapper.map(serviceError(code, status, "went wrong", null));

    assertThat(mapped.errorType()).isEqualTo(errorType);
    assertThat(mapped.errorClass()).isEqualTo(errorClass);
    assertThat(mapped.providerCode()).isEqualTo(code);
    assertThat(mapped.httpStatus()).isEqualTo(status);
    assertThat(mapped.provider()).isEqualTo("bedrock");
    assertThat(mapped.getMessage()).contains("went wrong");
  }

  @Test
  void throttlingIsRetryableAlthoughTheSdkFlagsItNotRetryable() {
    ThrottlingException throttled =
        ThrottlingException.builder()
            .statusCode(429)
            .awsErrorDetails(details("ThrottlingException", 429, "Too many requests", null))
            .build();

    assertThat(throttled.retryable()).isFalse();
    assertThat(mapper.map(throttled)).isInstanceOf(RateLimitedException.class);
  }

  @Test
  void streamExceptionCodesInLowerCamelCaseAreNormalised() {
    ProviderException mapped = mapper.map(serviceError("throttlingException", 200, "slow", null));

    assertThat(mapped).isInstanceOf(RateLimitedException.class);
    assertThat(mapped.providerCode()).isEqualTo("ThrottlingException");
    assertThat(mapped.httpStatus()).as("no error status on a 200 stream").isZero();
  }

  @Test
  void errorTypeNamespaceSuffixIsDropped() {
    ProviderException mapped =
        mapper.map(
            serviceError(
                "ValidationException:http://internal.amazon.com/coral/com.amazon.bedrock/",
                400,
                "bad",
                null));

    assertThat(mapped).isInstanceOf(InvalidRequestException.class);
    assertThat(mapped.providerCode()).isEqualTo("ValidationException");
  }

  @Test
  void missingCodeFallsBackToStatus() {
    assertThat(mapper.map(serviceError(null, 404, "gone", null)))
        .isInstanceOf(ModelNotFoundException.class)
        .extracting(ProviderException::providerCode)
        .isNull();
    assertThat(mapper.map(serviceError(null, 403, "no", null)))
        .isInstanceOf(AuthenticationException.class);
  }

  @Test
  void retryAfterIsHonouredInSecondsAndAsADate() {
    assertThat(mapper.map(serviceError("ThrottlingException", 429, "slow", "2")).retryAfter())
        .contains(Duration.ofSeconds(2));
    assertThat(
            mapper
                .map(
                    serviceError(
                        "ThrottlingException", 429, "slow", "Fri, 02 Jan 2026 03:04:15 GMT"))
                .retryAfter())
        .contains(Duration.ofSeconds(10));
  }

  @Test
  void noRetryAfterMeansNoHint() {
    assertThat(mapper.map(serviceError("ThrottlingException", 429, "slow", null)).retryAfter())
        .isEmpty();
  }

  @Test
  void serviceQuotaIsTerminalUnlikeThrottling() {
    ProviderException mapped =
        mapper.map(serviceError("ServiceQuotaExceededException", 400, "tokens per day", null));

    assertThat(mapped).isInstanceOf(QuotaExhaustedException.class);
    assertThat(mapped.errorClass()).isEqualTo(ErrorClass.TERMINAL);
  }

  @Test
  void sdkCallTimeoutIsATimeout() {
    ProviderException mapped = mapper.map(ApiCallTimeoutException.create(750));

    assertThat(mapped).isInstanceOf(ProviderTimeoutException.class);
    assertThat(mapped.errorClass()).isEqualTo(ErrorClass.RETRYABLE);
  }

  @Test
  void nettyReadTimeoutUnderAnSdkClientExceptionIsATimeout() {
    SdkClientException failure =
        SdkClientException.builder()
            .message("Unable to execute HTTP request: Read timed out")
            .cause(new IOException("Read timed out", ReadTimeoutException.INSTANCE))
            .build();

    assertThat(mapper.map(failure)).isInstanceOf(ProviderTimeoutException.class);
  }

  @Test
  void connectionFailureIsARetryableServerErrorWithTheSdkMessage() {
    SdkClientException failure =
        SdkClientException.builder()
            .message("Unable to execute HTTP request: Connection refused")
            .cause(new ConnectException("Connection refused"))
            .build();

    ProviderException mapped = mapper.map(failure);

    assertThat(mapped).isInstanceOf(ProviderServerException.class);
    assertThat(mapped.getMessage()).contains("Connection refused");
    assertThat(mapped.httpStatus()).isZero();
  }

  @Test
  void jsonParserDetailIsWithheldBecauseItCanQuoteTheReply() {
    JsonParseException parser =
        new JsonParseException(null, "Unrecognized token 'TenantReplyText': was expecting JSON");
    UncheckedIOException unchecked = new UncheckedIOException(parser);
    SdkClientException failure =
        SdkClientException.builder()
            .message("Unable to execute HTTP request: " + unchecked.getMessage())
            .cause(unchecked)
            .build();

    ProviderException mapped = mapper.map(failure);

    assertThat(mapped).isInstanceOf(ProviderServerException.class);
    List<Throwable> chain = new ArrayList<>();
    collect(mapped, chain);
    assertThat(chain).hasSize(4);
    for (Throwable t : chain) {
      assertThat(t.toString()).doesNotContain("TenantReplyText");
    }
    assertThat(mapped.getMessage()).contains(JsonParseException.class.getName());
  }

  @Test
  void foreignExceptionsAreNamedByClassOnly() {
    ProviderException mapped = mapper.map(new IllegalStateException("prompt text here"));

    assertThat(mapped).isInstanceOf(ProviderServerException.class);
    assertThat(mapped.getMessage())
        .contains("java.lang.IllegalStateException")
        .doesNotContain("prompt text here");
  }

  @Test
  void providerExceptionsPassThrough() {
    ProviderException already = new RateLimitedException("bedrock", "slow");

    assertThat(mapper.map(already)).isSameAs(already);
  }

  @Test
  void secretIsScrubbedFromTheMessageAndTheWholeCauseChain() {
    AwsServiceException echoed =
        serviceError(
            "UnrecognizedClientException", 401, "The token " + SECRET + " is invalid", null);
    RuntimeException wrapped = new RuntimeException("wrapper mentions " + SECRET, echoed);
    wrapped.addSuppressed(new IllegalStateException("suppressed " + SECRET));

    ProviderException mapped = mapper.map(wrapped);

    assertThat(mapped).isInstanceOf(AuthenticationException.class);
    List<Throwable> chain = new ArrayList<>();
    collect(mapped, chain);
    assertThat(chain).hasSizeGreaterThanOrEqualTo(4);
    for (Throwable t : chain) {
      assertThat(t.getMessage()).doesNotContain(SECRET);
      assertThat(t.toString()).doesNotContain(SECRET);
    }
    assertThat(mapped.getCause().toString())
        .as("the copy still names the original class")
        .startsWith(RuntimeException.class.getName());
    assertThat(mapped.getCause().getStackTrace()).isEqualTo(wrapped.getStackTrace());
  }

  private static void collect(Throwable t, List<Throwable> into) {
    if (t == null || into.contains(t)) {
      return;
    }
    into.add(t);
    collect(t.getCause(), into);
    for (Throwable suppressed : t.getSuppressed()) {
      collect(suppressed, into);
    }
  }

  private static AwsServiceException serviceError(
      String code, int status, String message, String retryAfter) {
    return BedrockRuntimeException.builder()
        .statusCode(status)
        .message(message)
        .awsErrorDetails(details(code, status, message, retryAfter))
        .build();
  }

  private static AwsErrorDetails details(
      String code, int status, String message, String retryAfter) {
    SdkHttpResponse.Builder response = SdkHttpResponse.builder().statusCode(status);
    if (retryAfter != null) {
      response.putHeader("Retry-After", retryAfter);
    }
    return AwsErrorDetails.builder()
        .errorCode(code)
        .errorMessage(message)
        .serviceName("BedrockRuntime")
        .sdkHttpResponse(response.build())
        .build();
  }
}
