package io.aibroker.connector.azureopenai;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.aibroker.connector.Connector;
import io.aibroker.connector.ConnectorContext;
import io.aibroker.connector.TokenUsage;
import io.aibroker.connector.testing.FakeBatchJobs;
import io.aibroker.connector.testing.FakeExchange;
import io.aibroker.connector.testing.FakeProviderServer;
import io.aibroker.connector.testing.FakeReplies;
import io.aibroker.connector.testing.FakeScenario;
import io.aibroker.connector.testing.FakeStream;
import io.aibroker.connector.testing.RecordedRequest;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Azure OpenAI over HTTPS (the SDK refuses to send a key over HTTP): {@code POST
 * /openai/deployments/{deployment}/chat/completions} and {@code .../embeddings}, with {@code
 * api-version} in the query and the key in the {@code api-key} header. Bodies, SSE streams and
 * error shapes follow Azure's: a leading chunk of prompt filter results with no choices, usage in a
 * last chunk with no choices only when {@code stream_options.include_usage} asks for it, {@code
 * data: [DONE]}, and {@code {"error":{"code":...,"message":...}}} errors with Azure's three retry
 * headers on 429.
 *
 * <p>It also serves Azure OpenAI Global Batch ({@code /openai/files}, {@code /openai/batches}; see
 * {@link AzureBatchFake}), with its jobs in {@link #batchJobs()}; batch requests get the same
 * scenarios (429, 503, ...) as real-time ones, and answered lines the real-time chat reply.
 */
public final class AzureOpenAiFakeServer extends FakeProviderServer {

  /** Code of a 429. */
  static final String RATE_LIMIT_CODE = "429";

  /** Code of the 503. */
  static final String SERVER_ERROR_CODE = "ServiceUnavailable";

  /** Code of the 400. */
  static final String BAD_REQUEST_CODE = "context_length_exceeded";

  /** Code of the 401 (Azure sends the status as the code). */
  static final String UNAUTHORIZED_CODE = "401";

  /** Code of the 403. */
  static final String FORBIDDEN_CODE = "PermissionDenied";

  /** Code of the 404 for an unknown deployment. */
  static final String DEPLOYMENT_NOT_FOUND_CODE = "DeploymentNotFound";

  private static final JsonMapper JSON = JsonMapper.builder().build();
  private static final Pattern ROUTE =
      Pattern.compile("^/openai/deployments/([^/]+)/(chat/completions|embeddings)$");

  private final Set<String> deployments = ConcurrentHashMap.newKeySet();
  private volatile boolean contentFilterOnBadRequest;
  private volatile boolean usageInStreams = true;
  private volatile String finishReason = "stop";
  private volatile CountDownLatch streamGate;
  private final AtomicInteger abandonedStreams = new AtomicInteger();
  private final FakeBatchJobs batchJobs = new FakeBatchJobs("batch_");
  private final AzureBatchFake batches =
      new AzureBatchFake(batchJobs, model -> chatCompletion(model, null));

  /**
   * @param deployments the deployments that exist; others answer 404
   */
  public AzureOpenAiFakeServer(String... deployments) throws IOException {
    super(true);
    this.deployments.addAll(List.of(deployments));
  }

  /**
   * An Azure OpenAI connector calling this fake with a dummy key and trusting its self-signed
   * certificate, for tests in other modules (fault storms).
   *
   * @param requestTimeout the connector's whole-call timeout
   * @param context the connector's clock and metrics
   */
  public Connector connector(Duration requestTimeout, ConnectorContext context) {
    AzureOpenAiConfig config =
        AzureOpenAiConfig.of(baseUri()).withApiKey("fake-key").withRequestTimeout(requestTimeout);
    return new AzureOpenAiConnector(config, context, clientSslContext(), name -> null);
  }

  /**
   * The batch jobs this fake holds: script job and line failures, slow completion, and count the
   * creates (a job submitted twice shows as two creates under one key).
   */
  public FakeBatchJobs batchJobs() {
    return batchJobs;
  }

  /** Renders {@link FakeScenario#BAD_REQUEST} as Azure's content-filter rejection. */
  void contentFilterOnBadRequest(boolean enabled) {
    this.contentFilterOnBadRequest = enabled;
  }

  /** Whether streams end with the usage chunk when asked for it (as Azure does), default true. */
  void usageInStreams(boolean enabled) {
    this.usageInStreams = enabled;
  }

  /**
   * Makes successful streams wait after their first piece of text until {@code gate} opens (at most
   * 5s), to prove the client sees text before the stream ends.
   */
  void streamGate(CountDownLatch gate) {
    this.streamGate = gate;
  }

  /** The finish reason of successful chats, default {@code stop}. */
  void finishReason(String finishReason) {
    this.finishReason = finishReason;
  }

  @Override
  protected void respond(FakeScenario scenario, RecordedRequest request, FakeExchange exchange)
      throws IOException {
    Matcher route = ROUTE.matcher(request.path());
    boolean batch = AzureBatchFake.handles(request.path());
    if (!batch && (!"POST".equals(request.method()) || !route.matches())) {
      exchange.sendJson(404, error("404", "Resource not found"));
      return;
    }
    if (request.query() == null || !request.query().contains("api-version=")) {
      exchange.sendJson(404, error("404", "Resource not found"));
      return;
    }
    String key = request.header("api-key");
    if (key == null) {
      exchange.sendJson(
          401,
          error(
              "401",
              "Access denied due to missing subscription key. Make sure to include subscription"
                  + " key when making requests to an API."));
      return;
    }
    if (batch) {
      if (scenario == FakeScenario.SUCCESS) {
        batches.respond(request, exchange);
      } else {
        fault(scenario, key, false, "batch", exchange);
      }
      return;
    }
    String deployment = route.group(1);
    boolean chat = route.group(2).equals("chat/completions");
    JsonNode body = JSON.readTree(request.body().isEmpty() ? "{}" : request.body());
    boolean stream = chat && body.path("stream").asBoolean(false);
    if (scenario != FakeScenario.SUCCESS) {
      fault(scenario, key, stream, deployment, exchange);
      return;
    }
    if (!deployments.contains(deployment)) {
      exchange.sendJson(
          404,
          error(
              DEPLOYMENT_NOT_FOUND_CODE,
              "The API deployment for this resource does not exist. If you created the"
                  + " deployment within the last 5 minutes, please wait a moment and try"
                  + " again."));
    } else if (!chat) {
      exchange.sendJson(200, embeddings(deployment, body.path("input").size()));
    } else if (stream) {
      boolean includeUsage = body.path("stream_options").path("include_usage").asBoolean();
      streamSuccess(
          exchange.startStream(200, "text/event-stream", Map.of()), includeUsage, servedTier(body));
    } else {
      exchange.sendJson(200, chatCompletion(deployment, servedTier(body)));
    }
  }

  /** Answers with {@code scenario}'s failure (every scenario but {@code SUCCESS}). */
  private void fault(
      FakeScenario scenario, String key, boolean stream, String deployment, FakeExchange exchange)
      throws IOException {
    switch (scenario) {
      case SUCCESS -> throw new IllegalArgumentException("SUCCESS is not a fault");
      case RATE_LIMITED -> {
        long millis = exchange.retryAfter().toMillis();
        long seconds = Math.ceilDiv(millis, 1000);
        exchange.sendJson(
            429,
            Map.of(
                "retry-after-ms", String.valueOf(millis),
                "x-ms-retry-after-ms", String.valueOf(millis),
                "Retry-After", String.valueOf(seconds)),
            error(
                RATE_LIMIT_CODE,
                "Requests to the ChatCompletions_Create Operation under Azure OpenAI API version"
                    + " 2025-01-01-preview have exceeded token rate limit of your current"
                    + " OpenAI S0 pricing tier. Please retry after "
                    + seconds
                    + " seconds."));
      }
      case SERVER_ERROR ->
          exchange.sendJson(
              503,
              error(
                  SERVER_ERROR_CODE,
                  "The service is temporarily unable to process your request. Please try again"
                      + " later."));
      case BAD_REQUEST -> {
        if (contentFilterOnBadRequest) {
          exchange.sendJson(400, contentFilterError());
        } else {
          exchange.sendJson(
              400,
              error(
                  BAD_REQUEST_CODE,
                  "This model's maximum context length is 128000 tokens. However, your messages"
                      + " resulted in 130017 tokens. Please reduce the length of the messages."));
        }
      }
      // Both echo the presented key, as some gateways do: the connector must keep it out.
      case UNAUTHORIZED ->
          exchange.sendJson(
              401,
              error(
                  UNAUTHORIZED_CODE,
                  "Access denied due to invalid subscription key "
                      + key
                      + " or wrong API endpoint. Make sure to provide a valid key for an active"
                      + " subscription and use a correct regional API endpoint for your"
                      + " resource."));
      case FORBIDDEN ->
          exchange.sendJson(
              403,
              error(
                  FORBIDDEN_CODE,
                  "Principal does not have access to API/Operation (key " + key + ")."));
      case MALFORMED_BODY -> {
        if (stream) {
          exchange
              .startStream(200, "text/event-stream", Map.of())
              .write(event(chunk(List.of(delta(0, "Hello", null)), null)))
              .write("data: {\"id\":\"chatcmpl-fake\",\"choices\":[{\"index\":0,\"del\n\n")
              .write("data: [DONE]\n\n")
              .finish();
        } else {
          exchange.sendJson(200, chatCompletion(deployment, "default").substring(0, 40));
        }
      }
      case STREAM_CUT -> {
        if (stream) {
          FakeStream out = exchange.startStream(200, "text/event-stream", Map.of());
          out.write(event(promptFilterChunk()));
          out.write(event(chunk(List.of(delta(0, "Hello", null)), null)));
          out.write(event(chunk(List.of(delta(0, " from", null)), null)));
          out.cut();
        } else {
          byte[] whole = utf8(chatCompletion(deployment, "default"));
          byte[] partial = java.util.Arrays.copyOf(whole, whole.length / 2);
          exchange.sendTruncated(200, "application/json", Map.of(), partial, whole.length);
        }
      }
      case HANG -> throw new IllegalStateException("FakeProviderServer handles HANG itself");
    }
  }

  /** How many successful streams failed to write because the client had gone away. */
  int abandonedStreams() {
    return abandonedStreams.get();
  }

  /** The tier the reply names: the one asked for, else {@code default}, as OpenAI answers. */
  private static String servedTier(JsonNode body) {
    JsonNode tier = body.path("service_tier");
    return tier.isTextual() ? tier.asText() : "default";
  }

  private void streamSuccess(FakeStream out, boolean includeUsage, String tier) throws IOException {
    try {
      writeStream(out, includeUsage, tier);
    } catch (IOException clientGone) {
      abandonedStreams.incrementAndGet();
      throw clientGone;
    }
  }

  private void writeStream(FakeStream out, boolean includeUsage, String tier) throws IOException {
    out.write(event(promptFilterChunk()));
    out.write(event(chunk(List.of(delta(0, "", null)), null)));
    CountDownLatch gate = streamGate;
    for (String piece : FakeReplies.STREAM_CHUNKS) {
      out.write(event(chunk(List.of(delta(0, piece, null)), null)));
      if (gate != null) {
        awaitQuietly(gate);
        gate = null;
        // Give a client that went away meanwhile time to close, so the writes below fail.
        sleepQuietly(200);
      }
    }
    out.write(event(chunk(List.of(delta(0, null, finishReason)), null)));
    if (includeUsage && usageInStreams) {
      ObjectNode last = chunk(List.of(), usage());
      last.put("service_tier", tier);
      out.write(event(last));
    }
    out.write("data: [DONE]\n\n");
    out.finish();
  }

  private static void sleepQuietly(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private static void awaitQuietly(CountDownLatch gate) {
    try {
      gate.await(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private String chatCompletion(String deployment, String tier) {
    ObjectNode root = JSON.createObjectNode();
    root.put("id", "chatcmpl-fake");
    root.put("object", "chat.completion");
    root.put("created", 1_735_000_000L);
    root.put("model", deployment);
    ObjectNode choice = root.putArray("choices").addObject();
    choice.put("index", 0);
    choice.put("finish_reason", finishReason);
    ObjectNode message = choice.putObject("message");
    message.put("role", "assistant");
    if ("content_filter".equals(finishReason)) {
      // Azure withholds the content of a filtered reply.
      message.putNull("content");
    } else {
      message.put("content", FakeReplies.SUCCESS_TEXT);
    }
    root.set("usage", usage());
    if (tier != null) {
      root.put("service_tier", tier);
    }
    return root.toString();
  }

  private static String embeddings(String deployment, int inputs) {
    ObjectNode root = JSON.createObjectNode();
    root.put("object", "list");
    root.put("model", deployment);
    ArrayNode data = root.putArray("data");
    // Listed last to first: the connector must order by index, not by position.
    for (int i = inputs - 1; i >= 0; i--) {
      ObjectNode item = data.addObject();
      item.put("object", "embedding");
      item.put("index", i);
      ArrayNode vector = item.putArray("embedding");
      FakeReplies.embedding(i).forEach(vector::add);
    }
    ObjectNode usage = root.putObject("usage");
    usage.put("prompt_tokens", FakeReplies.EMBEDDING_INPUT_TOKENS);
    usage.put("total_tokens", FakeReplies.EMBEDDING_INPUT_TOKENS);
    return root.toString();
  }

  /**
   * {@link #chatUsage()} as Azure reports it: cached prompt tokens in {@code
   * prompt_tokens_details.cached_tokens}, reasoning in {@code
   * completion_tokens_details.reasoning_tokens}, both included in their totals; Azure has no field
   * for cache writes.
   */
  private ObjectNode usage() {
    TokenUsage counts = chatUsage();
    ObjectNode usage = JSON.createObjectNode();
    usage.put("prompt_tokens", counts.inputTokens());
    usage.put("completion_tokens", counts.outputTokens());
    usage.put("total_tokens", counts.total());
    usage.putObject("prompt_tokens_details").put("cached_tokens", counts.cacheReadInputTokens());
    usage.putObject("completion_tokens_details").put("reasoning_tokens", counts.reasoningTokens());
    return usage;
  }

  private static ObjectNode promptFilterChunk() {
    ObjectNode root = JSON.createObjectNode();
    root.put("id", "");
    root.put("object", "");
    root.put("created", 0);
    root.put("model", "");
    root.putArray("choices");
    ObjectNode filter = root.putArray("prompt_filter_results").addObject();
    filter.put("prompt_index", 0);
    ObjectNode hate = filter.putObject("content_filter_results").putObject("hate");
    hate.put("filtered", false);
    hate.put("severity", "safe");
    return root;
  }

  private static ObjectNode chunk(List<ObjectNode> choices, ObjectNode usage) {
    ObjectNode root = JSON.createObjectNode();
    root.put("id", "chatcmpl-fake");
    root.put("object", "chat.completion.chunk");
    root.put("created", 1_735_000_000L);
    root.put("model", "gpt-4o-mini");
    ArrayNode array = root.putArray("choices");
    choices.forEach(array::add);
    if (usage != null) {
      root.set("usage", usage);
    }
    return root;
  }

  private static ObjectNode delta(int index, String content, String finishReason) {
    ObjectNode choice = JSON.createObjectNode();
    choice.put("index", index);
    ObjectNode delta = choice.putObject("delta");
    if (content != null) {
      delta.put("content", content);
      if (content.isEmpty()) {
        delta.put("role", "assistant");
      }
    }
    if (finishReason == null) {
      choice.putNull("finish_reason");
    } else {
      choice.put("finish_reason", finishReason);
    }
    return choice;
  }

  private static String event(ObjectNode data) {
    return "data: " + data + "\n\n";
  }

  /** Azure's error body, {@code {"error":{"code":...,"message":...}}}. */
  static String error(String code, String message) {
    ObjectNode root = JSON.createObjectNode();
    ObjectNode error = root.putObject("error");
    error.put("code", code);
    error.put("message", message);
    return root.toString();
  }

  private static String contentFilterError() {
    ObjectNode root = JSON.createObjectNode();
    ObjectNode error = root.putObject("error");
    error.put(
        "message",
        "The response was filtered due to the prompt triggering Azure OpenAI's content"
            + " management policy.");
    error.putNull("type");
    error.put("param", "prompt");
    error.put("code", AzureErrorBody.CONTENT_FILTER);
    error.put("status", 400);
    ObjectNode inner = error.putObject("innererror");
    inner.put("code", AzureErrorBody.RESPONSIBLE_AI_POLICY_VIOLATION);
    ObjectNode hate = inner.putObject("content_filter_result").putObject("hate");
    hate.put("filtered", true);
    hate.put("severity", "high");
    return root.toString();
  }
}
