package io.aibroker.connector;

import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Future;
import java.util.function.Consumer;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

/**
 * The code around every provider call, written once: times the call into {@link
 * ProviderResponse#providerLatency()} and turns any failure into a {@link ProviderException} with
 * the one classification ({@link ProviderErrors#classify}, using the delegate's {@link
 * Connector#errorMapper()}).
 *
 * <p>It records no metrics: the worker, which alone knows how a call ended (its own call timeout,
 * the request's deadline, a cancel), records each provider call once (see {@code WorkerMetrics}).
 *
 * <p>The returned stages complete exceptionally with the {@link ProviderException} itself (stages
 * chained onto them see it wrapped in a {@link CompletionException}, as usual). Cancelling a
 * returned future cancels the delegate's, if it is one.
 */
public final class InstrumentedConnector implements Connector {

  private final Connector delegate;
  private final LongSupplier nanoTime;

  /**
   * @param delegate the provider connector
   */
  public InstrumentedConnector(Connector delegate) {
    this(delegate, System::nanoTime);
  }

  /** With a monotonic nanosecond clock of the caller's, for tests. */
  InstrumentedConnector(Connector delegate, LongSupplier nanoTime) {
    this.delegate = Objects.requireNonNull(delegate, "delegate");
    this.nanoTime = Objects.requireNonNull(nanoTime, "nanoTime");
  }

  /** Wraps {@code connector}, unless it is already instrumented. */
  public static Connector wrap(Connector connector) {
    return connector instanceof InstrumentedConnector
        ? connector
        : new InstrumentedConnector(connector);
  }

  /** The wrapped connector. */
  public Connector delegate() {
    return delegate;
  }

  @Override
  public String provider() {
    return delegate.provider();
  }

  @Override
  public CompletionStage<ProviderResponse> call(ProviderCall call) {
    Objects.requireNonNull(call, "call");
    return observe(() -> delegate.call(call));
  }

  @Override
  public CompletionStage<ProviderResponse> stream(ProviderCall call, Consumer<TextDelta> onDelta) {
    Objects.requireNonNull(call, "call");
    Objects.requireNonNull(onDelta, "onDelta");
    return observe(() -> delegate.stream(call, onDelta));
  }

  @Override
  public ProviderErrorMapper errorMapper() {
    return delegate.errorMapper();
  }

  /** The delegate's batch API, as is: batch jobs are timed by the worker, per job. */
  @Override
  public java.util.Optional<io.aibroker.connector.batch.BatchApi> batch() {
    return delegate.batch();
  }

  @Override
  public void close() {
    delegate.close();
  }

  private CompletionStage<ProviderResponse> observe(
      Supplier<CompletionStage<ProviderResponse>> invocation) {
    long start = nanoTime.getAsLong();
    CompletionStage<ProviderResponse> stage;
    try {
      stage =
          Objects.requireNonNull(invocation.get(), () -> provider() + " connector returned null");
    } catch (RuntimeException | Error thrownInsteadOfFailedStage) {
      stage = CompletableFuture.failedFuture(thrownInsteadOfFailedStage);
    }
    CompletableFuture<ProviderResponse> result = new CompletableFuture<>();
    stage.whenComplete(
        (response, failure) -> {
          if (failure == null && response != null) {
            result.complete(
                response.providerLatency() == null
                    ? response.withProviderLatency(elapsedSince(start))
                    : response);
          } else if (!result.isDone()) {
            result.completeExceptionally(ProviderErrors.classify(delegate, failure));
          }
        });
    if (stage instanceof Future<?> source) {
      result.whenComplete(
          (response, failure) -> {
            if (failure instanceof CancellationException) {
              source.cancel(true);
            }
          });
    }
    return result;
  }

  private Duration elapsedSince(long start) {
    return Duration.ofNanos(nanoTime.getAsLong() - start);
  }
}
