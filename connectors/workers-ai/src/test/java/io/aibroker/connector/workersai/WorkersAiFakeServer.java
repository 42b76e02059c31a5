package io.aibroker.connector.workersai;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.aibroker.connector.Connector;
import io.aibroker.connector.TokenUsage;
import io.aibroker.connector.testing.FakeBatchJobs;
import io.aibroker.connector.testing.FakeExchange;
import io.aibroker.connector.testing.FakeProviderServer;
import io.aibroker.connector.testing.FakeReplies;
import io.aibroker.connector.testing.FakeScenario;
import io.aibroker.connector.testing.FakeStream;
import io.aibroker.connector.testing.RecordedRequest;
import java.io.IOException;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;

/**
 * Speaks Workers AI's native REST API ({@code /client/v4/accounts/{account}/ai/run/{model}}) and
 * its AI Gateway form ({@code /v1/{account}/{gateway}/workers-ai/{model}}), in Cloudflare's
 * envelope, as Cloudflare documents it, and its async batch API ({@code ?queueRequest=true}) over
 * {@link #batchJobs()}.
 *
 * <p>Deliberately harsher than Cloudflare in one way: its 401 message echoes the presented token,
 * so the conformance suite proves the connector scrubs it.
 */
public final class WorkersAiFakeServer extends FakeProviderServer {

  static final String ACCOUNT = "0123456789abcdef0123456789abcdef";
  static final String GATEWAY = "test-gateway";

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String NATIVE_PREFIX = "/client/v4/accounts/" + ACCOUNT + "/ai/run/";
  private static final String GATEWAY_PREFIX = "/v1/" + ACCOUNT + "/" + GATEWAY + "/workers-ai/";

  private final FakeBatchJobs batchJobs = new FakeBatchJobs("wai-batch-");
  private volatile boolean embeddingUsage = true;
  private volatile boolean streams = true;

  /** Starts the fake on a free port of 127.0.0.1. */
  public WorkersAiFakeServer() throws IOException {
    super();
  }

  /**
   * A Workers AI connector calling this fake's native endpoint with a dummy token, for tests in
   * other modules (fault storms).
   *
   * @param requestTimeout the connector's whole-call timeout
   * @param clock the connector's clock
   */
  public Connector connector(Duration requestTimeout, Clock clock) {
    return new WorkersAiConnector(
        new WorkersAiConfig(
            ACCOUNT, "fake-token", nativeBaseUrl(), Duration.ofSeconds(5), requestTimeout),
        clock);
  }

  /** {@code baseUrl} for direct API access. */
  URI nativeBaseUrl() {
    return URI.create(baseUri() + "/client/v4");
  }

  /** {@code baseUrl} through AI Gateway. */
  URI gatewayBaseUrl() {
    return URI.create(baseUri() + "/v1/" + ACCOUNT + "/" + GATEWAY + "/workers-ai");
  }

  /**
   * The async batch jobs queued with {@code ?queueRequest=true}, to script how they end and count
   * submissions.
   */
  public FakeBatchJobs batchJobs() {
    return batchJobs;
  }

  /** Whether embedding replies carry usage (Workers AI often sends none). */
  void embeddingUsage(boolean include) {
    this.embeddingUsage = include;
  }

  /**
   * Whether streaming requests get events (as Cloudflare does) or, like a buffering proxy, JSON.
   */
  void streams(boolean streams) {
    this.streams = streams;
  }

