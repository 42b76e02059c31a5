package io.aibroker.app.http;

import com.fasterxml.jackson.core.StreamWriteFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import io.aibroker.client.AiBrokerClient;
import io.aibroker.client.StreamingResponse;
import io.aibroker.records.ChatMessage;
import io.aibroker.records.GenerationParams;
import io.aibroker.records.InferenceRequest;
import io.aibroker.records.InferenceResult;
import io.aibroker.records.ResultStatus;
import io.aibroker.records.Task;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An OpenAI-compatible ingress, so an OpenAI SDK user changes only the base URL and the key:
 *
 * <ul>
 *   <li>{@code POST /v1/chat/completions} and {@code POST /v1/embeddings} publish an
 *       InferenceRequest for the API key's tenant and answer from its result, in OpenAI's response
 *       and error shapes; quota rejections are 429 with Retry-After. With {@code stream: true} a
 *       chat completion is answered as server-sent events ({@link ChatCompletionStream}).
 *   <li>{@code GET /v1/usage} summarizes the key's tenant's usage ({@link UsageSummary}), never
 *       another tenant's.
 * </ul>
 */
public final class OpenAiApi implements HttpHandler {

  private static final Logger LOG = LoggerFactory.getLogger(OpenAiApi.class);
  private static final ObjectMapper JSON =
      JsonMapper.builder().enable(StreamWriteFeature.WRITE_BIGDECIMAL_AS_PLAIN).build();
  private static final Duration TIMEOUT = Duration.ofSeconds(120);
  private static final Duration KEEP_ALIVE = Duration.ofSeconds(15);

  private final ApiKeys keys;
  private final Supplier<AiBrokerClient> client;
  private final TenantUsage usage;
  private final ContentLog content;
  private final Clock clock;
  private final AtomicInteger activeStreams = new AtomicInteger();

  /**
   * Serves requests for the tenants of the given keys.
   *
   * @param keys API key hashes and their tenants
   * @param client publishes requests and gets their results; asked for on the first call, so a
   *     process whose API is never called never reads the results topic
   * @param usage reads a tenant's usage rollups
   * @param content logs prompts and outputs if configured
   * @param clock the time requests are created at
   */
  public OpenAiApi(
      ApiKeys keys,
      Supplier<AiBrokerClient> client,
      TenantUsage usage,
      ContentLog content,
      Clock clock) {
    this.keys = keys;
    this.client = client;
    this.usage = usage;
    this.content = content;
    this.clock = clock;
  }

  /** Streamed chat completions being answered right now. */
  public int activeStreams() {
    return activeStreams.get();
  }

  @Override
  public void handle(HttpExchange exchange) throws IOException {
    try (exchange) {
      String path = exchange.getRequestURI().getPath();
      String method = exchange.getRequestMethod();
      var tenant = keys.tenantOf(exchange.getRequestHeaders().getFirst("Authorization"));
      if (tenant.isEmpty()) {
        error(
            exchange,
            401,
            "invalid_request_error",
            "invalid_api_key",
            "Incorrect API key provided.");
        return;
      }
      switch (path) {
        case "/v1/chat/completions", "/v1/embeddings" -> {
          if (!method.equals("POST")) {
            error(exchange, 405, "invalid_request_error", "method_not_allowed", "use POST");
            return;
          }
          Optional<JsonNode> body = body(exchange);
          if (body.isEmpty()) {
            return;
          }
          if (path.equals("/v1/embeddings")) {
            embeddings(exchange, tenant.get(), body.get());
          } else if (body.get().path("stream").asBoolean(false)) {
            streamChat(exchange, tenant.get(), body.get());
          } else {
            chat(exchange, tenant.get(), body.get());
          }
        }
        case "/v1/usage" -> {
          if (!method.equals("GET")) {
            error(exchange, 405, "invalid_request_error", "method_not_allowed", "use GET");
            return;
          }
          usage(exchange, tenant.get());
        }
        default ->
            error(
                exchange,
                404,
                "invalid_request_error",
                "unknown_url",
                "Unknown request URL: " + method + " " + path);
      }
    }
  }

  private static Optional<JsonNode> body(HttpExchange exchange) throws IOException {
    try {
      JsonNode body = JSON.readTree(exchange.getRequestBody());
      if (body != null && body.isObject()) {
        return Optional.of(body);
      }
    } catch (IOException e) {
      // answered below
    }
    error(exchange, 400, "invalid_request_error", "invalid_json", "The body is not a JSON object.");
    return Optional.empty();
  }

