package io.aibroker.connector;

/**
 * Turns whatever a provider's SDK or HTTP client threw into a classified {@link ProviderException}.
 * Each connector has its own, since only it knows its SDK's exception types and its provider's
 * error codes; {@link HttpStatusErrorMapper} does the status-code part.
 */
@FunctionalInterface
public interface ProviderErrorMapper {

  /**
   * Classifies {@code error}. Receives the unwrapped error (never a {@link
   * java.util.concurrent.CompletionException}). Must return a ProviderException, passing an
   * existing one through; must not throw.
   */
  ProviderException map(Throwable error);
}
