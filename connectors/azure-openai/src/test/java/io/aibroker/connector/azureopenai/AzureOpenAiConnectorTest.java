package io.aibroker.connector.azureopenai;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.json.JsonMapper;
import io.aibroker.connector.ChatMessage;
import io.aibroker.connector.Connector;
import io.aibroker.connector.ConnectorContext;
import io.aibroker.connector.ContentFilteredException;
import io.aibroker.connector.ErrorClass;
import io.aibroker.connector.GenerationParams;
import io.aibroker.connector.InstrumentedConnector;
import io.aibroker.connector.InvalidRequestException;
import io.aibroker.connector.ModelNotFoundException;
import io.aibroker.connector.ProviderCall;
import io.aibroker.connector.ProviderException;
import io.aibroker.connector.ProviderResponse;
import io.aibroker.connector.ProviderServerException;
import io.aibroker.connector.ProviderTimeoutException;
import io.aibroker.connector.RateLimitedException;
import io.aibroker.connector.Task;
import io.aibroker.connector.TextDelta;
import io.aibroker.connector.testing.FakeReplies;
import io.aibroker.connector.testing.FakeScenario;
import io.aibroker.connector.testing.RecordedRequest;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Azure-specific behaviour against {@link AzureOpenAiFakeServer}, beyond the conformance suite. */
class AzureOpenAiConnectorTest {

  private static final String KEY = "test-key-1234";
  private static final String ROUTE_DEPLOYMENT = "prod-gpt-4o";
  private static final String MODEL = "gpt-4o";
  private static final JsonMapper JSON = JsonMapper.builder().build();

  private AzureOpenAiFakeServer server;
  private final List<Connector> connectors = new ArrayList<>();

  @BeforeEach
  void startFake() throws Exception {
    server = new AzureOpenAiFakeServer(ROUTE_DEPLOYMENT, MODEL);
  }

  @AfterEach
  void stop() {
    connectors.forEach(Connector::close);
    server.close();
  }

  @Test
  void chatGoesToTheRoutesDeploymentWithApiVersionKeyAndParameters() throws Exception {
    ProviderCall call =
        new ProviderCall(
            "r1",
            "t1",
            Task.CHAT,
            MODEL,
            ROUTE_DEPLOYMENT,
            List.of(
                ChatMessage.system("Be brief."),
                ChatMessage.user("Hi"),
                ChatMessage.assistant("Hello"),
                ChatMessage.user("Again")),
            List.of(),
            new GenerationParams(64, 0.2, 0.9, List.of("END")),
            false,
            null);

    ProviderResponse response = succeed(connector().call(call));

    assertThat(response.text()).isEqualTo(FakeReplies.SUCCESS_TEXT);
    assertThat(response.finishReason()).isEqualTo(ProviderResponse.FINISH_STOP);
    assertThat(response.usage()).isEqualTo(FakeReplies.CHAT_USAGE);
    RecordedRequest request = server.lastRequest();
    assertThat(request.path()).isEqualTo("/openai/deployments/prod-gpt-4o/chat/completions");
    assertThat(request.query()).isEqualTo("api-version=2025-01-01-preview");
    assertThat(request.header("api-key")).isEqualTo(KEY);
    assertThat(request.header("authorization")).isNull();
    JsonNode body = JSON.readTree(request.body());
    assertThat(body.path("messages").findValuesAsText("role"))
        .containsExactly("system", "user", "assistant", "user");
    assertThat(body.path("messages").findValuesAsText("content"))
        .containsExactly("Be brief.", "Hi", "Hello", "Again");
    assertThat(body.path("max_tokens").asInt()).isEqualTo(64);
    assertThat(body.path("temperature").asDouble()).isEqualTo(0.2);
    assertThat(body.path("top_p").asDouble()).isEqualTo(0.9);
    assertThat(body.path("stop").get(0).asText()).isEqualTo("END");
    assertThat(body.path("stream").asBoolean(false)).isFalse();
  }

  @Test
  void providerModelNamesTheDeploymentWhenTheRouteHasNone() {
    succeed(connector().call(chat(MODEL)));

    assertThat(server.lastRequest().path())
        .isEqualTo("/openai/deployments/gpt-4o/chat/completions");
  }

  @Test
  void configuredApiVersionIsSent() {
    AzureOpenAiConfig config =
        new AzureOpenAiConfig(server.baseUri(), KEY, "2024-10-01-preview", null, null, 0);

    succeed(connector(config, name -> null).call(chat(MODEL)));

    assertThat(server.lastRequest().query()).isEqualTo("api-version=2024-10-01-preview");
  }

