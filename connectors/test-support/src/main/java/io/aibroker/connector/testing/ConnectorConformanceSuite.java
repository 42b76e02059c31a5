package io.aibroker.connector.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.aibroker.connector.AuthenticationException;
import io.aibroker.connector.CacheLifetime;
import io.aibroker.connector.ChatMessage;
import io.aibroker.connector.Connector;
import io.aibroker.connector.ErrorClass;
import io.aibroker.connector.ErrorKind;
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
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The one behavioural test every connector passes: success, streaming, embeddings, and each error
 * class, against the connector's {@link FakeProviderServer}, through {@link InstrumentedConnector}
 * exactly as the worker calls it.
 *
 * <p>To use it, extend it in the connector's test sources:
 *
 * <pre>{@code
 * class MyConformanceTest extends ConnectorConformanceSuite {
 *   protected FakeProviderServer startServer() throws IOException { return new MyFakeServer(); }
 *   protected Connector connector(FakeProviderServer server, Duration callTimeout) {
 *     return new MyConnector(new MyConfig(server.baseUri(), CANARY_SECRET, callTimeout));
 *   }
 *   ...
 * }
 * }</pre>
 *
 * The connector must be built with {@link #CANARY_SECRET} as its credential, with {@code
 * callTimeout} as its whole-call (request) timeout and with the SDK's retries turned off.
 */
public abstract class ConnectorConformanceSuite {

  /**
   * The credential (API key, token, secret key) connectors under test must be built with; it must
   * never appear in an exception message. Shaped so {@link io.aibroker.connector.Redaction}'s
   * patterns do not recognise it on their own: connectors must keep it out, not rely on luck.
   */
  public static final String CANARY_SECRET = "canary4d7f1e9b2c6a8d03e5f7a9b1c3d5e7f9";

  /** Call timeout the connector is built with for every test but the hang test. */
  protected static final Duration CALL_TIMEOUT = Duration.ofSeconds(15);

  /** Call timeout the connector is built with for {@link #hangTimesOutAsRetryable()}. */
  protected static final Duration HANG_CALL_TIMEOUT = Duration.ofMillis(750);

  /** How much later than its timeout a hanging call may fail. */
  protected static final Duration TIMEOUT_MARGIN = Duration.ofSeconds(3);

  private FakeProviderServer server;
  private final List<Connector> connectors = new ArrayList<>();
  private Connector connector;

  /** For subclasses. */
  protected ConnectorConformanceSuite() {}

  /** Starts this provider's fake server; called before every test. */
  protected abstract FakeProviderServer startServer() throws Exception;

  /**
   * Builds the connector under test (not instrumented; the suite wraps it) talking to {@code
   * server}, with {@link #CANARY_SECRET} as credential, {@code callTimeout} as request timeout and
   * SDK retries off. Called once per test, twice in the hang test.
   */
  protected abstract Connector connector(FakeProviderServer server, Duration callTimeout);

  /** A chat model id the fake accepts. */
  protected abstract String chatModel();

  /** An embedding model id the fake accepts, or {@code null} if the connector cannot embed. */
  protected abstract String embeddingModel();

  /** The provider codes the connector must report for the error scenarios. */
  protected abstract ExpectedErrors expectedErrors();

  /**
   * The usage the connector must report for embedding {@code inputs}; by default what the fakes
   * send, {@link FakeReplies#EMBEDDING_INPUT_TOKENS}. Override for providers that report none.
   */
  protected TokenUsage expectedEmbeddingUsage(List<String> inputs) {
    return new TokenUsage(FakeReplies.EMBEDDING_INPUT_TOKENS, 0);
  }

  /**
   * The usage the connector must report when the fake sends {@link FakeReplies#CACHED_CHAT_USAGE}
   * (through {@link FakeProviderServer#chatUsage(TokenUsage)}); by default all of it. A provider
   * whose format has no field for a class (Azure OpenAI reports no cache writes, Bedrock Converse
   * no reasoning tokens) overrides this with that class at 0 and says why.
   */
  protected TokenUsage expectedCachedUsage() {
    return FakeReplies.CACHED_CHAT_USAGE;
  }

