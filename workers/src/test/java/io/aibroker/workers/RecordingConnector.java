package io.aibroker.workers;

import io.aibroker.connector.Connector;
import io.aibroker.connector.ProviderCall;
import io.aibroker.connector.ProviderErrorMapper;
import io.aibroker.connector.ProviderResponse;
import io.aibroker.connector.TextDelta;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Consumer;
import java.util.stream.Collectors;

/**
 * Wraps a connector and records when each call started (System.nanoTime), per request; without a
 * delegate, every call hangs until cancelled.
 */
final class RecordingConnector implements Connector {

  /** One call: which request, when it started. */
  record Call(String requestId, long startedNanos) {}

  private final Connector delegate;
  private final Runnable beforeEachCall;
  private final List<Call> calls = new ArrayList<>();
  private final List<CompletableFuture<ProviderResponse>> hanging = new ArrayList<>();

  RecordingConnector(Connector delegate, Runnable beforeEachCall) {
    this.delegate = delegate;
    this.beforeEachCall = beforeEachCall;
  }

  RecordingConnector(Connector delegate) {
    this(delegate, () -> {});
  }

  /** A connector whose calls never answer. */
  static RecordingConnector hanging() {
    return new RecordingConnector(null);
  }

  synchronized List<Call> calls() {
    return List.copyOf(calls);
  }

  synchronized int callCount() {
    return calls.size();
  }

  /** Call start times by request, in call order. */
  synchronized Map<String, List<Long>> callTimesByRequest() {
    return calls.stream()
        .collect(
            Collectors.groupingBy(
                Call::requestId, Collectors.mapping(Call::startedNanos, Collectors.toList())));
  }

  /** The hanging calls' futures. */
  synchronized List<CompletableFuture<ProviderResponse>> hangingCalls() {
    return List.copyOf(hanging);
  }

  @Override
  public String provider() {
    return delegate == null ? "hanging" : delegate.provider();
  }

  @Override
  public CompletionStage<ProviderResponse> call(ProviderCall call) {
    record(call);
    return delegate == null ? hang() : delegate.call(call);
  }

  @Override
  public CompletionStage<ProviderResponse> stream(ProviderCall call, Consumer<TextDelta> onDelta) {
    record(call);
    return delegate == null ? hang() : delegate.stream(call, onDelta);
  }

  private void record(ProviderCall call) {
    synchronized (this) {
      calls.add(new Call(call.requestId(), System.nanoTime()));
    }
    beforeEachCall.run();
  }

  private synchronized CompletableFuture<ProviderResponse> hang() {
    CompletableFuture<ProviderResponse> never = new CompletableFuture<>();
    hanging.add(never);
    return never;
  }

  @Override
  public ProviderErrorMapper errorMapper() {
    return delegate == null ? ProviderErrorMapper.fallback(provider()) : delegate.errorMapper();
  }

  @Override
  public void close() {
    if (delegate != null) {
      delegate.close();
    }
  }
}
