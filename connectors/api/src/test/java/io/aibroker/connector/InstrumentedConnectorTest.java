package io.aibroker.connector;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import org.assertj.core.api.InstanceOfAssertFactories;
import org.junit.jupiter.api.Test;

class InstrumentedConnectorTest {

  private static final ProviderCall CALL =
      ProviderCall.chat("r1", "t1", "llama", List.of(ChatMessage.user("hi")))
          .withDeployment("eu-llama");

  private final AtomicLong nanos = new AtomicLong();
  private final StubConnector stub = new StubConnector();
  private final InstrumentedConnector connector = new InstrumentedConnector(stub, nanos::get);

  @Test
  void timesSuccessfulCalls() {
    CompletableFuture<ProviderResponse> result = connector.call(CALL).toCompletableFuture();
    nanos.addAndGet(Duration.ofMillis(150).toNanos());
    stub.pending.complete(
        ProviderResponse.ofText("hello", ProviderResponse.FINISH_STOP, new TokenUsage(12, 5)));

    assertThat(result.join().providerLatency()).isEqualTo(Duration.ofMillis(150));
    assertThat(result.join().usage()).isEqualTo(new TokenUsage(12, 5));
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
  }

  @Test
  void passesProviderExceptionsThroughWithoutTheMapper() {
    stub.pending.completeExceptionally(new InvalidRequestException("stub", "too long"));

    ProviderException failure = failureOf(connector.call(CALL));

    assertThat(failure).isInstanceOf(InvalidRequestException.class);
    assertThat(stub.mapped).isEmpty();
  }

  @Test
  void turnsAThrowInsteadOfAFailedStageIntoAFailedStage() {
    stub.throwOnCall = new IllegalStateException("bug");

    ProviderException failure = failureOf(connector.call(CALL));

    assertThat(failure).isInstanceOf(ProviderTimeoutException.class);
    assertThat(stub.mapped).singleElement().isInstanceOf(IllegalStateException.class);
  }

  @Test
  void aStageCompletingWithoutAResponseIsAClassifiedFailure() {
    stub.pending.complete(null);

    ProviderException failure = failureOf(connector.call(CALL));

    assertThat(failure).isInstanceOf(ProviderTimeoutException.class);
    assertThat(stub.mapped)
        .singleElement()
        .asInstanceOf(InstanceOfAssertFactories.THROWABLE)
        .hasMessage("stub connector returned no response");
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
  void streamsDeltasInOrder() {
    List<TextDelta> deltas = new ArrayList<>();
    CompletableFuture<ProviderResponse> result =
        connector.stream(CALL, deltas::add).toCompletableFuture();
    stub.onDelta.accept(new TextDelta(0, "hel"));
    stub.onDelta.accept(new TextDelta(1, "lo"));
    stub.pending.complete(ProviderResponse.ofText("hello", "stop", new TokenUsage(1, 2)));

    assertThat(result.join().text()).isEqualTo("hello");
    assertThat(deltas).extracting(TextDelta::text).containsExactly("hel", "lo");
  }

  @Test
  void cancellingTheResultCancelsTheProviderCall() {
    CompletableFuture<ProviderResponse> result = connector.call(CALL).toCompletableFuture();

    result.cancel(true);

    assertThat(stub.pending).isCancelled();
    assertThat(stub.mapped).as("a cancel is not classified").isEmpty();
  }

  @Test
  void wrapsOnlyOnce() {
    assertThat(InstrumentedConnector.wrap(connector)).isSameAs(connector);
    assertThat(connector.delegate()).isSameAs(stub);
    assertThat(connector.provider()).isEqualTo("stub");
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
