package io.aibroker.app.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import io.aibroker.client.AiBrokerClient;
import io.aibroker.records.ChatMessage;
import io.aibroker.records.GenerationParams;
import io.aibroker.records.InferenceRequest;
import io.aibroker.records.InferenceResult;
import io.aibroker.records.ReasonCode;
import io.aibroker.records.ResultStatus;
import io.aibroker.records.Task;
import java.io.IOException;
import java.io.OutputStream;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ExecutionException;

/**
 * An OpenAI-compatible ingress: {@code POST /v1/chat/completions} and {@code POST /v1/embeddings}
 * publish an InferenceRequest for the API key's tenant and answer from its result, in OpenAI's
 * response and error shapes, so an OpenAI SDK user changes only the base URL and the key. Quota
 * rejections are 429 with Retry-After. Streaming ({@code stream: true}) is not served yet and is
 * refused with a 400 that says so.
 */
public final class OpenAiApi implements HttpHandler {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Duration TIMEOUT = Duration.ofSeconds(120);

  private final ApiKeys keys;
  private final java.util.function.Supplier<AiBrokerClient> client;
  private final Clock clock;

  /** Serves requests for the tenants of the given keys through the given client. */
  public OpenAiApi(ApiKeys keys, AiBrokerClient client, Clock clock) {
    this(keys, () -> client, clock);
  }

  /**
   * Serves requests through the client {@code client} gives, asked for on the first request (a
   * process whose API is never called then never reads the results topic).
   */
  public OpenAiApi(ApiKeys keys, java.util.function.Supplier<AiBrokerClient> client, Clock clock) {
    this.keys = keys;
    this.client = client;
    this.clock = clock;
  }

  @Override
  public void handle(HttpExchange exchange) throws IOException {
    try (exchange) {
      String path = exchange.getRequestURI().getPath();
      if (!exchange.getRequestMethod().equals("POST")) {
        error(exchange, 405, "invalid_request_error", "method_not_allowed", "use POST");
        return;
      }
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
      JsonNode body;
      try {
        body = JSON.readTree(exchange.getRequestBody());
      } catch (IOException e) {
        error(
            exchange, 400, "invalid_request_error", "invalid_json", "The body is not valid JSON.");
        return;
      }
      switch (path) {
        case "/v1/chat/completions" -> chat(exchange, tenant.get(), body);
        case "/v1/embeddings" -> embeddings(exchange, tenant.get(), body);
        default ->
            error(
                exchange,
                404,
                "invalid_request_error",
                "unknown_url",
                "Unknown request URL: " + path);
      }
    }
  }

  private void chat(HttpExchange exchange, String tenant, JsonNode body) throws IOException {
    if (body.path("stream").asBoolean(false)) {
      error(
          exchange,
          400,
          "invalid_request_error",
          "unsupported_value",
          "stream: true is not supported by this endpoint yet");
      return;
    }
    List<ChatMessage> messages = new ArrayList<>();
    for (JsonNode message : body.path("messages")) {
      messages.add(
          new ChatMessage(message.path("role").asText(""), message.path("content").asText("")));
    }
    InferenceRequest request =
        base(tenant, body).setTask(Task.CHAT).setMessages(messages).setParams(params(body)).build();
    InferenceResult result = submit(request);
    if (result == null || answeredWithError(exchange, result)) {
      return;
    }
    ObjectNode response = JSON.createObjectNode();
    response.put("id", "chatcmpl-" + result.getRequestId());
    response.put("object", "chat.completion");
    response.put("created", result.getCompletedAt().getEpochSecond());
    response.put("model", body.path("model").asText());
    ObjectNode choice = response.putArray("choices").addObject();
    choice.put("index", 0);
    choice
        .putObject("message")
        .put("role", "assistant")
        .put("content", result.getOutput().getText());
    choice.put("finish_reason", result.getOutput().getFinishReason());
    usage(response, result);
    send(exchange, 200, response);
  }

  private void embeddings(HttpExchange exchange, String tenant, JsonNode body) throws IOException {
    List<String> inputs = new ArrayList<>();
    JsonNode input = body.path("input");
    if (input.isArray()) {
      input.forEach(i -> inputs.add(i.asText()));
    } else if (input.isTextual()) {
      inputs.add(input.asText());
    }
    InferenceResult result =
        submit(base(tenant, body).setTask(Task.EMBED).setInputs(inputs).build());
    if (result == null || answeredWithError(exchange, result)) {
      return;
    }
    ObjectNode response = JSON.createObjectNode();
    response.put("object", "list");
    response.put("model", body.path("model").asText());
    ArrayNode data = response.putArray("data");
    List<List<Float>> vectors = result.getOutput().getEmbeddings();
    for (int i = 0; i < vectors.size(); i++) {
      ObjectNode item = data.addObject().put("object", "embedding").put("index", i);
      ArrayNode vector = item.putArray("embedding");
      vectors.get(i).forEach(vector::add);
    }
    usage(response, result);
    send(exchange, 200, response);
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
    } catch (ExecutionException e) {
      return InferenceResult.newBuilder()
          .setRequestId(request.getRequestId())
          .setTenantId(request.getTenantId())
          .setStatus(ResultStatus.FAILED)
          .setReason(ReasonCode.INTERNAL_ERROR)
          .setMessage("no result: " + e.getCause().getClass().getSimpleName())
          .setCompletedAt(clock.instant())
          .build();
    }
  }

  /** Sends the OpenAI-shaped error for a result that did not succeed; false if it succeeded. */
  private static boolean answeredWithError(HttpExchange exchange, InferenceResult result)
      throws IOException {
    if (result.getStatus() == ResultStatus.SUCCEEDED) {
      return false;
    }
    ReasonCode reason = result.getReason() == null ? ReasonCode.OTHER : result.getReason();
    int status =
        switch (reason) {
          case QUOTA_RPM, QUOTA_TPM, QUOTA_CONCURRENCY, BUDGET_DAILY, BUDGET_MONTHLY -> 429;
          case UNKNOWN_MODEL -> 404;
          case MODEL_NOT_ALLOWED -> 403;
          case DEADLINE -> 504;
          case INVALID_REQUEST, PAYLOAD_TOO_LARGE -> 400;
          default -> result.getStatus() == ResultStatus.EXPIRED ? 504 : 502;
        };
    if (status == 429 && result.getRetryAfterMs() != null) {
      long seconds = Math.max(1, (result.getRetryAfterMs() + 999) / 1000);
      exchange.getResponseHeaders().set("Retry-After", Long.toString(seconds));
    }
    String type =
        status == 429
            ? "rate_limit_exceeded"
            : status >= 500 ? "server_error" : "invalid_request_error";
    error(
        exchange,
        status,
        type,
        reason.name().toLowerCase(java.util.Locale.ROOT),
        result.getMessage());
    return true;
  }

  private static void usage(ObjectNode response, InferenceResult result) {
    var usage = result.getUsage();
    long in = usage == null ? 0 : usage.getInputTokens();
    long out = usage == null ? 0 : usage.getOutputTokens();
    response
        .putObject("usage")
        .put("prompt_tokens", in)
        .put("completion_tokens", out)
        .put("total_tokens", in + out);
  }

  private static void error(
      HttpExchange exchange, int status, String type, String code, String message)
      throws IOException {
    ObjectNode body = JSON.createObjectNode();
    body.putObject("error")
        .put("message", message == null ? "" : message)
        .put("type", type)
        .put("code", code)
        .putNull("param");
    send(exchange, status, body);
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
