package io.aibroker.connector;

/**
 * Turns whatever a provider's SDK or HTTP client threw into a classified {@link ProviderException}.
 * Each connector has its own, since only it knows its SDK's exception types and its provider's
 * error codes; {@link HttpStatusErrorMapper} does the status-code part. Callers do not call it
 * directly but through {@link ProviderErrors#classify}, the one place failures are classified.
 */
@FunctionalInterface
public interface ProviderErrorMapper {

  /**
   * Classifies {@code error}. Receives the unwrapped error (never a {@link
   * java.util.concurrent.CompletionException}). Must return a ProviderException, passing an
   * existing one through; must not throw.
   */
  ProviderException map(Throwable error);

  /**
   * What every provider mapper falls back to for errors it does not know: passes {@link
   * ProviderException}s through, classifies timeouts ({@link java.util.concurrent.TimeoutException}
   * as from {@code orTimeout}, socket and HTTP client timeouts, also as the cause of another error)
   * as {@link ProviderTimeoutException}, and anything else as a retryable {@link
   * ProviderServerException} whose message names only the error's class, since its message may
   * carry anything.
   *
   * @param provider the provider name put into the exceptions
   */
  static ProviderErrorMapper fallback(String provider) {
    return new FallbackErrorMapper(provider);
  }
}
