package io.aibroker.connector.simulated;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.aibroker.connector.ChatMessage;
import io.aibroker.connector.ConnectorContext;
import io.aibroker.connector.Connectors;
import io.aibroker.connector.ErrorClass;
import io.aibroker.connector.ProviderCall;
import io.aibroker.connector.ProviderException;
import io.aibroker.connector.ProviderResponse;
import io.aibroker.connector.ProviderServerException;
import io.aibroker.connector.RateLimitedException;
import io.aibroker.connector.TextDelta;
import io.aibroker.testing.MutableClock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Scripted fault windows of the simulated connector ({@link SimulatedFault}). */
class SimulatedFaultsTest {

  private static final Instant START = Instant.parse("2030-01-01T00:00:00Z");
  private static final SimulatedConfig INSTANT =
      SimulatedConfig.builder().latency(Duration.ofMillis(20)).build();

  private final MutableClock clock = new MutableClock(START);
  private final List<SimulatedConnector> connectors = new ArrayList<>();

  @AfterEach
  void closeConnectors() {
    connectors.forEach(SimulatedConnector::close);
  }

  @Test
  void withoutFaultsEveryCallSucceedsAsBefore() {
    SimulatedConnector connector = connector(INSTANT);

    assertThat(failureOf(connector.call(chat("r1", "east")))).isNull();
    assertThat(INSTANT.faults()).isEmpty();
  }

  @Test
  void rateLimitedWindowAnswers429WithItsRetryAfterOnlyInsideTheWindow() {
    SimulatedFault storm =
        SimulatedFault.of(
                SimulatedFault.Kind.RATE_LIMITED, Duration.ofSeconds(5), Duration.ofSeconds(30))
            .withRetryAfter(Duration.ofSeconds(3));
    SimulatedConnector connector = connector(INSTANT.toBuilder().faults(List.of(storm)).build());

    clock.set(START.plusMillis(4_999));
    assertThat(failureOf(connector.call(chat("before", "east")))).isNull();

    clock.set(START.plusSeconds(5));
    ProviderException throttled = failureOf(connector.call(chat("inside", "east")));
    assertThat(throttled).isInstanceOf(RateLimitedException.class);
    assertThat(throttled.httpStatus()).isEqualTo(429);
    assertThat(throttled.retryAfter()).contains(Duration.ofSeconds(3));

    clock.set(START.plusMillis(34_999));
    assertThat(failureOf(connector.call(chat("last", "east"))))
        .isInstanceOf(RateLimitedException.class);

    clock.set(START.plusSeconds(35));
    assertThat(failureOf(connector.call(chat("after", "east")))).isNull();
  }

  @Test
  void faultsLimitedToADeploymentLeaveTheOthersAlone() {
    SimulatedFault outage =
        SimulatedFault.of(SimulatedFault.Kind.SERVER_ERROR, Duration.ZERO, Duration.ofMinutes(1))
            .onDeployments("east");
    SimulatedConnector connector = connector(INSTANT.toBuilder().faults(List.of(outage)).build());

    ProviderException failure = failureOf(connector.call(chat("r1", "east")));
    assertThat(failure).isInstanceOf(ProviderServerException.class);
    assertThat(failure.httpStatus()).isEqualTo(503);
    assertThat(failure.errorClass()).isEqualTo(ErrorClass.RETRYABLE);
    assertThat(failureOf(connector.call(chat("r2", "west")))).isNull();
  }

  @Test
  void repeatingBurstsOpenEveryPeriod() {
    SimulatedFault bursts =
        SimulatedFault.of(
                SimulatedFault.Kind.SERVER_ERROR, Duration.ofSeconds(1), Duration.ofSeconds(1))
            .repeatingEvery(Duration.ofSeconds(4));
    SimulatedConnector connector = connector(INSTANT.toBuilder().faults(List.of(bursts)).build());

    List<Boolean> failedAt = new ArrayList<>();
    for (int second = 0; second < 10; second++) {
      clock.set(START.plusSeconds(second).plusMillis(500));
      failedAt.add(failureOf(connector.call(chat("r" + second, "east"))) != null);
    }

    assertThat(failedAt)
        .containsExactly(false, true, false, false, false, true, false, false, false, true);
  }

  @Test
  void hangNeverAnswersUntilTheCallerCancels() throws Exception {
    SimulatedFault hang =
        SimulatedFault.of(SimulatedFault.Kind.HANG, Duration.ZERO, Duration.ofSeconds(10));
    SimulatedConnector connector = connector(INSTANT.toBuilder().faults(List.of(hang)).build());

    CompletableFuture<ProviderResponse> call =
        connector.call(chat("r1", "east")).toCompletableFuture();
    Thread.sleep(200); // ten times the latency

    assertThat(call).isNotDone();
    assertThat(call.cancel(true)).isTrue();
    clock.set(START.plusSeconds(10));
    assertThat(failureOf(connector.call(chat("r2", "east")))).isNull();
  }

