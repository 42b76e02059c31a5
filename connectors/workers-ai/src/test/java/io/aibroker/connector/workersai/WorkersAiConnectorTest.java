package io.aibroker.connector.workersai;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.aibroker.connector.ChatMessage;
import io.aibroker.connector.Connector;
import io.aibroker.connector.ConnectorContext;
import io.aibroker.connector.Connectors;
import io.aibroker.connector.GenerationParams;
import io.aibroker.connector.InvalidRequestException;
import io.aibroker.connector.ProviderCall;
import io.aibroker.connector.ProviderResponse;
import io.aibroker.connector.ProviderTimeoutException;
import io.aibroker.connector.Task;
import io.aibroker.connector.TextDelta;
import io.aibroker.connector.TokenUsage;
import io.aibroker.connector.testing.FakeReplies;
import io.aibroker.connector.testing.RecordedRequest;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class WorkersAiConnectorTest {

  private static final String MODEL = "@cf/meta/llama-3.1-8b-instruct";
  private static final ObjectMapper JSON = new ObjectMapper();

  private WorkersAiFakeServer fake;
  private WorkersAiConnector connector;

  @BeforeEach
  void start() throws Exception {
    fake = new WorkersAiFakeServer();
    connector = connector(fake.nativeBaseUrl(), WorkersAiFakeServer.ACCOUNT);
  }

  @AfterEach
  void stop() {
    connector.close();
    fake.close();
  }

  @Test
  void chatPostsNativeBodyWithBearerTokenToTheModelPath() throws Exception {
    ProviderCall call =
        ProviderCall.chat(
                "r1", "t1", MODEL, List.of(ChatMessage.system("sys"), ChatMessage.user("hi")))
            .withParams(new GenerationParams(64, 0.5, 0.9, List.of("STOP")));

    ProviderResponse response = get(connector.call(call));

    assertThat(response.text()).isEqualTo(FakeReplies.SUCCESS_TEXT);
    RecordedRequest request = fake.lastRequest();
    assertThat(request.method()).isEqualTo("POST");
    assertThat(request.path())
        .isEqualTo("/client/v4/accounts/" + WorkersAiFakeServer.ACCOUNT + "/ai/run/" + MODEL);
    assertThat(request.header("Authorization")).isEqualTo("Bearer test-token");
    assertThat(request.header("Content-Type")).isEqualTo("application/json");
    JsonNode body = JSON.readTree(request.body());
    assertThat(body.path("messages").toString())
        .isEqualTo(
            "[{\"role\":\"system\",\"content\":\"sys\"},{\"role\":\"user\",\"content\":\"hi\"}]");
    assertThat(body.path("max_tokens").asInt()).isEqualTo(64);
    assertThat(body.path("temperature").asDouble()).isEqualTo(0.5);
    assertThat(body.path("top_p").asDouble()).isEqualTo(0.9);
    assertThat(body.path("stream").asBoolean()).isFalse();
    assertThat(body.has("stop")).as("the native endpoint has no stop sequences").isFalse();
  }

  @Test
  void defaultParamsAreLeftToTheModel() throws Exception {
    get(connector.call(ProviderCall.chat("r1", "t1", MODEL, List.of(ChatMessage.user("hi")))));

    JsonNode body = JSON.readTree(fake.lastRequest().body());
    assertThat(body.has("max_tokens")).isFalse();
    assertThat(body.has("temperature")).isFalse();
    assertThat(body.has("top_p")).isFalse();
  }

  @Test
  void streamingAsksForEventsAndMarksTheBody() throws Exception {
    get(connector.stream(streamingCall(), delta -> {}));

    RecordedRequest request = fake.lastRequest();
    assertThat(request.header("Accept")).isEqualTo("text/event-stream");
    assertThat(JSON.readTree(request.body()).path("stream").asBoolean()).isTrue();
  }

  @Test
  void streamAnsweredWithWholeJsonGivesOneDelta() throws Exception {
    fake.streams(false);
    List<TextDelta> deltas = new ArrayList<>();

    ProviderResponse response = get(connector.stream(streamingCall(), deltas::add));

    assertThat(deltas).containsExactly(new TextDelta(0, FakeReplies.SUCCESS_TEXT));
    assertThat(response.usage()).isEqualTo(FakeReplies.CHAT_USAGE);
  }

  @Test
  void gatewayUrlCallsTheModelDirectlyUnderTheGateway() throws Exception {
    try (WorkersAiConnector gateway = connector(fake.gatewayBaseUrl(), null)) {
      get(gateway.call(ProviderCall.chat("r1", "t1", MODEL, List.of(ChatMessage.user("hi")))));
    }

    assertThat(fake.lastRequest().path())
        .isEqualTo(
            "/v1/"
                + WorkersAiFakeServer.ACCOUNT
                + "/"
                + WorkersAiFakeServer.GATEWAY
                + "/workers-ai/"
                + MODEL);
  }

  @Test
  void embeddingsPostTextAndReadVectors() throws Exception {
    ProviderResponse response =
        get(
            connector.call(
                ProviderCall.embed("r1", "t1", "@cf/baai/bge-m3", List.of("a", "b", "c"))));

    assertThat(JSON.readTree(fake.lastRequest().body()).path("text").toString())
        .isEqualTo("[\"a\",\"b\",\"c\"]");
    assertThat(response.embeddings())
        .containsExactly(
            FakeReplies.embedding(0), FakeReplies.embedding(1), FakeReplies.embedding(2));
    assertThat(response.usage()).isEqualTo(new TokenUsage(FakeReplies.EMBEDDING_INPUT_TOKENS, 0));
  }

  @Test
  void embeddingsWithoutReportedUsageEstimateFourCharactersPerToken() throws Exception {
    fake.embeddingUsage(false);

    ProviderResponse response =
        get(
            connector.call(
                ProviderCall.embed("r1", "t1", "@cf/baai/bge-m3", List.of("12345678", "1", ""))));

    assertThat(response.usage()).isEqualTo(new TokenUsage(2 + 1, 0));
  }

  @Test
  void passedDeadlineFailsAsTimeoutWithoutCallingTheProvider() {
    ProviderCall call =
        ProviderCall.chat("r1", "t1", MODEL, List.of(ChatMessage.user("hi")))
            .withDeadline(Instant.now().minusSeconds(1));

    assertThatThrownBy(() -> get(connector.call(call)))
        .isInstanceOf(ExecutionException.class)
        .cause()
        .isInstanceOf(ProviderTimeoutException.class);
    assertThat(fake.requestCount()).isZero();
  }

  @Test
  void modelIdsThatCouldRewriteThePathAreRejected() {
    for (String model : List.of("@cf/../../zones", "@cf/x?y=1", "@cf/x#y", "a b")) {
      ProviderCall call = ProviderCall.chat("r1", "t1", model, List.of(ChatMessage.user("hi")));

      assertThatThrownBy(() -> get(connector.call(call)))
          .as(model)
          .cause()
          .isInstanceOf(InvalidRequestException.class);
    }
    assertThat(fake.requestCount()).isZero();
  }

  @Test
  void createdThroughConnectorsItIsInstrumentedAndWorks() throws Exception {
    try (Connector created =
        Connectors.create(
            "workers-ai",
            Map.of(
                "accountId",
                WorkersAiFakeServer.ACCOUNT,
                "apiToken",
                "test-token",
                "baseUrl",
                fake.nativeBaseUrl().toString(),
                "requestTimeout",
                "5s"),
            ConnectorContext.defaults())) {
      ProviderResponse response =
          get(created.call(ProviderCall.chat("r1", "t1", MODEL, List.of(ChatMessage.user("hi")))));

      assertThat(created.provider()).isEqualTo("workers-ai");
      assertThat(response.usage()).isEqualTo(FakeReplies.CHAT_USAGE);
      assertThat(response.providerLatency()).isNotNull();
    }
  }

  private static ProviderCall streamingCall() {
    return new ProviderCall(
        "r1",
        "t1",
        Task.CHAT,
        MODEL,
        null,
        List.of(ChatMessage.user("hi")),
        List.of(),
        null,
        true,
        null);
  }

  private static WorkersAiConnector connector(URI baseUrl, String account) {
    return new WorkersAiConnector(
        new WorkersAiConfig(account, "test-token", baseUrl, null, Duration.ofSeconds(5)),
        Clock.systemUTC());
  }

  private static ProviderResponse get(CompletionStage<ProviderResponse> stage) throws Exception {
    return stage.toCompletableFuture().get(10, TimeUnit.SECONDS);
  }
}