  @Override
  protected void respond(FakeScenario scenario, RecordedRequest request, FakeExchange exchange)
      throws IOException {
    String model = model(request.path());
    if (!request.method().equals("POST") || model == null) {
      exchange.sendJson(404, envelopeError(7003, "Could not route to " + request.path()));
      return;
    }
    String authorization = request.header("Authorization");
    if (authorization == null || !authorization.startsWith("Bearer ")) {
      exchange.sendJson(400, envelopeError(6003, "Invalid request headers"));
      return;
    }
    JsonNode body = JSON.readTree(request.body());
    if (scenario == FakeScenario.SUCCESS && queued(request)) {
      WorkersAiFakeBatches.respond(batchJobs, model, body, exchange, usage());
      return;
    }
    boolean embedding = body.has("text");
    boolean streaming = streams && body.path("stream").asBoolean(false);
    switch (scenario) {
      case SUCCESS -> {
        if (embedding) {
          exchange.sendJson(200, embeddings(body.path("text").size()));
        } else if (streaming) {
          FakeStream stream = startEvents(exchange);
          for (String chunk : FakeReplies.STREAM_CHUNKS) {
            stream.write(event(Map.of("response", chunk, "p", "abcdefgh")));
          }
          stream.write(event(Map.of("response", "", "usage", usage())));
          stream.write("data: [DONE]\n\n");
          stream.finish();
        } else {
          exchange.sendJson(200, chatReply());
        }
      }
      case RATE_LIMITED ->
          exchange.sendJson(
              429,
              Map.of("Retry-After", Long.toString(exchange.retryAfter().toSeconds())),
              envelopeError(3040, "Capacity temporarily exceeded, please try again."));
      case SERVER_ERROR ->
          // Cloudflare's edge answers 5xx with an HTML page, not the API envelope.
          exchange.send(
              503,
              "text/html",
              Map.of(),
              utf8("<html><body><h1>503 Service Temporarily Unavailable</h1></body></html>"));
      case BAD_REQUEST ->
          exchange.sendJson(
              400, envelopeError(5006, "Error: required properties at '/' are 'messages'"));
      case UNAUTHORIZED ->
          exchange.sendJson(
              401,
              envelopeError(
                  10000,
                  "Authentication error: token " + authorization.substring(7) + " is not valid"));
      case FORBIDDEN -> exchange.sendJson(403, envelopeError(10000, "Authentication error"));
      case MALFORMED_BODY -> {
        if (streaming) {
          FakeStream stream = startEvents(exchange);
          stream.write("data: {\"response\":\"Hel\n\n");
          stream.write("data: [DONE]\n\n");
          stream.finish();
        } else {
          exchange.sendJson(200, "{\"result\":{\"response\":\"Hello fr");
        }
      }
      case STREAM_CUT -> {
        if (streaming) {
          FakeStream stream = startEvents(exchange);
          stream.write(event(Map.of("response", FakeReplies.STREAM_CHUNKS.get(0))));
          stream.write(event(Map.of("response", FakeReplies.STREAM_CHUNKS.get(1))));
          stream.cut();
        } else {
          byte[] whole = utf8(chatReply());
          exchange.sendTruncated(
              200, "application/json", Map.of(), Arrays.copyOf(whole, 20), whole.length);
        }
      }
      case HANG -> throw new IllegalStateException("the base class handles HANG");
    }
  }

  /** Whether the request is for the async batch API (a queued request or its poll). */
  private static boolean queued(RecordedRequest request) {
    return request.query() != null
        && List.of(request.query().split("&")).contains("queueRequest=true");
  }

  private static String model(String path) {
    for (String prefix : List.of(NATIVE_PREFIX, GATEWAY_PREFIX)) {
      if (path.startsWith(prefix) && path.length() > prefix.length()) {
        return path.substring(prefix.length());
      }
    }
    return null;
  }

  private static FakeStream startEvents(FakeExchange exchange) throws IOException {
    return exchange.startStream(200, "text/event-stream", Map.of("Cache-Control", "no-cache"));
  }

  private static String event(Map<String, Object> data) throws IOException {
    return "data: " + JSON.writeValueAsString(data) + "\n\n";
  }

  /**
   * {@link #chatUsage()} as Workers AI reports it; the cache and reasoning details (OpenAI's shape,
   * part of their totals) only when there are any, as models without prefix caching send none.
   */
  Map<String, Object> usage() {
    TokenUsage counts = chatUsage();
    Map<String, Object> usage = new LinkedHashMap<>();
    usage.put("prompt_tokens", counts.inputTokens());
    usage.put("completion_tokens", counts.outputTokens());
    usage.put("total_tokens", counts.total());
    if (counts.cacheReadInputTokens() > 0) {
      usage.put("prompt_tokens_details", Map.of("cached_tokens", counts.cacheReadInputTokens()));
    }
    if (counts.reasoningTokens() > 0) {
      usage.put("completion_tokens_details", Map.of("reasoning_tokens", counts.reasoningTokens()));
    }
    return usage;
  }

  private String chatReply() throws IOException {
    return success(
        Map.of("response", FakeReplies.SUCCESS_TEXT, "tool_calls", List.of(), "usage", usage()));
  }

  private String embeddings(int count) throws IOException {
    List<List<Float>> data = IntStream.range(0, count).mapToObj(FakeReplies::embedding).toList();
    Map<String, Object> result =
        new LinkedHashMap<>(
            Map.of(
                "shape",
                List.of(count, FakeReplies.EMBEDDING_DIMENSIONS),
                "data",
                data,
                "pooling",
                "cls"));
    if (embeddingUsage) {
      result.put(
          "usage",
          Map.of(
              "prompt_tokens", FakeReplies.EMBEDDING_INPUT_TOKENS,
              "total_tokens", FakeReplies.EMBEDDING_INPUT_TOKENS));
    }
    return success(result);
  }

  static String success(Map<String, Object> result) throws IOException {
    return JSON.writeValueAsString(
        Map.of("result", result, "success", true, "errors", List.of(), "messages", List.of()));
  }

  static String envelopeError(int code, String message) {
    ObjectNode envelope = JSON.createObjectNode();
    envelope.putNull("result");
    envelope.put("success", false);
    envelope.putArray("errors").addObject().put("code", code).put("message", message);
    envelope.putArray("messages");
    return envelope.toString();
  }
}