  @Test
  void keyComesFromTheEnvironmentWhenTheConfigHasNone() {
    AzureOpenAiConfig config = AzureOpenAiConfig.of(server.baseUri());
    UnaryOperator<String> environment =
        name -> AzureOpenAiConfig.API_KEY_ENV.equals(name) ? "env-key" : null;

    succeed(connector(config, environment).call(chat(MODEL)));

    assertThat(server.lastRequest().header("api-key")).isEqualTo("env-key");
  }

  @Test
  void nonStandardTierIsAskedForAndTheServedTierReported() throws Exception {
    ProviderResponse plain = succeed(connector().call(chat(MODEL).withServiceTier("flex")));
    JsonNode body = JSON.readTree(server.lastRequest().body());
    ProviderResponse streamed =
        succeed(connector().stream(streaming(MODEL).withServiceTier("priority"), delta -> {}));
    JsonNode streamBody = JSON.readTree(server.lastRequest().body());

    assertThat(body.path("service_tier").asText()).isEqualTo("flex");
    assertThat(plain.serviceTier()).isEqualTo("flex");
    assertThat(streamBody.path("service_tier").asText()).isEqualTo("priority");
    assertThat(streamed.serviceTier()).isEqualTo("priority");
  }

  @Test
  void standardTierSendsNoServiceTierAndAzuresDefaultReadsAsStandard() throws Exception {
    ProviderResponse response = succeed(connector().call(chat(MODEL)));

    assertThat(JSON.readTree(server.lastRequest().body()).has("service_tier")).isFalse();
    assertThat(response.serviceTier()).isEqualTo("standard");
  }

  @Test
  void streamingAsksForUsageAndDeliversDeltasInOrder() throws Exception {
    List<TextDelta> deltas = Collections.synchronizedList(new ArrayList<>());

    ProviderResponse response = succeed(connector().stream(streaming(MODEL), deltas::add));

    assertThat(deltas)
        .extracting(TextDelta::text)
        .containsExactlyElementsOf(FakeReplies.STREAM_CHUNKS);
    assertThat(deltas).extracting(TextDelta::sequence).containsExactly(0, 1, 2, 3, 4);
    assertThat(response.text()).isEqualTo(FakeReplies.SUCCESS_TEXT);
    assertThat(response.finishReason()).isEqualTo(ProviderResponse.FINISH_STOP);
    assertThat(response.usage()).isEqualTo(FakeReplies.CHAT_USAGE);
    JsonNode body = JSON.readTree(server.lastRequest().body());
    assertThat(body.path("stream").asBoolean()).isTrue();
    assertThat(body.path("stream_options").path("include_usage").asBoolean()).isTrue();
  }