  /**
   * Checks the request the connector sent for {@link #cachePointCall(boolean)}, whose system
   * message asks for a one-hour cache point and whose first user message for a five-minute one: a
   * provider with explicit prompt caching (Bedrock) must carry both in its own format, one that
   * caches on its own (Azure OpenAI, Workers AI) must send nothing the provider would refuse.
   */
  protected abstract void assertCachePointsSent(RecordedRequest request);

  /**
   * A chat call with cache points: one hour after the system message, five minutes after the first
   * user message.
   */
  protected ProviderCall cachePointCall(boolean stream) {
    ProviderCall plain = chatCall(stream);
    List<ChatMessage> messages = new ArrayList<>();
    boolean userMarked = false;
    for (ChatMessage message : plain.messages()) {
      if (message.role().equals(ChatMessage.SYSTEM)) {
        messages.add(message.withCachePoint(CacheLifetime.ONE_HOUR));
      } else if (message.role().equals(ChatMessage.USER) && !userMarked) {
        messages.add(message.withCachePoint(CacheLifetime.FIVE_MINUTES));
        userMarked = true;
      } else {
        messages.add(message);
      }
    }
    return new ProviderCall(
        plain.requestId(),
        plain.tenantId(),
        plain.task(),
        plain.providerModel(),
        plain.deployment(),
        messages,
        plain.inputs(),
        plain.params(),
        plain.stream(),
        plain.deadline(),
        plain.serviceTier());
  }

  /** The chat call the tests make; override to set e.g. a deployment. */
  protected ProviderCall chatCall(boolean stream) {
    ProviderCall call =
        ProviderCall.chat(
            "conformance-" + (stream ? "stream" : "chat"),
            "tenant-conformance",
            chatModel(),
            List.of(ChatMessage.system("Be brief."), ChatMessage.user("Say hello.")));
    return stream
        ? new ProviderCall(
            call.requestId(),
            call.tenantId(),
            call.task(),
            call.providerModel(),
            call.deployment(),
            call.messages(),
            call.inputs(),
            call.params(),
            true,
            call.deadline())
        : call;
  }

  /** The embedding call the tests make; override to set e.g. a deployment. */
  protected ProviderCall embedCall(List<String> inputs) {
    return ProviderCall.embed("conformance-embed", "tenant-conformance", embeddingModel(), inputs);
  }

  /** The running fake server, for extra tests in subclasses. */
  protected final FakeProviderServer server() {
    return server;
  }

  /** The instrumented connector under test (built with {@link #CALL_TIMEOUT}). */
  protected final Connector connector() {
    return connector;
  }

  @BeforeEach
  final void startFakeAndConnector() throws Exception {
    server = startServer();
    connector = instrumented(CALL_TIMEOUT);
  }

  @AfterEach
  final void closeConnectorsAndFake() {
    connectors.forEach(Connector::close);
    connectors.clear();
    if (server != null) {
      server.close();
    }
  }

  @Test
  void successReturnsTextAndUsage() {
    ProviderResponse response = succeed(connector.call(chatCall(false)));

    assertThat(response.text()).isEqualTo(FakeReplies.SUCCESS_TEXT);
    assertThat(response.usage()).isEqualTo(FakeReplies.CHAT_USAGE);
    assertThat(response.finishReason())
        .as("the model finished on its own")
        .isEqualTo(ProviderResponse.FINISH_STOP);
    assertThat(server.requestCount()).isEqualTo(1);
  }

  @Test
  void cacheAndReasoningTokensComeThrough() {
    server.chatUsage(FakeReplies.CACHED_CHAT_USAGE);

    ProviderResponse response = succeed(connector.call(chatCall(false)));

    assertThat(response.usage())
        .as("every token class the provider reported, inputTokens including the cached ones")
        .isEqualTo(expectedCachedUsage());
  }

