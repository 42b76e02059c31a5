package io.aibroker.connector.bedrock;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.json.JsonMapper;
import io.aibroker.connector.ChatMessage;
import io.aibroker.connector.Connector;
import io.aibroker.connector.ConnectorContext;
import io.aibroker.connector.Connectors;
import io.aibroker.connector.ErrorClass;
import io.aibroker.connector.GenerationParams;
import io.aibroker.connector.InstrumentedConnector;
import io.aibroker.connector.InvalidRequestException;
import io.aibroker.connector.ProviderCall;
import io.aibroker.connector.ProviderException;
import io.aibroker.connector.ProviderResponse;
import io.aibroker.connector.ProviderServerException;
import io.aibroker.connector.ProviderTimeoutException;
import io.aibroker.connector.RateLimitedException;
import io.aibroker.connector.TextDelta;
import io.aibroker.connector.TokenUsage;
import io.aibroker.connector.testing.FakeProviderServer.CutStyle;
import io.aibroker.connector.testing.FakeReplies;
import io.aibroker.connector.testing.FakeScenario;
import io.aibroker.connector.testing.RecordedRequest;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;

/**
 * Bedrock-specific behaviour against {@link BedrockFakeServer}, beyond the shared conformance
 * suite: the wire shape of requests, authentication, Titan and Cohere embeddings, mid-stream
 * exception frames, deadlines.
 */
class BedrockConnectorTest {

  private static final String API_KEY = "bedrock-api-key-for-tests";
  private static final String CHAT_MODEL = BedrockConformanceTest.CHAT_MODEL;
  private static final String TITAN_MODEL = "amazon.titan-embed-text-v2:0";
  private static final String COHERE_MODEL = BedrockConformanceTest.COHERE_MODEL;
  private static final Duration WAIT = Duration.ofSeconds(20);
  private static final JsonMapper JSON = JsonMapper.builder().build();

  private BedrockFakeServer server;
  private final List<Connector> connectors = new ArrayList<>();
  private Connector connector;

  @BeforeEach
  void start() throws Exception {
    server = new BedrockFakeServer();
    connector = connector(config());
  }

  @AfterEach
  void stop() {
    connectors.forEach(Connector::close);
    server.close();
  }

  @Test
  void chatSendsConverseWithSystemMessagesLiftedAndInferenceConfig() throws Exception {
    ProviderCall call =
        ProviderCall.chat(
                "r1",
                "t1",
                CHAT_MODEL,
                List.of(
                    ChatMessage.system("Be brief."),
                    ChatMessage.user("Hi"),
                    ChatMessage.assistant("Hello!"),
                    ChatMessage.user("Again")))
            .withParams(new GenerationParams(100, 0.25, 0.5, List.of("END")));

    ProviderResponse response = succeed(connector.call(call));

    assertThat(response.text()).isEqualTo(FakeReplies.SUCCESS_TEXT);
    assertThat(response.finishReason()).isEqualTo(ProviderResponse.FINISH_STOP);
    RecordedRequest request = server.lastRequest();
    assertThat(request.path()).isEqualTo("/model/" + CHAT_MODEL + "/converse");
    JsonNode body = JSON.readTree(request.body());
    assertThat(body.toString())
        .isEqualTo(
            JSON.readTree(
                    """
                    {"messages":[
                      {"role":"user","content":[{"text":"Hi"}]},
                      {"role":"assistant","content":[{"text":"Hello!"}]},
                      {"role":"user","content":[{"text":"Again"}]}],
                     "system":[{"text":"Be brief."}],
                     "inferenceConfig":{"maxTokens":100,"temperature":0.25,"topP":0.5,
                                        "stopSequences":["END"]}}
                    """)
                .toString());
  }

  @Test
  void flexTierIsAskedForAndTheServedTierReported() throws Exception {
    ProviderResponse plain = succeed(connector.call(chat("Hi").withServiceTier("flex")));
    JsonNode body = JSON.readTree(server.lastRequest().body());
    ProviderResponse streamed =
        succeed(connector.stream(streaming(chat("Hi")).withServiceTier("priority"), d -> {}));
    JsonNode streamBody = JSON.readTree(server.lastRequest().body());

    assertThat(body.path("serviceTier").path("type").asText()).isEqualTo("flex");
    assertThat(plain.serviceTier()).isEqualTo("flex");
    assertThat(streamBody.path("serviceTier").path("type").asText()).isEqualTo("priority");
    assertThat(streamed.serviceTier()).isEqualTo("priority");
  }

