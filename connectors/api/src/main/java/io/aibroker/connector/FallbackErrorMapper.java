package io.aibroker.connector;

import java.net.SocketTimeoutException;
import java.net.http.HttpTimeoutException;
import java.util.Objects;
import java.util.concurrent.TimeoutException;

/** See {@link ProviderErrorMapper#fallback(String)}. */
final class FallbackErrorMapper implements ProviderErrorMapper {

  private static final int MAX_CAUSE_DEPTH = 16;

  private final String provider;

  FallbackErrorMapper(String provider) {
    this.provider = Objects.requireNonNull(provider, "provider");
  }

  @Override
  public ProviderException map(Throwable error) {
    if (error instanceof ProviderException classified) {
      return classified;
    }
    Throwable timeout = timeoutIn(error);
    if (timeout != null) {
      return new ProviderTimeoutException(
          provider, "timed out: " + timeout.getClass().getName(), null, 0, null, error);
    }
    // Unknown errors are retryable: a later try may well succeed, and the retry budget bounds the
    // cost of being wrong.
    return new ProviderServerException(
        provider, "unclassified failure: " + error.getClass().getName(), null, 0, null, error);
  }

  /** The timeout {@code error} is or was caused by (an SDK wrapping a socket timeout), if any. */
  private static Throwable timeoutIn(Throwable error) {
    int depth = 0;
    for (Throwable t = error; t != null && depth < MAX_CAUSE_DEPTH; t = t.getCause(), depth++) {
      if (t instanceof TimeoutException
          || t instanceof SocketTimeoutException
          || t instanceof HttpTimeoutException) {
        return t;
      }
    }
    return null;
  }
}
