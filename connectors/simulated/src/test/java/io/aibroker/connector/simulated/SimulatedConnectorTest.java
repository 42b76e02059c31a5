package io.aibroker.connector.simulated;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.aibroker.connector.ChatMessage;
import io.aibroker.connector.GenerationParams;
import io.aibroker.connector.ProviderCall;
import io.aibroker.connector.ProviderException;
import io.aibroker.connector.ProviderResponse;
import io.aibroker.connector.ProviderServerException;
import io.aibroker.connector.ProviderTimeoutException;
import io.aibroker.connector.RateLimitedException;
import io.aibroker.connector.TextDelta;
import io.aibroker.testing.MutableClock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class SimulatedConnectorTest {

  private static final Instant START = Instant.parse("2030-01-01T00:00:00Z");
  private static final SimulatedConfig INSTANT =
      SimulatedConfig.builder().latency(Duration.ZERO).build();

  private final MutableClock clock = new MutableClock(START);
  private final List<SimulatedConnector> connectors = new ArrayList<>();

  @AfterEach
  void closeConnectors() {
    connectors.forEach(SimulatedConnector::close);
  }

  // --- replies -------------------------------------------------------------------------------

  @Test
  void sameInputGivesTheSameReplyAcrossConnectorInstances() {
    ProviderCall call = chat("r1", "Tell me about Kafka share groups");

    ProviderResponse first = answer(connector(INSTANT), call);
    ProviderResponse second =
        answer(connector(INSTANT), chat("another-id", "Tell me about Kafka share groups"));

    assertThat(first.text()).isNotBlank().isEqualTo(second.text());
    assertThat(first.usage()).isEqualTo(second.usage());
    assertThat(first.finishReason()).isEqualTo("stop");
  }

  @Test
  void differentMessagesModelOrParamsGiveDifferentReplies() {
    SimulatedConnector connector = connector(INSTANT);
    ProviderCall base = chat("r1", "What is a partition?");

    String reply = answer(connector, base).text();

    assertThat(answer(connector, chat("r1", "What is an offset?")).text()).isNotEqualTo(reply);
    assertThat(
            answer(
                    connector,
                    ProviderCall.chat(
                        "r1",
                        "t1",
                        "other-model",
                        List.of(ChatMessage.user("What is a partition?"))))
                .text())
        .isNotEqualTo(reply);
    assertThat(
            answer(connector, base.withParams(new GenerationParams(null, 0.9, null, null))).text())
        .isNotEqualTo(reply);
  }

  @Test
  void echoesTheStartOfTheLastUserMessage() {
    ProviderCall call =
        ProviderCall.chat(
            "r1",
            "t1",
            "sim",
            List.of(
                ChatMessage.system("be brief"),
                ChatMessage.user("first question"),
                ChatMessage.assistant("first answer"),
                ChatMessage.user("how   do\nretries work in a broker that spans regions?")));

    assertThat(answer(connector(INSTANT), call).text())
        .startsWith("You said \"how do retries work in a broker that spa...\".");
  }

  @Test
  void countsInputTokensAsAQuarterOfEachMessageWithAtLeastOne() {
    ProviderCall call =
        ProviderCall.chat(
            "r1",
            "t1",
            "sim",
            List.of(ChatMessage.system(""), ChatMessage.user("123456789"))); // 1 + ceil(9/4)=3

    ProviderResponse response = answer(connector(INSTANT), call);

    assertThat(response.usage().inputTokens()).isEqualTo(4);
    assertThat(response.usage().outputTokens())
        .isEqualTo((response.text().length() + 3) / 4)
        .isPositive();
  }

  @Test
  void maxTokensCutsTheSameReplyShortWithFinishReasonLength() {
    SimulatedConnector connector = connector(INSTANT);
    ProviderCall call = chat("r1", "Explain consumer lag");
    String full = answer(connector, call).text();

    ProviderResponse cut =
        answer(connector, call.withParams(GenerationParams.defaults().withMaxTokens(3)));

    assertThat(cut.finishReason()).isEqualTo("length");
    assertThat(cut.usage().outputTokens()).isEqualTo(3);
    assertThat(cut.text()).hasSize(12).isEqualTo(full.substring(0, 12));
  }

  @Test
  void maxOutputTokensCapsRepliesEvenWhenTheCallAsksForMore() {
    SimulatedConfig config =
        SimulatedConfig.builder().latency(Duration.ZERO).maxOutputTokens(2).build();
    ProviderCall call =
        chat("r1", "Explain consumer lag")
            .withParams(GenerationParams.defaults().withMaxTokens(1000));

    ProviderResponse response = answer(connector(config), call);

    assertThat(response.finishReason()).isEqualTo("length");
    assertThat(response.usage().outputTokens()).isEqualTo(2);
  }

  @Test
  void stopSequenceEndsTheReplyBeforeIt() {
    ProviderCall call =
        chat("r1", "hello").withParams(new GenerationParams(null, null, null, List.of("\"")));

    ProviderResponse response = answer(connector(INSTANT), call);

    assertThat(response.text()).isEqualTo("You said ");
    assertThat(response.finishReason()).isEqualTo("stop");
  }

  @Test
  void embeddingsAreDeterministicUnitVectorsOfSixteenDimensions() {
    SimulatedConnector connector = connector(INSTANT);
    ProviderCall call = ProviderCall.embed("r1", "t1", "sim-embed", List.of("kafka", "broker!!!"));

    ProviderResponse response = answer(connector, call);
    ProviderResponse again = answer(connector(INSTANT), call);

    assertThat(response.text()).isNull();
    assertThat(response.embeddings()).hasSize(2).isEqualTo(again.embeddings());
    assertThat(response.embeddings().get(0)).isNotEqualTo(response.embeddings().get(1));
    for (List<Float> vector : response.embeddings()) {
      assertThat(vector).hasSize(16);
      double norm = Math.sqrt(vector.stream().mapToDouble(v -> v * v).sum());
      assertThat(norm).isCloseTo(1.0, within(1e-5));
    }
    assertThat(response.usage().inputTokens()).isEqualTo(2 + 3);
    assertThat(response.usage().outputTokens()).isZero();
  }

  // --- latency, failures, throttling, deadlines --------------------------------------------------

  @Test
  void jitterIsWithinBoundsAndReproduciblePerRequest() {
    SimulatedConfig config =
        SimulatedConfig.builder()
            .latency(Duration.ofMillis(100))
            .jitter(Duration.ofMillis(50))
            .build();
    SimulatedConnector connector = connector(config);

    List<Duration> latencies =
        IntStream.range(0, 200).mapToObj(i -> connector.latencyOf(chat("r" + i, "x"))).toList();

    assertThat(latencies)
        .allSatisfy(
            latency ->
                assertThat(latency).isBetween(Duration.ofMillis(100), Duration.ofMillis(150)));
    assertThat(Set.copyOf(latencies)).hasSizeGreaterThan(100);
    assertThat(connector(config).latencyOf(chat("r7", "y"))).isEqualTo(latencies.get(7));
  }

  @Test
  void failsAboutTheConfiguredShareOfRequestsWithA503() {
    SimulatedConnector connector = connector(INSTANT.toBuilder().failureRate(0.2).build());

    Set<String> failed = failedRequestIds(connector, 1_000);

    assertThat(failed.size()).isBetween(150, 250);
  }

  @Test
  void failsTheSameRequestsOnEveryRunWithTheSameSeed() {
    SimulatedConfig config = INSTANT.toBuilder().failureRate(0.2).build();

    assertThat(failedRequestIds(connector(config), 300))
        .isEqualTo(failedRequestIds(connector(config), 300));
  }

  @Test
  void failedRequestUsuallySucceedsWhenRetried() {
    SimulatedConnector connector = connector(INSTANT.toBuilder().failureRate(0.5).build());
    String failedId = failedRequestIds(connector, 50).iterator().next();

    int attempts = 1;
    while (failureOf(connector.call(chat(failedId, "hello"))) != null && attempts < 40) {
      attempts++;
    }

    assertThat(attempts).isLessThan(40);
  }

  @Test
  void serverFailuresAreRetryable503s() {
    ProviderException failure =
        failureOf(connector(INSTANT.toBuilder().failureRate(1).build()).call(chat("r", "x")));

    assertThat(failure).isInstanceOf(ProviderServerException.class);
    assertThat(failure.httpStatus()).isEqualTo(503);
    assertThat(failure.errorClass()).isEqualTo(io.aibroker.connector.ErrorClass.RETRYABLE);
  }

  @Test
  void throttlesAtTheStartOfEveryPeriodWithRetryAfter() {
    SimulatedConfig config =
        INSTANT.toBuilder()
            .throttleEvery(Duration.ofSeconds(10))
            .throttleFor(Duration.ofSeconds(2))
            .build();
    SimulatedConnector connector = connector(config);

    clock.set(START); // 00:00:00, in the window
    ProviderException throttled = failureOf(connector.call(chat("r1", "x")));
    assertThat(throttled).isInstanceOf(RateLimitedException.class);
    assertThat(throttled.httpStatus()).isEqualTo(429);
    assertThat(throttled.retryAfter()).contains(Duration.ofSeconds(1));

    clock.set(START.plusMillis(1_999));
    assertThat(failureOf(connector.call(chat("r2", "x")))).isInstanceOf(RateLimitedException.class);

    clock.set(START.plusSeconds(2));
    assertThat(failureOf(connector.call(chat("r3", "x")))).isNull();

    clock.set(START.plusMillis(9_999));
    assertThat(failureOf(connector.call(chat("r4", "x")))).isNull();

    clock.set(START.plusMillis(10_500));
    assertThat(failureOf(connector.call(chat("r5", "x")))).isInstanceOf(RateLimitedException.class);
  }

  @Test
  void passedDeadlineTimesOutAtOnceWithoutWaitingForLatency() {
    SimulatedConnector connector =
        connector(SimulatedConfig.builder().latency(Duration.ofMinutes(10)).build());

    CompletableFuture<ProviderResponse> result =
        connector.call(chat("r1", "x").withDeadline(START)).toCompletableFuture();

    assertThat(result).isCompletedExceptionally();
    assertThat(failureOf(result)).isInstanceOf(ProviderTimeoutException.class);
  }

  @Test
  void futureDeadlineDoesNotTimeOut() {
    assertThat(
            failureOf(connector(INSTANT).call(chat("r1", "x").withDeadline(START.plusSeconds(1)))))
        .isNull();
  }

  // --- concurrency and streaming ----------------------------------------------------------------

  @Test
  void fiveThousandConcurrentCallsCompleteTogetherWithoutAThreadEach() throws Exception {
    SimulatedConnector connector =
        connector(SimulatedConfig.builder().latency(Duration.ofMillis(200)).build());
    int threadsBefore = Thread.activeCount();

    List<CompletableFuture<ProviderResponse>> calls =
        IntStream.range(0, 5_000)
            .mapToObj(i -> connector.call(chat("r" + i, "question " + i)).toCompletableFuture())
            .toList();
    int threadsInFlight = Thread.activeCount();

    CompletableFuture.allOf(calls.toArray(CompletableFuture[]::new)).get(2, TimeUnit.SECONDS);

    assertThat(threadsInFlight - threadsBefore).isLessThan(10);
    assertThat(calls).allSatisfy(call -> assertThat(call.join().text()).isNotBlank());
  }

  @Test
  void streamedDeltasArriveInOrderBeforeCompletionAndConcatenateToTheText() throws Exception {
    SimulatedConnector connector =
        connector(SimulatedConfig.builder().latency(Duration.ofMillis(100)).build());
    List<TextDelta> deltas = new CopyOnWriteArrayList<>();

    ProviderResponse response =
        connector.stream(chat("r1", "stream me a long answer please"), deltas::add)
            .toCompletableFuture()
            .get(5, TimeUnit.SECONDS);
    List<TextDelta> seenAtCompletion = List.copyOf(deltas);

    assertThat(seenAtCompletion).hasSizeBetween(2, SimulatedConnector.MAX_DELTAS);
    assertThat(seenAtCompletion)
        .extracting(TextDelta::sequence)
        .containsExactlyElementsOf(IntStream.range(0, seenAtCompletion.size()).boxed().toList());
    assertThat(seenAtCompletion.stream().map(TextDelta::text).collect(Collectors.joining()))
        .isEqualTo(response.text());
  }

  @Test
  void streamedReplyEqualsTheUnstreamedOne() throws Exception {
    SimulatedConnector connector = connector(INSTANT);
    ProviderCall call = chat("r1", "same either way");

    ProviderResponse streamed =
        connector.stream(call, delta -> {}).toCompletableFuture().get(5, TimeUnit.SECONDS);

    assertThat(streamed).isEqualTo(answer(connector, call));
  }

  @Test
  void splitsIntoWordSizedPiecesAndGroupsLongTexts() {
    assertThat(SimulatedConnector.pieces("one two three."))
        .containsExactly("one ", "two ", "three.");
    assertThat(SimulatedConnector.pieces("")).isEmpty();
    String longText = String.join(" ", java.util.Collections.nCopies(100, "word"));
    List<String> pieces = SimulatedConnector.pieces(longText);
    assertThat(pieces).hasSizeLessThanOrEqualTo(SimulatedConnector.MAX_DELTAS);
    assertThat(String.join("", pieces)).isEqualTo(longText);
  }

  @Test
  void callsInFlightCompleteAfterCloseAndNewCallsFail() throws Exception {
    SimulatedConnector connector =
        connector(SimulatedConfig.builder().latency(Duration.ofMillis(50)).build());
    CompletableFuture<ProviderResponse> inFlight =
        connector.call(chat("r1", "x")).toCompletableFuture();

    connector.close();

    assertThat(inFlight.get(5, TimeUnit.SECONDS).text()).isNotBlank();
    ProviderException rejected =
        connector.errorMapper().map(failureCause(connector.call(chat("r2", "x"))));
    assertThat(rejected).isInstanceOf(ProviderServerException.class);
  }

  @Test
  void errorMapperPassesProviderExceptionsThroughAndClassifiesTheRest() {
    RateLimitedException throttled = new RateLimitedException("simulated", "slow down");

    assertThat(new SimulatedErrorMapper().map(throttled)).isSameAs(throttled);
    assertThat(new SimulatedErrorMapper().map(new IllegalStateException("x")))
        .isInstanceOf(ProviderServerException.class);
    assertThat(new SimulatedErrorMapper().map(new java.util.concurrent.TimeoutException()))
        .isInstanceOf(ProviderTimeoutException.class);
  }

  // --- helpers --------------------------------------------------------------------------------

  private SimulatedConnector connector(SimulatedConfig config) {
    SimulatedConnector connector = new SimulatedConnector(config, clock);
    connectors.add(connector);
    return connector;
  }

  private static ProviderCall chat(String requestId, String userMessage) {
    return ProviderCall.chat(requestId, "t1", "sim", List.of(ChatMessage.user(userMessage)));
  }

  private static ProviderResponse answer(SimulatedConnector connector, ProviderCall call) {
    try {
      return connector.call(call).toCompletableFuture().get(5, TimeUnit.SECONDS);
    } catch (Exception e) {
      throw new AssertionError("call " + call.requestId() + " failed", e);
    }
  }

  private static Set<String> failedRequestIds(SimulatedConnector connector, int requests) {
    Set<String> failed = ConcurrentHashMap.newKeySet();
    for (int i = 0; i < requests; i++) {
      String id = "req-" + i;
      ProviderException failure = failureOf(connector.call(chat(id, "x")));
      if (failure != null) {
        assertThat(failure).isInstanceOf(ProviderServerException.class);
        failed.add(id);
      }
    }
    return failed;
  }

  /** The call's ProviderException, or null if it succeeded. */
  private static ProviderException failureOf(CompletionStage<ProviderResponse> stage) {
    Throwable failure = failureCause(stage);
    if (failure != null) {
      assertThat(failure).isInstanceOf(ProviderException.class);
    }
    return (ProviderException) failure;
  }

  private static Throwable failureCause(CompletionStage<ProviderResponse> stage) {
    try {
      return stage
          .toCompletableFuture()
          .handle((response, error) -> error)
          .get(5, TimeUnit.SECONDS);
    } catch (Exception e) {
      throw new AssertionError(e);
    }
  }

  @Test
  void aFailingDeploymentAnswersEveryCallWithA503AndOthersWork() {
    var config =
        SimulatedConfig.builder()
            .latency(java.time.Duration.ZERO)
            .failingDeployments(java.util.List.of("east"))
            .build();
    try (var connector = new SimulatedConnector(config, java.time.Clock.systemUTC())) {
      var call =
          io.aibroker.connector.ProviderCall.chat(
              "r1",
              "t1",
              "sim-chat-1",
              java.util.List.of(io.aibroker.connector.ChatMessage.user("hi")));

      var failure = connector.call(call.withDeployment("east")).toCompletableFuture();
      var success = connector.call(call.withDeployment("west")).toCompletableFuture();

      org.assertj.core.api.Assertions.assertThat(failure)
          .failsWithin(java.time.Duration.ofSeconds(5))
          .withThrowableOfType(java.util.concurrent.ExecutionException.class)
          .withCauseInstanceOf(io.aibroker.connector.ProviderServerException.class);
      org.assertj.core.api.Assertions.assertThat(success)
          .succeedsWithin(java.time.Duration.ofSeconds(5));
    }
  }
}