  @Test
  void standardAndBatchTiersSendNoServiceTier() throws Exception {
    ProviderResponse response = succeed(connector.call(chat("Hi")));
    assertThat(JSON.readTree(server.lastRequest().body()).has("serviceTier")).isFalse();
    succeed(connector.call(chat("Hi").withServiceTier("batch")));
    assertThat(JSON.readTree(server.lastRequest().body()).has("serviceTier")).isFalse();

    assertThat(response.serviceTier()).as("Bedrock named no tier").isNull();
  }

  @Test
  void chatWithDefaultParamsSendsNoInferenceConfig() throws Exception {
    succeed(connector.call(chat("Hi")));

    JsonNode body = JSON.readTree(server.lastRequest().body());
    assertThat(body.has("inferenceConfig")).isFalse();
    assertThat(body.has("system")).isFalse();
  }

  @Test
  void apiKeyIsSentAsBearerToken() {
    succeed(connector.call(chat("Hi")));

    assertThat(server.lastRequest().header("Authorization")).isEqualTo("Bearer " + API_KEY);
  }

  @Test
  void withoutApiKeyRequestsAreSignedWithSigV4() {
    BedrockCredentials keys =
        BedrockCredentials.sigV4(
            StaticCredentialsProvider.create(
                AwsBasicCredentials.create("AKIAFAKEFAKEFAKEFAKE", "fake-secret-access-key")));
    Connector signed =
        track(new BedrockConnector(config().withApiKey(null), Clock.systemUTC(), keys));

    succeed(signed.call(chat("Hi")));

    assertThat(server.lastRequest().header("Authorization"))
        .startsWith("AWS4-HMAC-SHA256 Credential=AKIAFAKEFAKEFAKEFAKE/")
        .contains("/us-east-1/bedrock/aws4_request");
  }

  @Test
  void stopReasonsAreNormalised() {
    server.stopReason("max_tokens");

    assertThat(succeed(connector.call(chat("Hi"))).finishReason())
        .isEqualTo(ProviderResponse.FINISH_LENGTH);
    assertThat(succeed(connector.stream(streaming(chat("Hi")), delta -> {})).finishReason())
        .isEqualTo(ProviderResponse.FINISH_LENGTH);

    server.stopReason("guardrail_intervened");
    assertThat(succeed(connector.call(chat("Hi"))).finishReason())
        .isEqualTo(ProviderResponse.FINISH_CONTENT_FILTER);

    server.stopReason("tool_use");
    assertThat(succeed(connector.call(chat("Hi"))).finishReason()).isEqualTo("tool_use");
  }

  @Test
  void streamingPostsToConverseStreamAndReportsFinishReason() {
    List<TextDelta> deltas = Collections.synchronizedList(new ArrayList<>());

    ProviderResponse response = succeed(connector.stream(streaming(chat("Hi")), deltas::add));

    assertThat(server.lastRequest().path()).isEqualTo("/model/" + CHAT_MODEL + "/converse-stream");
    assertThat(deltas)
        .extracting(TextDelta::text)
        .containsExactlyElementsOf(FakeReplies.STREAM_CHUNKS);
    assertThat(response.finishReason()).isEqualTo(ProviderResponse.FINISH_STOP);
    assertThat(response.usage()).isEqualTo(FakeReplies.CHAT_USAGE);
  }

  @Test
  void midStreamThrottlingFrameIsRateLimitedAfterTheDeltasSoFar() {
    server.failStreamsWith("throttlingException");
    List<TextDelta> deltas = Collections.synchronizedList(new ArrayList<>());

    ProviderException error = failure(connector.stream(streaming(chat("Hi")), deltas::add));

    assertThat(error).isInstanceOf(RateLimitedException.class);
    assertThat(error.providerCode()).isEqualTo("ThrottlingException");
    assertThat(error.errorClass()).isEqualTo(ErrorClass.RETRYABLE);
    assertThat(deltas).extracting(TextDelta::text).containsExactly("Hello", " from");
  }

  @Test
  void midStreamModelStreamErrorIsARetryableServerError() {
    server.failStreamsWith("modelStreamErrorException");

    ProviderException error = failure(connector.stream(streaming(chat("Hi")), delta -> {}));

    assertThat(error).isInstanceOf(ProviderServerException.class);
    assertThat(error.providerCode()).isEqualTo("ModelStreamErrorException");
  }

  @Test
  void midStreamValidationErrorIsTerminal() {
    server.failStreamsWith("validationException");

    ProviderException error = failure(connector.stream(streaming(chat("Hi")), delta -> {}));

    assertThat(error).isInstanceOf(InvalidRequestException.class);
    assertThat(error.errorClass()).isEqualTo(ErrorClass.TERMINAL);
  }

