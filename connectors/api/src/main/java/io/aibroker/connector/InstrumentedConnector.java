package io.aibroker.connector;

import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * The code around every provider call, written once: times the call, fills in {@link
 * ProviderResponse#providerLatency()}, turns any failure into a {@link ProviderException} with the
 * delegate's {@link Connector#errorMapper()}, and records {@link ConnectorMetrics}.
 *
 * <p>The returned stages complete exceptionally with the {@link ProviderException} itself (stages
 * chained onto them see it wrapped in a {@link CompletionException}, as usual). Cancelling a
 * returned future cancels the delegate's, if it is one.
 */
public final class InstrumentedConnector implements Connector {

  private final Connector delegate;
  private final ConnectorMetrics metrics;

  /**
   * @param delegate the provider connector
   * @param registry where metrics go
   */
  public InstrumentedConnector(Connector delegate, MeterRegistry registry) {
    this.delegate = Objects.requireNonNull(delegate, "delegate");
    this.metrics = new ConnectorMetrics(Objects.requireNonNull(registry, "registry"), provider());
  }

  /** Wraps {@code connector}, unless it is already instrumented. */
  public static Connector wrap(Connector connector, MeterRegistry registry) {
    return connector instanceof InstrumentedConnector
        ? connector
        : new InstrumentedConnector(connector, registry);
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
    return observe(call, () -> delegate.call(call));
  }

  @Override
  public CompletionStage<ProviderResponse> stream(ProviderCall call, Consumer<TextDelta> onDelta) {
    Objects.requireNonNull(call, "call");
    Objects.requireNonNull(onDelta, "onDelta");
    long start = metrics.monotonicTime();
    AtomicBoolean first = new AtomicBoolean(true);
    Consumer<TextDelta> timed =
        delta -> {
          if (first.compareAndSet(true, false)) {
            metrics.recordFirstDelta(call, elapsedSince(start));
          }
          onDelta.accept(delta);
        };
    return observe(call, () -> delegate.stream(call, timed));
  }

  @Override
  public ProviderErrorMapper errorMapper() {
    return delegate.errorMapper();
  }

  @Override
  public void close() {
    delegate.close();
  }

  private CompletionStage<ProviderResponse> observe(
      ProviderCall call, Supplier<CompletionStage<ProviderResponse>> invocation) {
    long start = metrics.monotonicTime();
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
          Duration elapsed = elapsedSince(start);
          if (failure == null && response != null) {
            metrics.recordSuccess(call, elapsed, response.usage());
            result.complete(
                response.providerLatency() == null
                    ? response.withProviderLatency(elapsed)
                    : response);
          } else if (result.isCancelled()) {
            metrics.recordCancelled(call, elapsed);
          } else {
            ProviderException mapped =
                classify(
                    failure != null
                        ? failure
                        : new IllegalStateException(
                            provider() + " connector returned no response"));
            metrics.recordFailure(call, elapsed, mapped);
            result.completeExceptionally(mapped);
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

  private ProviderException classify(Throwable failure) {
    Throwable error = unwrap(failure);
    if (error instanceof ProviderException alreadyClassified) {
      return alreadyClassified;
    }
    try {
      ProviderException mapped = delegate.errorMapper().map(error);
      if (mapped != null) {
        return mapped;
      }
    } catch (RuntimeException mapperBug) {
      error.addSuppressed(mapperBug);
    }
    return ProviderErrorMapper.fallback(provider()).map(error);
  }

  private static Throwable unwrap(Throwable failure) {
    Throwable error = failure;
    while ((error instanceof CompletionException || error instanceof ExecutionException)
        && error.getCause() != null) {
      error = error.getCause();
    }
    return error;
  }

  private Duration elapsedSince(long start) {
    return Duration.ofNanos(metrics.monotonicTime() - start);
  }
}