  @Test
  void cacheAndReasoningTokensComeThroughStreamed() {
    server.chatUsage(FakeReplies.CACHED_CHAT_USAGE);

    ProviderResponse response = succeed(connector.stream(chatCall(true), delta -> {}));

    assertThat(response.text()).isEqualTo(FakeReplies.SUCCESS_TEXT);
    assertThat(response.usage())
        .as("every token class of the final frame, inputTokens including the cached ones")
        .isEqualTo(expectedCachedUsage());
  }

  @Test
  void cachePointsReachTheProviderInItsFormat() {
    ProviderResponse plain = succeed(connector.call(cachePointCall(false)));
    assertCachePointsSent(server.lastRequest());
    ProviderResponse streamed = succeed(connector.stream(cachePointCall(true), delta -> {}));
    assertCachePointsSent(server.lastRequest());

    assertThat(plain.text()).isEqualTo(FakeReplies.SUCCESS_TEXT);
    assertThat(streamed.text()).isEqualTo(FakeReplies.SUCCESS_TEXT);
  }

  @Test
  void streamingEmitsDeltasThenUsage() {
    List<TextDelta> deltas = Collections.synchronizedList(new ArrayList<>());

    ProviderResponse response = succeed(connector.stream(chatCall(true), deltas::add));

    List<TextDelta> received = List.copyOf(deltas);
    assertThat(received)
        .as("one delta per streamed chunk, not the whole reply at once")
        .filteredOn(delta -> !delta.text().isEmpty())
        .hasSizeGreaterThanOrEqualTo(2);
    for (int i = 0; i < received.size(); i++) {
      assertThat(received.get(i).sequence()).as("sequence of delta %d", i).isEqualTo(i);
    }
    String streamed = String.join("", received.stream().map(TextDelta::text).toList());
    assertThat(streamed).isEqualTo(FakeReplies.SUCCESS_TEXT);
    assertThat(response.text()).isEqualTo(FakeReplies.SUCCESS_TEXT);
    assertThat(response.usage()).as("usage from the final frame").isEqualTo(FakeReplies.CHAT_USAGE);
    assertThat(response.finishReason())
        .as("the model finished on its own")
        .isEqualTo(ProviderResponse.FINISH_STOP);
  }

  @Test
  void embeddingsReturnVectorsAndUsage() {
    assumeTrue(embeddingModel() != null, "connector does not embed");
    List<String> inputs = List.of("first input", "second input");

    ProviderResponse response = succeed(connector.call(embedCall(inputs)));

    assertThat(response.embeddings())
        .containsExactly(FakeReplies.embedding(0), FakeReplies.embedding(1));
    assertThat(response.usage()).isEqualTo(expectedEmbeddingUsage(inputs));
    assertThat(response.text()).isNull();
  }

  @Test
  void rateLimitIsRetryableWithTheProvidersRetryHint() {
    server.scenario(FakeScenario.RATE_LIMITED);

    ProviderException error = failure(connector.call(chatCall(false)), CALL_TIMEOUT);

    assertThat(error).isInstanceOf(RateLimitedException.class);
    assertThat(error.kind()).isEqualTo(ErrorKind.RATE_LIMITED);
    assertThat(error.errorClass()).isEqualTo(ErrorClass.RETRYABLE);
    assertThat(error.httpStatus()).isEqualTo(429);
    assertThat(error.providerCode()).isEqualTo(expectedErrors().rateLimitCode());
    assertThat(error.retryAfter())
        .isEqualTo(Optional.ofNullable(expectedErrors().rateLimitRetryAfter()));
  }

  @Test
  void serverErrorIsRetryable() {
    server.scenario(FakeScenario.SERVER_ERROR);

    ProviderException error = failure(connector.call(chatCall(false)), CALL_TIMEOUT);

    assertThat(error).isInstanceOf(ProviderServerException.class);
    assertThat(error.kind()).isEqualTo(ErrorKind.SERVER_ERROR);
    assertThat(error.errorClass()).isEqualTo(ErrorClass.RETRYABLE);
    assertThat(error.httpStatus()).isEqualTo(503);
    assertThat(error.providerCode()).isEqualTo(expectedErrors().serverErrorCode());
  }