  @Test
  void streamCutMidResponseIsARetryableErrorWithEitherCutStyle() {
    for (CutStyle style : CutStyle.values()) {
      server.cutStyle(style);
      server.scenario(FakeScenario.STREAM_CUT);
      List<TextDelta> deltas = Collections.synchronizedList(new ArrayList<>());

      ProviderException error = failure(connector.stream(streaming(chat("Hi")), deltas::add));

      assertThat(error).as("cut style %s", style).isInstanceOf(ProviderServerException.class);
      assertThat(deltas).as("deltas before the cut, %s", style).hasSize(2);
    }
  }

  @Test
  void failingDeltaConsumerFailsTheCall() {
    IllegalStateException bug = new IllegalStateException("consumer bug");

    ProviderException error =
        failure(
            connector.stream(
                streaming(chat("Hi")),
                delta -> {
                  throw bug;
                }));

    assertThat(error).hasRootCauseMessage("consumer bug");
  }

  @Test
  void titanEmbedsEachInputInItsOwnCallAndKeepsInputOrder() throws Exception {
    List<String> inputs = List.of("a much longer first input", "second", "the third one");

    ProviderResponse response = succeed(connector.call(embed(TITAN_MODEL, inputs)));

    assertThat(response.embeddings())
        .containsExactlyElementsOf(inputs.stream().map(BedrockFakeServer::titanEmbedding).toList());
    assertThat(response.usage())
        .isEqualTo(
            new TokenUsage(inputs.stream().mapToLong(BedrockFakeServer::titanTokens).sum(), 0));
    assertThat(server.requests()).hasSize(3);
    List<String> sent = new ArrayList<>();
    for (RecordedRequest request : server.requests()) {
      assertThat(request.path()).isEqualTo("/model/" + TITAN_MODEL + "/invoke");
      sent.add(JSON.readTree(request.body()).get("inputText").asText());
    }
    assertThat(sent).containsExactlyInAnyOrderElementsOf(inputs);
  }

  @Test
  void cohereEmbedsAtMost96TextsPerCall() throws Exception {
    List<String> inputs = IntStream.range(0, 100).mapToObj(i -> "text " + i).toList();

    ProviderResponse response = succeed(connector.call(embed(COHERE_MODEL, inputs)));

    List<List<Float>> expected = new ArrayList<>();
    IntStream.range(0, 96).forEach(i -> expected.add(FakeReplies.embedding(i)));
    IntStream.range(0, 4).forEach(i -> expected.add(FakeReplies.embedding(i)));
    assertThat(response.embeddings()).containsExactlyElementsOf(expected);
    assertThat(response.usage())
        .as("usage from the token-count header of each call")
        .isEqualTo(new TokenUsage(2 * FakeReplies.EMBEDDING_INPUT_TOKENS, 0));
    List<Integer> batchSizes = new ArrayList<>();
    for (RecordedRequest request : server.requests()) {
      JsonNode body = JSON.readTree(request.body());
      assertThat(body.get("input_type").asText()).isEqualTo("search_document");
      batchSizes.add(body.get("texts").size());
    }
    assertThat(batchSizes).containsExactlyInAnyOrder(96, 4);
  }

  @Test
  void embeddingFailureFailsTheWholeCall() {
    server.scenario(FakeScenario.RATE_LIMITED);

    ProviderException error = failure(connector.call(embed(TITAN_MODEL, List.of("a", "b"))));

    assertThat(error).isInstanceOf(RateLimitedException.class);
  }

  @Test
  void unsupportedEmbeddingModelIsAnInvalidRequestWithoutACall() {
    ProviderException error =
        failure(connector.call(embed("meta.llama3-8b-instruct-v1:0", List.of("a"))));

    assertThat(error).isInstanceOf(InvalidRequestException.class);
    assertThat(server.requestCount()).isZero();
  }

  @Test
  void unknownRoleIsAnInvalidRequestWithoutACall() {
    ProviderCall call =
        ProviderCall.chat("r1", "t1", CHAT_MODEL, List.of(new ChatMessage("tool", "{}")));

    assertThat(failure(connector.call(call))).isInstanceOf(InvalidRequestException.class);
    assertThat(server.requestCount()).isZero();
  }

  @Test
  void retryAfterIsHonouredWhenBedrockSendsOne() {
    server.retryAfter("3");
    server.scenario(FakeScenario.RATE_LIMITED);

    ProviderException error = failure(connector.call(chat("Hi")));

    assertThat(error.retryAfter()).contains(Duration.ofSeconds(3));
  }

  @Test
  void passedDeadlineTimesOutWithoutACall() {
    ProviderCall call = chat("Hi").withDeadline(Instant.now().minusSeconds(1));

    assertThat(failure(connector.call(call))).isInstanceOf(ProviderTimeoutException.class);
    assertThat(server.requestCount()).isZero();
  }