  @Test
  void deltasArriveWhileTheStreamIsStillOpen() {
    CountDownLatch firstDelta = new CountDownLatch(1);
    server.streamGate(firstDelta);
    long start = System.nanoTime();

    succeed(connector().stream(streaming(MODEL), delta -> firstDelta.countDown()));

    // Had the client waited for the whole body, the fake would have waited out its 5s gate.
    assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(4));
  }

  @Test
  void cancellingAStreamAbortsTheExchange() throws Exception {
    CountDownLatch firstDelta = new CountDownLatch(1);
    CountDownLatch never = new CountDownLatch(1);
    server.streamGate(never);
    CompletableFuture<ProviderResponse> future =
        connector().stream(streaming(MODEL), delta -> firstDelta.countDown()).toCompletableFuture();
    assertThat(firstDelta.await(5, TimeUnit.SECONDS)).isTrue();

    assertThat(future.cancel(true)).isTrue();
    never.countDown();

    // The client closed the connection rather than reading on: the fake's next writes fail.
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
    while (server.abandonedStreams() == 0 && System.nanoTime() < deadline) {
      Thread.sleep(20);
    }
    assertThat(server.abandonedStreams()).isEqualTo(1);
  }

  @Test
  void streamThatEndsWithoutUsageIsARetryableErrorNotASuccess() {
    server.usageInStreams(false);
    List<TextDelta> deltas = Collections.synchronizedList(new ArrayList<>());

    ProviderException error = failure(connector().stream(streaming(MODEL), deltas::add));

    assertThat(error).isInstanceOf(ProviderServerException.class);
    assertThat(error.errorClass()).isEqualTo(ErrorClass.RETRYABLE);
    assertThat(error).hasMessageContaining("stream ended without usage");
    assertThat(deltas).as("text already streamed").hasSize(FakeReplies.STREAM_CHUNKS.size());
  }

  @Test
  void streamCutMidwayIsARetryableServerError() {
    server.scenario(FakeScenario.STREAM_CUT);

    ProviderException error = failure(connector().stream(streaming(MODEL), delta -> {}));

    assertThat(error).isInstanceOf(ProviderServerException.class);
    assertThat(error.errorClass()).isEqualTo(ErrorClass.RETRYABLE);
  }

  @Test
  void malformedStreamEventIsARetryableError() {
    server.scenario(FakeScenario.MALFORMED_BODY);

    ProviderException error = failure(connector().stream(streaming(MODEL), delta -> {}));

    assertThat(error.errorClass()).isEqualTo(ErrorClass.RETRYABLE);
  }

  @Test
  void malformedBodyIsARetryableServerError() {
    server.scenario(FakeScenario.MALFORMED_BODY);

    ProviderException error = failure(connector().call(chat(MODEL)));

    assertThat(error).isInstanceOf(ProviderServerException.class);
    assertThat(error.errorClass()).isEqualTo(ErrorClass.RETRYABLE);
  }

  @Test
  void lengthAndContentFilterFinishReasonsAreNormalised() {
    server.finishReason("length");
    assertThat(succeed(connector().stream(streaming(MODEL), delta -> {})).finishReason())
        .isEqualTo(ProviderResponse.FINISH_LENGTH);

    server.finishReason("content_filter");
    ProviderResponse filtered = succeed(connector().call(chat(MODEL)));
    assertThat(filtered.finishReason()).isEqualTo(ProviderResponse.FINISH_CONTENT_FILTER);
    assertThat(filtered.text()).as("Azure withholds filtered content").isEmpty();
    assertThat(filtered.usage()).isEqualTo(FakeReplies.CHAT_USAGE);
  }

  @Test
  void contentFilterRejectionIsTerminalContentFiltered() {
    server.scenario(FakeScenario.BAD_REQUEST);
    server.contentFilterOnBadRequest(true);

    for (CompletionStage<ProviderResponse> stage :
        List.of(connector().call(chat(MODEL)), connector().stream(streaming(MODEL), d -> {}))) {
      ProviderException error = failure(stage);
      assertThat(error).isInstanceOf(ContentFilteredException.class);
      assertThat(error.errorClass()).isEqualTo(ErrorClass.TERMINAL);
      assertThat(error.httpStatus()).isEqualTo(400);
      assertThat(error.providerCode()).isEqualTo("content_filter");
    }
  }

  @Test
  void rateLimitedStreamCarriesTheRetryHint() {
    server.scenario(FakeScenario.RATE_LIMITED);

    ProviderException error = failure(connector().stream(streaming(MODEL), delta -> {}));

    assertThat(error).isInstanceOf(RateLimitedException.class);
    assertThat(error.retryAfter()).contains(FakeReplies.RETRY_AFTER);
  }

  @Test
  void unknownDeploymentIsModelNotFound() {
    ProviderException error = failure(connector().call(chat("no-such-deployment")));

    assertThat(error).isInstanceOf(ModelNotFoundException.class);
    assertThat(error.errorClass()).isEqualTo(ErrorClass.TERMINAL);
    assertThat(error.httpStatus()).isEqualTo(404);
    assertThat(error.providerCode()).isEqualTo(AzureOpenAiFakeServer.DEPLOYMENT_NOT_FOUND_CODE);
  }

  @Test
  void passedDeadlineFailsWithoutCallingAzure() {
    ProviderCall call = chat(MODEL).withDeadline(Instant.now().minusSeconds(1));

    ProviderException error = failure(connector().call(call));

    assertThat(error).isInstanceOf(ProviderTimeoutException.class);
    assertThat(server.requestCount()).isZero();
  }

  @Test
  void deadlineShorterThanTheRequestTimeoutCutsTheCall() {
    server.scenario(FakeScenario.HANG);
    ProviderCall call = chat(MODEL).withDeadline(Instant.now().plusMillis(300));
    long start = System.nanoTime();

    ProviderException error = failure(connector().call(call));

    assertThat(error).isInstanceOf(ProviderTimeoutException.class);
    assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(5));
  }

  @Test
  void roleAzureCannotTakeIsInvalidRequestWithoutCallingAzure() {
    ProviderCall call =
        ProviderCall.chat("r1", "t1", MODEL, List.of(new ChatMessage("tool", "{\"x\":1}")));

    ProviderException error = failure(connector().call(call));

    assertThat(error).isInstanceOf(InvalidRequestException.class);
    assertThat(error).hasMessageContaining("role 'tool'");
    assertThat(server.requestCount()).isZero();
  }

  @Test
  void cancellingTheCallCancelsTheRequest() throws Exception {
    server.scenario(FakeScenario.HANG);
    CompletableFuture<ProviderResponse> future =
        connector().call(chat(MODEL)).toCompletableFuture();
    awaitRequests(1);

    assertThat(future.cancel(true)).isTrue();

    assertThatThrownBy(() -> future.get(1, TimeUnit.SECONDS))
        .isInstanceOf(CancellationException.class);
  }

  @Test
  void stagesCompleteOffNettysEventLoop() throws Exception {
    String thread =
        connector()
            .call(chat(MODEL))
            .thenApply(response -> Thread.currentThread().getName())
            .toCompletableFuture()
            .get(10, TimeUnit.SECONDS);

    assertThat(thread).doesNotContain("reactor-http").doesNotContain("nio").doesNotContain("epoll");
  }

  @Test
  void closingLetsACallInFlightFinish() {
    Connector connector = connector();
    List<TextDelta> deltas = Collections.synchronizedList(new ArrayList<>());

    ProviderResponse response =
        succeed(
            connector.stream(
                streaming(MODEL),
                delta -> {
                  if (delta.sequence() == 0) {
                    connector.close();
                  }
                  deltas.add(delta);
                }));

    assertThat(response.text()).isEqualTo(FakeReplies.SUCCESS_TEXT);
    assertThat(response.usage()).isEqualTo(FakeReplies.CHAT_USAGE);
  }

  @Test
  void embeddingsGoToTheDeploymentInInputOrder() throws Exception {
    ProviderCall call =
        new ProviderCall(
            "e1",
            "t1",
            Task.EMBED,
            "text-embedding-3-small",
            ROUTE_DEPLOYMENT,
            List.of(),
            List.of("a", "b", "c"),
            null,
            false,
            null);

    ProviderResponse response = succeed(connector().call(call));

    assertThat(response.embeddings())
        .containsExactly(
            FakeReplies.embedding(0), FakeReplies.embedding(1), FakeReplies.embedding(2));
    assertThat(server.lastRequest().path()).isEqualTo("/openai/deployments/prod-gpt-4o/embeddings");
    assertThat(JSON.readTree(server.lastRequest().body()).path("input").size()).isEqualTo(3);
  }

  private Connector connector() {
    return connector(AzureOpenAiConfig.of(server.baseUri()).withApiKey(KEY), name -> null);
  }

  private Connector connector(AzureOpenAiConfig config, UnaryOperator<String> environment) {
    AzureOpenAiConnector raw =
        new AzureOpenAiConnector(
            config, ConnectorContext.defaults(), server.clientSslContext(), environment);
    connectors.add(raw);
    return new InstrumentedConnector(raw);
  }

  private static ProviderCall chat(String model) {
    return ProviderCall.chat("r1", "t1", model, List.of(ChatMessage.user("Say hello.")));
  }

  private static ProviderCall streaming(String model) {
    ProviderCall call = chat(model);
    return new ProviderCall(
        call.requestId(),
        call.tenantId(),
        call.task(),
        call.providerModel(),
        call.deployment(),
        call.messages(),
        call.inputs(),
        call.params(),
        true,
        call.deadline());
  }

  private void awaitRequests(int count) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
    while (server.requestCount() < count && System.nanoTime() < deadline) {
      Thread.sleep(10);
    }
    assertThat(server.requestCount()).isGreaterThanOrEqualTo(count);
  }

  private static ProviderResponse succeed(CompletionStage<ProviderResponse> stage) {
    try {
      return stage.toCompletableFuture().get(10, TimeUnit.SECONDS);
    } catch (ExecutionException e) {
      throw new AssertionError("call failed: " + e.getCause(), e.getCause());
    } catch (Exception e) {
      throw new AssertionError(e);
    }
  }

  private static ProviderException failure(CompletionStage<ProviderResponse> stage) {
    try {
      ProviderResponse response = stage.toCompletableFuture().get(10, TimeUnit.SECONDS);
      throw new AssertionError("expected a failure, got " + response);
    } catch (ExecutionException e) {
      assertThat(e.getCause()).isInstanceOf(ProviderException.class);
      return (ProviderException) e.getCause();
    } catch (Exception e) {
      throw new AssertionError(e);
    }
  }
}