  @Test
  void badRequestIsTerminal() {
    server.scenario(FakeScenario.BAD_REQUEST);

    ProviderException error = failure(connector.call(chatCall(false)), CALL_TIMEOUT);

    assertThat(error).isInstanceOf(InvalidRequestException.class);
    assertThat(error.kind()).isEqualTo(ErrorKind.INVALID_REQUEST);
    assertThat(error.errorClass()).isEqualTo(ErrorClass.TERMINAL);
    assertThat(error.httpStatus()).isEqualTo(400);
    assertThat(error.providerCode()).isEqualTo(expectedErrors().badRequestCode());
  }

  @Test
  void unauthorizedIsTerminal() {
    server.scenario(FakeScenario.UNAUTHORIZED);

    ProviderException error = failure(connector.call(chatCall(false)), CALL_TIMEOUT);

    assertThat(error).isInstanceOf(AuthenticationException.class);
    assertThat(error.kind()).isEqualTo(ErrorKind.AUTH);
    assertThat(error.errorClass()).isEqualTo(ErrorClass.TERMINAL);
    assertThat(error.httpStatus()).isEqualTo(401);
    assertThat(error.providerCode()).isEqualTo(expectedErrors().unauthorizedCode());
  }

  @Test
  void forbiddenIsTerminal() {
    server.scenario(FakeScenario.FORBIDDEN);

    ProviderException error = failure(connector.call(chatCall(false)), CALL_TIMEOUT);

    assertThat(error).isInstanceOf(AuthenticationException.class);
    assertThat(error.kind()).isEqualTo(ErrorKind.AUTH);
    assertThat(error.errorClass()).isEqualTo(ErrorClass.TERMINAL);
    assertThat(error.httpStatus()).isEqualTo(403);
    assertThat(error.providerCode()).isEqualTo(expectedErrors().forbiddenCode());
  }

  @Test
  void hangTimesOutAsRetryable() {
    Connector impatient = instrumented(HANG_CALL_TIMEOUT);
    server.scenario(FakeScenario.HANG);
    long start = System.nanoTime();

    ProviderException error = failure(impatient.call(chatCall(false)), HANG_CALL_TIMEOUT);

    Duration elapsed = Duration.ofNanos(System.nanoTime() - start);
    assertThat(error).isInstanceOf(ProviderTimeoutException.class);
    assertThat(error.kind()).as("an SDK or client timeout").isEqualTo(ErrorKind.TIMEOUT);
    assertThat(error.errorClass()).isEqualTo(ErrorClass.RETRYABLE);
    assertThat(elapsed).isLessThan(HANG_CALL_TIMEOUT.plus(TIMEOUT_MARGIN));
  }

  @Test
  void malformedBodyIsAnError() {
    server.scenario(FakeScenario.MALFORMED_BODY);

    ProviderException error = failure(connector.call(chatCall(false)), CALL_TIMEOUT);

    assertThat(error).isNotNull();
  }

  @Test
  void streamCutBeforeFinalFrameIsAnErrorNotASuccess() {
    server.scenario(FakeScenario.STREAM_CUT);

    ProviderException error = failure(connector.stream(chatCall(true), delta -> {}), CALL_TIMEOUT);

    assertThat(error.errorClass()).isEqualTo(ErrorClass.RETRYABLE);
  }

  @Test
  void streamEndingEarlyWithoutErrorIsStillAnErrorNotASuccess() {
    server.scenario(FakeScenario.STREAM_CUT);
    server.cutStyle(FakeProviderServer.CutStyle.END_RESPONSE_EARLY);

    ProviderException error = failure(connector.stream(chatCall(true), delta -> {}), CALL_TIMEOUT);

    assertThat(error.errorClass()).isEqualTo(ErrorClass.RETRYABLE);
  }