  @Test
  void deadlineNearerThanTheRequestTimeoutCutsAHangingCallShort() {
    server.scenario(FakeScenario.HANG);
    ProviderCall call = chat("Hi").withDeadline(Instant.now().plusMillis(500));
    long start = System.nanoTime();

    ProviderException error = failure(connector.call(call));

    assertThat(error).isInstanceOf(ProviderTimeoutException.class);
    assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(5));
  }

  @Test
  void cancellingACallAbortsItsRequestAndFreesTheConnection() {
    Connector single =
        track(
            new BedrockConnector(
                new BedrockConfig("us-east-1", server.baseUri(), API_KEY, null, WAIT, 1),
                Clock.systemUTC()));
    server.enqueue(FakeScenario.HANG);
    CompletableFuture<ProviderResponse> hanging = single.call(chat("Hi")).toCompletableFuture();
    await(() -> server.requestCount() == 1);

    hanging.cancel(true);
    long start = System.nanoTime();
    ProviderResponse next = succeed(single.call(chat("Hi")));

    assertThat(next.text()).isEqualTo(FakeReplies.SUCCESS_TEXT);
    assertThat(Duration.ofNanos(System.nanoTime() - start))
        .as("the only connection was released, not held until the hanging call timed out")
        .isLessThan(Duration.ofSeconds(5));
  }

  @Test
  void connectionRefusedIsARetryableServerError() {
    BedrockConfig nowhere = config().withEndpointOverride(URI.create("http://127.0.0.1:1"));

    ProviderException error =
        failure(track(new BedrockConnector(nowhere, Clock.systemUTC())).call(chat("Hi")));

    assertThat(error.errorClass()).isEqualTo(ErrorClass.RETRYABLE);
  }

  @Test
  void connectorsCreatesTheBedrockConnectorFromRawConfig() {
    Connector created =
        track(
            Connectors.create(
                "bedrock",
                Map.of(
                    "region",
                    "us-east-1",
                    "endpointOverride",
                    server.baseUri().toString(),
                    "apiKey",
                    API_KEY,
                    "requestTimeout",
                    "10s"),
                new ConnectorContext(Clock.systemUTC(), new SimpleMeterRegistry())));

    ProviderResponse response = succeed(created.call(chat("Hi")));

    assertThat(created).isInstanceOf(InstrumentedConnector.class);
    assertThat(((InstrumentedConnector) created).delegate()).isInstanceOf(BedrockConnector.class);
    assertThat(created.provider()).isEqualTo("bedrock");
    assertThat(response.usage()).isEqualTo(FakeReplies.CHAT_USAGE);
  }

  @Test
  void toStringHidesTheApiKey() {
    assertThat(((InstrumentedConnector) connector).delegate().toString())
        .contains("us-east-1")
        .doesNotContain(API_KEY);
  }

  private BedrockConfig config() {
    return new BedrockConfig("us-east-1", server.baseUri(), API_KEY, null, WAIT, 0);
  }

  private Connector connector(BedrockConfig config) {
    return track(new BedrockConnector(config, Clock.systemUTC()));
  }

  /** Instruments {@code connector} as the worker would, and closes it after the test. */
  private Connector track(Connector connector) {
    Connector instrumented =
        connector instanceof InstrumentedConnector
            ? connector
            : new InstrumentedConnector(connector);
    connectors.add(instrumented);
    return instrumented;
  }

  private static void await(BooleanSupplier condition) {
    long deadline = System.nanoTime() + WAIT.toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("condition not met within " + WAIT);
      }
      Thread.onSpinWait();
      try {
        Thread.sleep(10);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new AssertionError(e);
      }
    }
  }

  private static ProviderCall chat(String text) {
    return ProviderCall.chat("r1", "t1", CHAT_MODEL, List.of(ChatMessage.user(text)));
  }

  private static ProviderCall streaming(ProviderCall call) {
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

  private static ProviderCall embed(String model, List<String> inputs) {
    return ProviderCall.embed("r1", "t1", model, inputs);
  }

  private static ProviderResponse succeed(CompletionStage<ProviderResponse> stage) {
    try {
      return stage.toCompletableFuture().get(WAIT.toMillis(), TimeUnit.MILLISECONDS);
    } catch (ExecutionException e) {
      throw new AssertionError("call failed: " + e.getCause(), e.getCause());
    } catch (Exception e) {
      throw new AssertionError(e);
    }
  }

  private static ProviderException failure(CompletionStage<ProviderResponse> stage) {
    ExecutionException failed =
        (ExecutionException)
            catchThrowable(
                () -> stage.toCompletableFuture().get(WAIT.toMillis(), TimeUnit.MILLISECONDS));
    assertThat(failed).isInstanceOf(ExecutionException.class);
    assertThat(failed.getCause()).isInstanceOf(ProviderException.class);
    return (ProviderException) failed.getCause();
  }
}