  private void chat(HttpExchange exchange, String tenant, JsonNode body) throws IOException {
    InferenceRequest request = chatRequest(tenant, body, false);
    content.request(request.getRequestId(), tenant, "/v1/chat/completions", body);
    InferenceResult result = submit(request);
    if (result == null || answeredWithError(exchange, result)) {
      return;
    }
    ObjectNode response =
        new ChatCompletionJson(
                ChatCompletionJson.idOf(result.getRequestId()),
                body.path("model").asText(),
                result.getCompletedAt().getEpochSecond())
            .completion(result);
    content.response(request.getRequestId(), 200, response);
    send(exchange, 200, response);
  }

  private void streamChat(HttpExchange exchange, String tenant, JsonNode body) throws IOException {
    InferenceRequest request = chatRequest(tenant, body, true);
    content.request(request.getRequestId(), tenant, "/v1/chat/completions", body);
    StreamingResponse response;
    try {
      response = client.get().stream(request, TIMEOUT);
    } catch (RuntimeException e) {
      LOG.warn("could not submit streaming request {}", request.getRequestId(), e);
      answeredWithError(exchange, OpenAiErrors.noResult(request, e, clock));
      return;
    }
    var stream =
        new ChatCompletionStream(
            response,
            new ChatCompletionJson(
                ChatCompletionJson.idOf(request.getRequestId()),
                body.path("model").asText(),
                request.getCreatedAt().getEpochSecond()),
            body.path("stream_options").path("include_usage").asBoolean(false),
            KEEP_ALIVE,
            e -> OpenAiErrors.noResult(request, e, clock));
    activeStreams.incrementAndGet();
    try {
      ChatCompletionStream.Outcome outcome =
          stream.run(
              new ChatCompletionStream.Responder() {
                @Override
                public void error(InferenceResult result) throws IOException {
                  answeredWithError(exchange, result);
                }

                @Override
                public OutputStream start() throws IOException {
                  exchange.getResponseHeaders().set("Content-Type", "text/event-stream");
                  exchange.getResponseHeaders().set("Cache-Control", "no-cache");
                  exchange.sendResponseHeaders(200, 0); // chunked: the length is unknown
                  return exchange.getResponseBody();
                }
              });
      if (outcome == ChatCompletionStream.Outcome.CLIENT_GONE) {
        LOG.debug("the client of streaming request {} went away", request.getRequestId());
      }
      if (response.result().isDone() && !response.result().isCompletedExceptionally()) {
        InferenceResult result = response.result().join();
        content.response(
            request.getRequestId(),
            200,
            result.getOutput() == null ? result.getMessage() : result.getOutput().getText());
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } finally {
      activeStreams.decrementAndGet();
    }
  }

  private InferenceRequest chatRequest(String tenant, JsonNode body, boolean stream) {
    List<ChatMessage> messages = new ArrayList<>();
    for (JsonNode message : body.path("messages")) {
      messages.add(new ChatMessage(message.path("role").asText(""), text(message.path("content"))));
    }
    return base(tenant, body)
        .setTask(Task.CHAT)
        .setMessages(messages)
        .setParams(params(body))
        .setStream(stream)
        .build();
  }

  /** A message's content: a string, or the text parts of an array of content parts. */
  private static String text(JsonNode content) {
    if (!content.isArray()) {
      return content.asText("");
    }
    StringBuilder text = new StringBuilder();
    for (JsonNode part : content) {
      if (part.path("type").asText("text").equals("text")) {
        text.append(part.path("text").asText(""));
      }
    }
    return text.toString();
  }

  private void embeddings(HttpExchange exchange, String tenant, JsonNode body) throws IOException {
    List<String> inputs = new ArrayList<>();
    JsonNode input = body.path("input");
    if (input.isArray()) {
      input.forEach(i -> inputs.add(i.asText()));
    } else if (input.isTextual()) {
      inputs.add(input.asText());
    }
    InferenceRequest request = base(tenant, body).setTask(Task.EMBED).setInputs(inputs).build();
    content.request(request.getRequestId(), tenant, "/v1/embeddings", body);
    InferenceResult result = submit(request);
    if (result == null || answeredWithError(exchange, result)) {
      return;
    }
    ObjectNode response = JSON.createObjectNode();
    response.put("object", "list");
    response.put("model", body.path("model").asText());
    ArrayNode data = response.putArray("data");
    List<List<Float>> vectors = result.getOutput().getEmbeddings();
    boolean base64 = body.path("encoding_format").asText("float").equals("base64");
    for (int i = 0; i < vectors.size(); i++) {
      ObjectNode item = data.addObject().put("object", "embedding").put("index", i);
      if (base64) {
        item.put("embedding", base64(vectors.get(i)));
      } else {
        ArrayNode vector = item.putArray("embedding");
        vectors.get(i).forEach(vector::add);
      }
    }
    ObjectNode tokens = ChatCompletionJson.usage(result);
    tokens.remove("completion_tokens");
    response.set("usage", tokens);
    content.response(request.getRequestId(), 200, "(" + vectors.size() + " embeddings)");
    send(exchange, 200, response);
  }

  /** OpenAI's {@code encoding_format: base64}: the floats as little-endian float32, base64. */
  private static String base64(List<Float> vector) {
    ByteBuffer bytes = ByteBuffer.allocate(vector.size() * Float.BYTES);
    bytes.order(ByteOrder.LITTLE_ENDIAN);
    vector.forEach(bytes::putFloat);
    return Base64.getEncoder().encodeToString(bytes.array());
  }

  private void usage(HttpExchange exchange, String tenant) throws IOException {
    UsageRange range;
    try {
      range = UsageRange.parse(exchange.getRequestURI().getRawQuery(), clock);
    } catch (UsageRange.InvalidQuery e) {
      ObjectNode body = OpenAiErrors.body("invalid_request_error", "invalid_value", e.getMessage());
      ((ObjectNode) body.get("error")).put("param", e.param());
      send(exchange, 400, body);
      return;
    }
    ObjectNode summary;
    try {
      summary = UsageSummary.of(tenant, range, usage.hourly(tenant, range));
    } catch (RuntimeException e) {
      LOG.warn("could not read the usage of tenant {}", tenant, e);
      error(exchange, 503, "server_error", "usage_unavailable", "Usage cannot be read right now.");
      return;
    }
    send(exchange, 200, summary);
  }

  private InferenceRequest.Builder base(String tenant, JsonNode body) {
    return InferenceRequest.newBuilder()
        .setRequestId(UUID.randomUUID().toString())
        .setTenantId(tenant)
        .setUserId(body.hasNonNull("user") ? body.get("user").asText() : null)
        .setModel(body.path("model").asText(""))
        .setCreatedAt(clock.instant());
  }

  private static GenerationParams params(JsonNode body) {
    List<String> stop = new ArrayList<>();
    JsonNode stops = body.path("stop");
    if (stops.isArray()) {
      stops.forEach(s -> stop.add(s.asText()));
    } else if (stops.isTextual()) {
      stop.add(stops.asText());
    }
    JsonNode maxTokens =
        body.has("max_completion_tokens")
            ? body.get("max_completion_tokens")
            : body.get("max_tokens");
    return GenerationParams.newBuilder()
        .setMaxTokens(maxTokens == null || maxTokens.isNull() ? null : maxTokens.asInt())
        .setTemperature(body.hasNonNull("temperature") ? body.get("temperature").asDouble() : null)
        .setTopP(body.hasNonNull("top_p") ? body.get("top_p").asDouble() : null)
        .setStop(stop)
        .build();
  }

  private InferenceResult submit(InferenceRequest request) {
    try {
      return client.get().submit(request, TIMEOUT).get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return null;
    } catch (ExecutionException | RuntimeException e) {
      return OpenAiErrors.noResult(request, e, clock);
    }
  }

  /** Sends the OpenAI-shaped error for a result that did not succeed; false if it succeeded. */
  private boolean answeredWithError(HttpExchange exchange, InferenceResult result)
      throws IOException {
    if (result.getStatus() == ResultStatus.SUCCEEDED) {
      return false;
    }
    int status = OpenAiErrors.status(result);
    OpenAiErrors.retryAfterSeconds(result)
        .ifPresent(s -> exchange.getResponseHeaders().set("Retry-After", Long.toString(s)));
    ObjectNode body = OpenAiErrors.body(result);
    content.response(result.getRequestId(), status, body);
    send(exchange, status, body);
    return true;
  }

  private static void error(
      HttpExchange exchange, int status, String type, String code, String message)
      throws IOException {
    send(exchange, status, OpenAiErrors.body(type, code, message));
  }

  private static void send(HttpExchange exchange, int status, JsonNode body) throws IOException {
    byte[] bytes = JSON.writeValueAsBytes(body);
    exchange.getResponseHeaders().set("Content-Type", "application/json");
    exchange.sendResponseHeaders(status, bytes.length);
    try (OutputStream out = exchange.getResponseBody()) {
      out.write(bytes);
    }
  }
}
