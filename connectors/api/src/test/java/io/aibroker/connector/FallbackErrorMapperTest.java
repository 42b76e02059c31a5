package io.aibroker.connector;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.SocketTimeoutException;
import java.net.http.HttpTimeoutException;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.Test;

class FallbackErrorMapperTest {

  private final ProviderErrorMapper mapper = ProviderErrorMapper.fallback("bedrock");

  @Test
  void passesClassifiedErrorsThrough() {
    RateLimitedException throttled = new RateLimitedException("bedrock", "slow down");

    assertThat(mapper.map(throttled)).isSameAs(throttled);
  }

  @Test
  void classifiesCallerAndClientTimeoutsAsTimeouts() {
    assertThat(mapper.map(new TimeoutException())).isInstanceOf(ProviderTimeoutException.class);
    assertThat(mapper.map(new SocketTimeoutException("read timed out")))
        .isInstanceOf(ProviderTimeoutException.class);
    assertThat(mapper.map(new HttpTimeoutException("request timed out")))
        .isInstanceOf(ProviderTimeoutException.class);
  }

  @Test
  void classifiesAnErrorCausedByATimeoutAsATimeout() {
    ProviderException mapped =
        mapper.map(new UncheckedIOException(new SocketTimeoutException("read timed out")));

    assertThat(mapped).isInstanceOf(ProviderTimeoutException.class);
    assertThat(mapped.kind()).isEqualTo(ErrorKind.TIMEOUT);
  }

  @Test
  void treatsUnknownErrorsAsRetryableServerErrorsWithoutTheirMessage() {
    IOException unknown = new IOException("GET https://x?api-key=hunter2 failed");

    ProviderException mapped = mapper.map(unknown);

    assertThat(mapped).isInstanceOf(ProviderServerException.class).hasCause(unknown);
    assertThat(mapped.errorClass()).isEqualTo(ErrorClass.RETRYABLE);
    assertThat(mapped.getMessage())
        .isEqualTo("bedrock: unclassified failure: java.io.IOException")
        .doesNotContain("hunter2");
  }
}