  @Test
  void streamCutDeliversPartOfTheReplyThenFailsRetryably() {
    SimulatedFault cut =
        SimulatedFault.of(SimulatedFault.Kind.STREAM_CUT, Duration.ZERO, Duration.ofSeconds(10));
    SimulatedConnector connector = connector(INSTANT.toBuilder().faults(List.of(cut)).build());
    SimulatedConnector healthy = connector(INSTANT);
    ProviderCall call = chat("r1", "east");
    ProviderCall streaming =
        new ProviderCall(
            call.requestId(),
            call.tenantId(),
            call.task(),
            call.providerModel(),
            call.deployment(),
            List.of(ChatMessage.user("tell me a rather long story about streams that were cut")),
            List.of(),
            call.params(),
            true,
            null);
    List<TextDelta> deltas = new CopyOnWriteArrayList<>();

    ProviderException failure = failureOf(connector.stream(streaming, deltas::add));

    assertThat(failure).isInstanceOf(ProviderServerException.class);
    assertThat(failure.errorClass()).isEqualTo(ErrorClass.RETRYABLE);
    assertThat(failure.providerCode()).isEqualTo("stream_cut");
    String whole = join(healthy.stream(streaming, d -> {}));
    String partial = String.join("", deltas.stream().map(TextDelta::text).toList());
    assertThat(deltas).isNotEmpty();
    assertThat(whole).startsWith(partial);
    assertThat(partial.length()).isLessThan(whole.length());
  }

  @Test
  void faultsAreReadFromYamlShapedConfigWithKebabCaseKinds() {
    Map<String, Object> raw =
        Map.of(
            "faults",
            List.of(
                Map.of(
                    "kind", "rate-limited",
                    "start", "2s",
                    "length", "30s",
                    "retry-after", "4s",
                    "deployments", List.of("east")),
                Map.of("kind", "stream-cut", "length", "1s", "every", "5s")));

    SimulatedConfig config = Connectors.config(new SimulatedConnectorFactory(), raw);

    assertThat(config.faults())
        .containsExactly(
            new SimulatedFault(
                SimulatedFault.Kind.RATE_LIMITED,
                Duration.ofSeconds(2),
                Duration.ofSeconds(30),
                null,
                Duration.ofSeconds(4),
                List.of("east")),
            new SimulatedFault(
                SimulatedFault.Kind.STREAM_CUT,
                Duration.ZERO,
                Duration.ofSeconds(1),
                Duration.ofSeconds(5),
                null,
                List.of()));
    assertThat(Connectors.create("simulated", raw, ConnectorContext.defaults())).isNotNull();
  }

  @Test
  void rejectsFaultsThatCannotBePlayed() {
    assertThatThrownBy(
            () -> SimulatedFault.of(SimulatedFault.Kind.HANG, Duration.ZERO, Duration.ZERO))
        .hasMessageContaining("length must be positive");
    assertThatThrownBy(
            () ->
                SimulatedFault.of(SimulatedFault.Kind.HANG, Duration.ZERO, Duration.ofSeconds(2))
                    .repeatingEvery(Duration.ofSeconds(1)))
        .hasMessageContaining("at least its length");
    assertThatThrownBy(
            () ->
                Connectors.config(
                    new SimulatedConnectorFactory(),
                    Map.of("faults", List.of(Map.of("kind", "meltdown", "length", "1s")))))
        .hasMessageContaining("unknown fault kind 'meltdown'");
  }

  private SimulatedConnector connector(SimulatedConfig config) {
    SimulatedConnector connector = new SimulatedConnector(config, clock);
    connectors.add(connector);
    return connector;
  }

  private static ProviderCall chat(String requestId, String deployment) {
    return ProviderCall.chat(requestId, "t1", "sim", List.of(ChatMessage.user("x")))
        .withDeployment(deployment);
  }

  private static String join(CompletionStage<ProviderResponse> stage) {
    try {
      return stage.toCompletableFuture().get(5, TimeUnit.SECONDS).text();
    } catch (Exception e) {
      throw new AssertionError(e);
    }
  }

  /** The call's ProviderException, or null if it succeeded. */
  private static ProviderException failureOf(CompletionStage<ProviderResponse> stage) {
    Throwable failure;
    try {
      failure =
          stage.toCompletableFuture().handle((response, error) -> error).get(5, TimeUnit.SECONDS);
    } catch (Exception e) {
      throw new AssertionError(e);
    }
    if (failure != null) {
      assertThat(failure).isInstanceOf(ProviderException.class);
    }
    return (ProviderException) failure;
  }
}
