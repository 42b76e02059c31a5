package io.aibroker.workers;

import io.aibroker.connector.Connector;
import io.aibroker.connector.ProviderCall;
import io.aibroker.connector.ProviderErrorMapper;
import io.aibroker.connector.ProviderException;
import io.aibroker.connector.ProviderResponse;
import io.aibroker.connector.TextDelta;
import io.aibroker.connector.TokenUsage;
import io.aibroker.testing.MutableClock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Consumer;

/**
 * A connector that plays a script: each call takes the next step (the last one repeats), and every
 * call's start time is recorded. Each call moves the test clock by {@code latency} before it
 * completes, so durations are predictable.
 */
final class ScriptedConnector implements Connector {

  /** What one call does. */
  interface Step {
    CompletableFuture<ProviderResponse> run(ProviderCall call, Consumer<TextDelta> onDelta);
  }

  private final MutableClock clock;
  private final Duration latency;
  private final Deque<Step> script = new ArrayDeque<>();
  private final List<Instant> callTimes = new ArrayList<>();
  private final List<CompletableFuture<ProviderResponse>> pending = new ArrayList<>();

  ScriptedConnector(MutableClock clock, Duration latency, Step... steps) {
    this.clock = clock;
    this.latency = latency;
    this.script.addAll(List.of(steps));
  }

  static Step answers(String text) {
    return (call, onDelta) ->
        CompletableFuture.completedFuture(
            ProviderResponse.ofText(text, ProviderResponse.FINISH_STOP, new TokenUsage(3, 5)));
  }

  static Step streams(String... pieces) {
    return (call, onDelta) -> {
      for (int i = 0; i < pieces.length; i++) {
        onDelta.accept(new TextDelta(i, pieces[i]));
      }
      return CompletableFuture.completedFuture(
          ProviderResponse.ofText(
              String.join("", pieces), ProviderResponse.FINISH_STOP, new TokenUsage(3, 5)));
    };
  }

  /** Streams {@code pieces}, then fails. */
  static Step streamsThenFails(ProviderException failure, String... pieces) {
    return (call, onDelta) -> {
      for (int i = 0; i < pieces.length; i++) {
        onDelta.accept(new TextDelta(i, pieces[i]));
      }
      return CompletableFuture.failedFuture(failure);
    };
  }

  static Step fails(ProviderException failure) {
    return (call, onDelta) -> CompletableFuture.failedFuture(failure);
  }

  /** Never completes by itself: the test completes it through {@link #pending()}. */
  static Step waits() {
    return (call, onDelta) -> new CompletableFuture<>();
  }

  synchronized List<Instant> callTimes() {
    return List.copyOf(callTimes);
  }

  synchronized int calls() {
    return callTimes.size();
  }

  /** The futures of calls that wait, in call order. */
  synchronized List<CompletableFuture<ProviderResponse>> pending() {
    return List.copyOf(pending);
  }

  @Override
  public String provider() {
    return "scripted";
  }

  @Override
  public CompletionStage<ProviderResponse> call(ProviderCall call) {
    return run(call, delta -> {});
  }

  @Override
  public CompletionStage<ProviderResponse> stream(ProviderCall call, Consumer<TextDelta> onDelta) {
    return run(call, onDelta);
  }

  private CompletableFuture<ProviderResponse> run(ProviderCall call, Consumer<TextDelta> onDelta) {
    Step step;
    synchronized (this) {
      callTimes.add(clock.instant());
      step = script.size() > 1 ? script.poll() : script.peek();
    }
    clock.advance(latency);
    CompletableFuture<ProviderResponse> result = step.run(call, onDelta);
    if (!result.isDone()) {
      synchronized (this) {
        pending.add(result);
      }
    }
    return result;
  }

  @Override
  public ProviderErrorMapper errorMapper() {
    return ProviderErrorMapper.fallback(provider());
  }
}