  @Test
  void sdkDoesNotRetry() throws InterruptedException {
    server.scenario(FakeScenario.SERVER_ERROR);
    failure(connector.call(chatCall(false)), CALL_TIMEOUT);
    // A retry already under way would arrive within moments of the failure.
    Thread.sleep(300);
    assertThat(server.requestCount()).as("requests after one 503").isEqualTo(1);

    server.scenario(FakeScenario.RATE_LIMITED);
    failure(connector.call(chatCall(false)), CALL_TIMEOUT);
    Thread.sleep(300);
    assertThat(server.requestCount()).as("requests after a 503 and a 429").isEqualTo(2);
  }

  @Test
  void secretsNeverInErrorMessages() {
    List<ProviderException> errors = new ArrayList<>();
    for (FakeScenario scenario :
        List.of(
            FakeScenario.RATE_LIMITED,
            FakeScenario.SERVER_ERROR,
            FakeScenario.BAD_REQUEST,
            FakeScenario.UNAUTHORIZED,
            FakeScenario.FORBIDDEN,
            FakeScenario.MALFORMED_BODY)) {
      server.scenario(scenario);
      errors.add(failure(connector.call(chatCall(false)), CALL_TIMEOUT));
      errors.add(failure(connector.stream(chatCall(true), delta -> {}), CALL_TIMEOUT));
    }
    server.scenario(FakeScenario.STREAM_CUT);
    errors.add(failure(connector.stream(chatCall(true), delta -> {}), CALL_TIMEOUT));

    for (ProviderException error : errors) {
      for (Throwable t : causesAndSuppressed(error)) {
        assertThat(String.valueOf(t.getMessage()))
            .as("message of %s", t.getClass().getName())
            .doesNotContain(CANARY_SECRET);
        assertThat(t.toString()).doesNotContain(CANARY_SECRET);
      }
    }
    assertThat(String.valueOf(connector)).doesNotContain(CANARY_SECRET);
    assertThat(String.valueOf(((InstrumentedConnector) connector).delegate()))
        .doesNotContain(CANARY_SECRET);
  }

  private Connector instrumented(Duration callTimeout) {
    Connector raw = connector(server, callTimeout);
    assertThat(raw).as("connector(...)").isNotNull();
    connectors.add(raw);
    return new InstrumentedConnector(raw);
  }

  private static ProviderResponse succeed(CompletionStage<ProviderResponse> stage) {
    try {
      return stage
          .toCompletableFuture()
          .get(CALL_TIMEOUT.plus(TIMEOUT_MARGIN).toMillis(), TimeUnit.MILLISECONDS);
    } catch (ExecutionException e) {
      throw new AssertionError("call failed: " + e.getCause(), e.getCause());
    } catch (TimeoutException e) {
      throw new AssertionError("call did not complete within " + CALL_TIMEOUT, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError("interrupted", e);
    }
  }

  private static ProviderException failure(
      CompletionStage<ProviderResponse> stage, Duration callTimeout) {
    ProviderResponse response;
    try {
      response =
          stage
              .toCompletableFuture()
              .get(callTimeout.plus(TIMEOUT_MARGIN).toMillis(), TimeUnit.MILLISECONDS);
    } catch (ExecutionException e) {
      // InstrumentedConnector fails its stages with the classified ProviderException itself.
      assertThat(e.getCause()).isInstanceOf(ProviderException.class);
      return (ProviderException) e.getCause();
    } catch (TimeoutException e) {
      throw new AssertionError(
          "call neither failed nor succeeded within " + callTimeout.plus(TIMEOUT_MARGIN), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError("interrupted", e);
    }
    return fail("expected a ProviderException, but the call succeeded with %s", response);
  }

  private static List<Throwable> causesAndSuppressed(Throwable error) {
    Set<Throwable> seen = Collections.newSetFromMap(new IdentityHashMap<>());
    List<Throwable> all = new ArrayList<>();
    collect(error, seen, all);
    return all;
  }

  private static void collect(Throwable error, Set<Throwable> seen, List<Throwable> all) {
    if (error == null || !seen.add(error)) {
      return;
    }
    all.add(error);
    collect(error.getCause(), seen, all);
    for (Throwable suppressed : error.getSuppressed()) {
      collect(suppressed, seen, all);
    }
  }
}
