package io.aibroker.connector;

import io.aibroker.connector.batch.BatchApi;
import java.util.Optional;
import java.util.concurrent.CompletionStage;
import java.util.function.Consumer;

/**
 * A client for one AI provider. Implementations do only the call and their error mapping; the
 * worker gets them wrapped in an {@link InstrumentedConnector}, which times calls and turns every
 * failure into a {@link ProviderException}; the worker records the metrics of every call.
 *
 * <p>Implementations must be thread-safe: the worker keeps thousands of calls in flight on one
 * instance. They must not retry on their own (turn the SDK's retries off): the worker owns the
 * retry policy.
 */
public interface Connector extends AutoCloseable {

  /** The provider name, e.g. {@code bedrock}, {@code simulated}; used in metrics and errors. */
  String provider();

  /**
   * Makes the call. Returns at once; the stage completes when the provider answered. Must not block
   * the calling thread for the provider's latency. May complete exceptionally with anything (or
   * throw): {@link #errorMapper()} classifies it.
   */
  CompletionStage<ProviderResponse> call(ProviderCall call);

  /**
   * Makes the call, handing text to {@code onDelta} as it arrives, in order and from one thread at
   * a time. The returned stage completes with the whole response after the last delta.
   *
   * <p>The default is for providers without streaming: it makes a plain {@link #call} and emits the
   * whole text as one delta.
   */
  default CompletionStage<ProviderResponse> stream(ProviderCall call, Consumer<TextDelta> onDelta) {
    return call(call)
        .thenApply(
            response -> {
              if (response.text() != null) {
                onDelta.accept(new TextDelta(0, response.text()));
              }
              return response;
            });
  }

  /**
   * The provider's batch API, for connectors whose provider runs batch jobs at a batch price; empty
   * by default.
   */
  default Optional<BatchApi> batch() {
    return Optional.empty();
  }

  /** Classifies this connector's failures. */
  ProviderErrorMapper errorMapper();

  /**
   * Releases clients and threads. Calls already in flight should still complete. Does not throw
   * checked exceptions.
   */
  @Override
  default void close() {}
}
