package io.aibroker.connector;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.micrometer.core.instrument.MockClock;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.simple.SimpleConfig;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

class InstrumentedConnectorTest {

  private static final ProviderCall CALL =
      ProviderCall.chat("r1", "t1", "llama", List.of(ChatMessage.user("hi")))
          .withDeployment("eu-llama");

  private final MockClock clock = new MockClock();
  private final SimpleMeterRegistry registry = new SimpleMeterRegistry(SimpleConfig.DEFAULT, clock);
  private final StubConnector stub = new StubConnector();
  private final InstrumentedConnector connector = new InstrumentedConnector(stub, registry);

  @Test
  void timesSuccessfulCallsAndCountsTokens() {
    CompletableFuture<ProviderResponse> result = connector.call(CALL).toCompletableFuture();
    clock.add(Duration.ofMillis(150));
    stub.pending.complete(
        ProviderResponse.ofText("hello", ProviderResponse.FINISH_STOP, new TokenUsage(12, 5)));

    assertThat(result.join().providerLatency()).isEqualTo(Duration.ofMillis(150));
    Timer timer = callTimer("success", "none");
    assertThat(timer.count()).isEqualTo(1);
    assertThat(timer.totalTime(TimeUnit.MILLISECONDS)).isEqualTo(150);
    assertThat(timer.getId().getTag("model")).isEqualTo("llama");
    assertThat(timer.getId().getTag("task")).isEqualTo("chat");
    assertThat(tokens("input")).isEqualTo(12);
    assertThat(tokens("output")).isEqualTo(5);
  }

  @Test
  void keepsALatencyTheProviderReportedItself() {
    stub.pending.complete(
        ProviderResponse.ofText("x", "stop", TokenUsage.ZERO)
            .withProviderLatency(Duration.ofMillis(42)));

    assertThat(connector.call(CALL).toCompletableFuture().join().providerLatency())
        .isEqualTo(Duration.ofMillis(42));
  }

  @Test
  void mapsWrappedFailuresThroughTheDelegatesMapper() {
    CompletableFuture<ProviderResponse> result = connector.call(CALL).toCompletableFuture();
    stub.pending.completeExceptionally(new CompletionException(new IOException("reset")));

    assertThatThrownBy(result::join)
        .isInstanceOf(CompletionException.class)
        .cause()
        .isInstanceOf(ProviderTimeoutException.class)
        .hasCauseInstanceOf(IOException.class);
    assertThat(stub.mapped).singleElement().isInstanceOf(IOException.class);
    assertThat(callTimer("retryable", "timeout").count()).isEqualTo(1);
    assertThat(tokens("input")).isZero();
  }

  @Test
  void passesProviderExceptionsThroughWithoutTheMapper() {
    stub.pending.completeExceptionally(new InvalidRequestException("stub", "too long"));

    ProviderException failure = failureOf(connector.call(CALL));

    assertThat(failure).isInstanceOf(InvalidRequestException.class);
    assertThat(stub.mapped).isEmpty();
    assertThat(callTimer("terminal", "invalid_request").count()).isEqualTo(1);
  }

  @Test
  void turnsAThrowInsteadOfAFailedStageIntoAFailedStage() {
    stub.throwOnCall = new IllegalStateException("bug");

    ProviderException failure = failureOf(connector.call(CALL));

    assertThat(failure).isInstanceOf(ProviderTimeoutException.class);
    assertThat(callTimer("retryable", "timeout").count()).isEqualTo(1);
  }

  @Test
  void fallsBackToAServerErrorWhenTheMapperFails() {
    stub.mapper =
        error -> {
          throw new IllegalStateException("mapper bug");
        };
    stub.pending.completeExceptionally(new IOException("secret=hunter2"));

    ProviderException failure = failureOf(connector.call(CALL));

    assertThat(failure)
        .isInstanceOf(ProviderServerException.class)
        .hasMessage("stub: unclassified failure: java.io.IOException");
    assertThat(failure.getCause().getSuppressed()).hasSize(1);
  }

  @Test
  void streamsDeltasAndTimesTheFirstOne() {
    List<TextDelta> deltas = new ArrayList<>();
    CompletableFuture<ProviderResponse> result =
        connector.stream(CALL, deltas::add).toCompletableFuture();
    clock.add(Duration.ofMillis(30));
    stub.onDelta.accept(new TextDelta(0, "hel"));
    clock.add(Duration.ofMillis(30));
    stub.onDelta.accept(new TextDelta(1, "lo"));
    stub.pending.complete(ProviderResponse.ofText("hello", "stop", new TokenUsage(1, 2)));

    assertThat(result.join().text()).isEqualTo("hello");
    assertThat(deltas).extracting(TextDelta::text).containsExactly("hel", "lo");
    Timer firstDelta = registry.get(ConnectorMetrics.FIRST_DELTA).timer();
    assertThat(firstDelta.count()).isEqualTo(1);
    assertThat(firstDelta.totalTime(TimeUnit.MILLISECONDS)).isEqualTo(30);
  }

  @Test
  void cancellingTheResultCancelsTheProviderCall() {
    CompletableFuture<ProviderResponse> result = connector.call(CALL).toCompletableFuture();

    result.cancel(true);

    assertThat(stub.pending).isCancelled();
    assertThat(callTimer("cancelled", "cancelled").count()).isEqualTo(1);
  }

  @Test
  void wrapsOnlyOnce() {
    assertThat(InstrumentedConnector.wrap(connector, registry)).isSameAs(connector);
    assertThat(connector.delegate()).isSameAs(stub);
    assertThat(connector.provider()).isEqualTo("stub");
  }

  private Timer callTimer(String outcome, String error) {
    return registry
        .get(ConnectorMetrics.CALL)
        .tags("provider", "stub", "deployment", "eu-llama", "outcome", outcome, "error", error)
        .timer();
  }

  private double tokens(String direction) {
    return registry
        .get(ConnectorMetrics.TOKENS)
        .tags("provider", "stub", "direction", direction)
        .counter()
        .count();
  }

  private static ProviderException failureOf(CompletionStage<ProviderResponse> stage) {
    Throwable failure = stage.toCompletableFuture().handle((response, error) -> error).join();
    assertThat(failure).isInstanceOf(ProviderException.class);
    return (ProviderException) failure;
  }

  /** A connector whose calls complete when the test says, and whose mapper records its input. */
  private static final class StubConnector implements Connector {
    final CompletableFuture<ProviderResponse> pending = new CompletableFuture<>();
    final List<Throwable> mapped = new ArrayList<>();
    RuntimeException throwOnCall;
    Consumer<TextDelta> onDelta;
    ProviderErrorMapper mapper =
        error -> {
          mapped.add(error);
          return new ProviderTimeoutException("stub", "timed out", null, 0, null, error);
        };

    @Override
    public String provider() {
      return "stub";
    }

    @Override
    public CompletionStage<ProviderResponse> call(ProviderCall call) {
      if (throwOnCall != null) {
        throw throwOnCall;
      }
      return pending;
    }

    @Override
    public CompletionStage<ProviderResponse> stream(
        ProviderCall call, Consumer<TextDelta> onDelta) {
      this.onDelta = onDelta;
      return pending;
    }

    @Override
    public ProviderErrorMapper errorMapper() {
      return error -> mapper.map(error);
    }
  }
}
