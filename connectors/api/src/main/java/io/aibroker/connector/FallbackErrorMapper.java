package io.aibroker.connector;

import java.net.SocketTimeoutException;
import java.net.http.HttpTimeoutException;
import java.util.Objects;
import java.util.concurrent.TimeoutException;

/** See {@link ProviderErrorMapper#fallback(String)}. */
final class FallbackErrorMapper implements ProviderErrorMapper {

  private final String provider;

  FallbackErrorMapper(String provider) {
    this.provider = Objects.requireNonNull(provider, "provider");
  }

  @Override
  public ProviderException map(Throwable error) {
    if (error instanceof ProviderException classified) {
      return classified;
    }
    String message = "unclassified failure: " + error.getClass().getName();
    if (error instanceof TimeoutException
        || error instanceof SocketTimeoutException
        || error instanceof HttpTimeoutException) {
      return new ProviderTimeoutException(
          provider, "timed out: " + error.getClass().getName(), null, 0, null, error);
    }
    // Unknown errors are retryable: a later try may well succeed, and the retry budget bounds the
    // cost of being wrong.
    return new ProviderServerException(provider, message, null, 0, null, error);
  }
}
