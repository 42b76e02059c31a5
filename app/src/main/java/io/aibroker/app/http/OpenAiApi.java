package io.aibroker.app.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamWriteFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.aibroker.client.AiBrokerClient;
import io.aibroker.client.StreamingResponse;
import io.aibroker.records.ChatMessage;
import io.aibroker.records.GenerationParams;
import io.aibroker.records.InferenceRequest;
import io.aibroker.records.InferenceResult;
import io.aibroker.records.ResultStatus;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import org.eclipse.jetty.io.EofException;
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
 *   <li>{@code GET /v1/models} and {@code GET /v1/models/{id}} list the models and aliases the
 *       key's tenant may use, in OpenAI's shape ({@link ModelsJson}), from the configured catalog
 *       and the tenant's policy as the process's {@link AllowedModels} holds it.
 *   <li>{@code GET /v1/usage} summarizes the key's tenant's usage ({@link UsageSummary}), never
 *       another tenant's, from the process's {@link UsageView}: no topic is read per call.
 * </ul>
 *
 * <p>Bodies are parsed within bounds ({@link RequestBodies}). At most {@code
 * http.max-concurrent-requests} requests are in flight through the broker at once: one more is
 * answered 503 with Retry-After at once instead of blocking a thread until one finishes (the
 * client's own {@code maxInFlight} would block). 503, not 429: it is the server's capacity, not the
 * tenant's quota, and OpenAI's SDKs retry both.
 */
public final class OpenAiApi extends CallHandler {

  private static final Logger LOG = LoggerFactory.getLogger(OpenAiApi.class);
  private static final ObjectMapper JSON =
      JsonMapper.builder().enable(StreamWriteFeature.WRITE_BIGDECIMAL_AS_PLAIN).build();
  private static final Duration TIMEOUT = Duration.ofSeconds(120);
  private static final Duration KEEP_ALIVE = Duration.ofSeconds(15);
  private static final String MODELS = "/v1/models";

  private final ApiKeys keys;
  private final Supplier<AiBrokerClient> client;
  private final UsageView usage;
  private final ModelDirectory models;
  private final AllowedModels allowedModels;
  private final long modelsCreated;
  private final RequestBodies bodies;
  private final int maxInFlight;
  private final Semaphore inFlight;
  private final ContentLog content;
  private final Clock clock;
  private final AtomicInteger activeStreams = new AtomicInteger();

  /**
   * Serves requests for the tenants of the given keys.
   *
   * @param keys API key hashes and their tenants
   * @param client publishes requests and gets their results; asked for on the first call, so a
   *     process whose API is never called never reads the results topic
   * @param usage every tenant's current usage rollups
   * @param models the model ids of the catalog, aliases included
   * @param allowedModels every tenant's allowed models
   * @param content logs prompts and outputs if configured
   * @param clock the time requests are created at
   * @param limits the largest body, and the most requests in flight through the broker
   */
  public OpenAiApi(
      ApiKeys keys,
      Supplier<AiBrokerClient> client,
      UsageView usage,
      ModelDirectory models,
      AllowedModels allowedModels,
      ContentLog content,
      Clock clock,
      HttpLimits limits) {
    this.keys = keys;
    this.client = client;
    this.usage = usage;
    this.models = models;
    this.allowedModels = allowedModels;
    // OpenAI's "created" of a model: here, when this process loaded the catalog.
    this.modelsCreated = clock.instant().getEpochSecond();
    this.bodies = new RequestBodies(limits.maxBodyBytes());
    this.maxInFlight = limits.maxConcurrentRequests();
    this.inFlight = new Semaphore(maxInFlight);
    this.content = content;
    this.clock = clock;
  }

  /** Streamed chat completions being answered right now. */
  public int activeStreams() {
    return activeStreams.get();
  }

  /** API requests submitted to the broker and not answered yet. */
  public int requestsInFlight() {
    return maxInFlight - inFlight.availablePermits();
  }

  @Override
  protected void handle(HttpCall call) {
    String path = call.path();
    String method = call.method();
    var tenant = keys.tenantOf(call.header("Authorization"));
    if (tenant.isEmpty()) {
      error(call, 401, "invalid_request_error", "invalid_api_key", "Incorrect API key provided.");
      return;
    }
    switch (path) {
      case "/v1/chat/completions", "/v1/embeddings" -> {
        if (!method.equals("POST")) {
          error(call, 405, "invalid_request_error", "method_not_allowed", "use POST");
          return;
        }
        JsonNode body;
        try {
          body = bodies.readObject(call.body());
        } catch (RequestBodies.Rejected e) {
          error(call, e.status(), "invalid_request_error", e.code(), e.getMessage());
          return;
        }
        if (path.equals("/v1/embeddings")) {
          embeddings(call, tenant.get(), body);
        } else if (body.path("stream").asBoolean(false)) {
          streamChat(call, tenant.get(), body);
        } else {
          chat(call, tenant.get(), body);
        }
      }
      case "/v1/usage" -> {
        if (!method.equals("GET")) {
          error(call, 405, "invalid_request_error", "method_not_allowed", "use GET");
          return;
        }
        usage(call, tenant.get());
      }
      case String p when p.equals(MODELS) || p.startsWith(MODELS + "/") -> {
        if (!method.equals("GET")) {
          error(call, 405, "invalid_request_error", "method_not_allowed", "use GET");
          return;
        }
        models(call, tenant.get());
      }
      default ->
          error(
              call,
              404,
              "invalid_request_error",
              "unknown_url",
              "Unknown request URL: " + method + " " + path);
    }
  }

  private void chat(HttpCall call, String tenant, JsonNode body) {
    InferenceRequest request = chatRequest(call, tenant, body, false);
    if (request == null) {
      return;
    }
    content.request(request.getRequestId(), tenant, "/v1/chat/completions", body);
    if (!admitted(call)) {
      return;
    }
    InferenceResult result = submit(request);
    if (result == null) {
      call.fail(new InterruptedException("stopping"));
      return;
    }
    if (answeredWithError(call, result)) {
      return;
    }
    ObjectNode response =
        new ChatCompletionJson(
                ChatCompletionJson.idOf(result.getRequestId()),
                body.path("model").asText(),
                result.getCompletedAt().getEpochSecond())
            .completion(result);
    content.response(request.getRequestId(), 200, response);
    send(call, 200, response);
  }

  private void streamChat(HttpCall call, String tenant, JsonNode body) {
    InferenceRequest request = chatRequest(call, tenant, body, true);
    if (request == null) {
      return;
    }
    content.request(request.getRequestId(), tenant, "/v1/chat/completions", body);
    if (!admitted(call)) {
      return;
    }
    StreamingResponse response;
    try {
      response = client.get().stream(request, TIMEOUT);
      // The permit is the request's, not the handler's: it is held until the result, even if the
      // caller hangs up first, since the broker still works on it.
      response.result().whenComplete((r, e) -> inFlight.release());
    } catch (RuntimeException e) {
      inFlight.release();
      LOG.warn("could not submit streaming request {}", request.getRequestId(), e);
      answeredWithError(call, OpenAiErrors.noResult(request, e, clock));
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
    var responder = new EventStreamResponder(call);
    ChatCompletionStream.Outcome outcome;
    activeStreams.incrementAndGet();
    try {
      outcome = stream.run(responder);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      call.fail(e);
      return;
    } finally {
      activeStreams.decrementAndGet();
    }
    switch (outcome) {
      case ANSWERED_WITH_ERROR -> {} // answered as a whole
      case CLIENT_GONE -> {
        LOG.debug("the client of streaming request {} went away", request.getRequestId());
        call.fail(new EofException("the client went away"));
      }
      case COMPLETED, FAILED_IN_STREAM -> call.finish(responder.events);
    }
    if (response.result().isDone() && !response.result().isCompletedExceptionally()) {
      InferenceResult result = response.result().join();
      content.response(
          request.getRequestId(),
          200,
          result.getOutput() == null ? result.getMessage() : result.getOutput().getText());
    }
  }

  /** Answers a stream as server-sent events, or as a whole JSON error if it never started. */
  private final class EventStreamResponder implements ChatCompletionStream.Responder {
    private final HttpCall call;
    private OutputStream events;

    EventStreamResponder(HttpCall call) {
      this.call = call;
    }

    @Override
    public void error(InferenceResult result) {
      answeredWithError(call, result);
    }

    @Override
    public OutputStream start() {
      events = call.header("Cache-Control", "no-cache").stream(200, "text/event-stream");
      return events;
    }
  }

  /** The request of a chat completion; answers 400 and returns null if its messages are invalid. */
  private InferenceRequest chatRequest(
      HttpCall call, String tenant, JsonNode body, boolean stream) {
    List<ChatMessage> messages;
    try {
      messages = ChatMessages.of(body.path("messages"));
    } catch (ChatMessages.Invalid e) {
      invalidValue(call, e.param(), e.getMessage());
      return null;
    }
    return base(tenant, body)
        .setTask(io.aibroker.records.Task.CHAT) // qualified: Jetty's Invocable.Task is in scope
        .setMessages(messages)
        .setParams(params(body))
        .setStream(stream)
        .build();
  }

  private void embeddings(HttpCall call, String tenant, JsonNode body) {
    List<String> inputs = new ArrayList<>();
    JsonNode input = body.path("input");
    if (input.isArray()) {
      input.forEach(i -> inputs.add(i.asText()));
    } else if (input.isTextual()) {
      inputs.add(input.asText());
    }
    InferenceRequest request =
        base(tenant, body).setTask(io.aibroker.records.Task.EMBED).setInputs(inputs).build();
    content.request(request.getRequestId(), tenant, "/v1/embeddings", body);
    if (!admitted(call)) {
      return;
    }
    InferenceResult result = submit(request);
    if (result == null) {
      call.fail(new InterruptedException("stopping"));
      return;
    }
    if (answeredWithError(call, result)) {
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
    response.set("usage", ChatCompletionJson.embeddingUsage(result));
    content.response(request.getRequestId(), 200, "(" + vectors.size() + " embeddings)");
    send(call, 200, response);
  }

  /** OpenAI's {@code encoding_format: base64}: the floats as little-endian float32, base64. */
  private static String base64(List<Float> vector) {
    ByteBuffer bytes = ByteBuffer.allocate(vector.size() * Float.BYTES);
    bytes.order(ByteOrder.LITTLE_ENDIAN);
    vector.forEach(bytes::putFloat);
    return Base64.getEncoder().encodeToString(bytes.array());
  }

  private void usage(HttpCall call, String tenant) {
    UsageRange range;
    try {
      range = UsageRange.parse(call.query(), clock);
    } catch (UsageRange.InvalidQuery e) {
      invalidValue(call, e.param(), e.getMessage());
      return;
    }
    if (usage.stopped()) {
      error(call, 503, "server_error", "usage_unavailable", "Usage cannot be read right now.");
      return;
    }
    if (!usage.caughtUp()) {
      call.header("Retry-After", Long.toString(HttpLimits.RETRY_AFTER_SECONDS));
      error(
          call,
          503,
          "server_error",
          "usage_catching_up",
          "Usage is still being read since this server started; retry shortly.");
      return;
    }
    ObjectNode summary = UsageSummary.of(tenant, range, usage.rollups(tenant, range));
    // Usage older than the view keeps is not counted: say from when it is.
    summary.put("available_from", usage.availableFrom().toString());
    send(call, 200, summary);
  }

  /** {@code GET /v1/models} and {@code GET /v1/models/{id}}: what the tenant may ask for. */
  private void models(HttpCall call, String tenant) {
    if (allowedModels.stopped() || !allowedModels.caughtUp()) {
      call.header("Retry-After", Long.toString(HttpLimits.RETRY_AFTER_SECONDS));
      error(
          call,
          503,
          "server_error",
          "models_catching_up",
          "Tenant policies are still being read since this server started; retry shortly.");
      return;
    }
    List<String> allowed = allowedModels.of(tenant);
    String path = call.decodedPath();
    if (path.equals(MODELS) || path.equals(MODELS + "/")) {
      send(call, 200, ModelsJson.list(models.usable(allowed), modelsCreated));
      return;
    }
    String id = path.substring(MODELS.length() + 1);
    var found = models.find(id, allowed);
    if (found.isEmpty()) {
      // Unknown and not allowed look the same: a tenant learns nothing of others' models.
      ObjectNode body =
          OpenAiErrors.body(
              "invalid_request_error",
              "model_not_found",
              "The model '"
                  + ModelsJson.shown(id)
                  + "' does not exist or you do not have access"
                  + " to it.");
      ((ObjectNode) body.get("error")).put("param", "model");
      send(call, 404, body);
      return;
    }
    send(call, 200, ModelsJson.model(found.get(), modelsCreated));
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

  /**
   * Takes an in-flight permit for a request about to be submitted, or answers 503 with Retry-After
   * when every permit is taken. A permit taken is released when the request's result arrives.
   */
  private boolean admitted(HttpCall call) {
    if (inFlight.tryAcquire()) {
      return true;
    }
    call.header("Retry-After", Long.toString(HttpLimits.RETRY_AFTER_SECONDS));
    error(
        call,
        503,
        "server_error",
        "server_busy",
        "The server has as many requests in flight as it may; retry shortly.");
    return false;
  }

  /** Submits and waits for the result; the in-flight permit taken before is released with it. */
  private InferenceResult submit(InferenceRequest request) {
    CompletableFuture<InferenceResult> result;
    try {
      result = client.get().submit(request, TIMEOUT);
    } catch (RuntimeException e) {
      inFlight.release();
      return OpenAiErrors.noResult(request, e, clock);
    }
    result.whenComplete((r, e) -> inFlight.release());
    try {
      return result.get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return null;
    } catch (ExecutionException | RuntimeException e) {
      return OpenAiErrors.noResult(request, e, clock);
    }
  }

  /** Sends the OpenAI-shaped error for a result that did not succeed; false if it succeeded. */
  private boolean answeredWithError(HttpCall call, InferenceResult result) {
    if (result.getStatus() == ResultStatus.SUCCEEDED) {
      return false;
    }
    int status = OpenAiErrors.status(result);
    OpenAiErrors.retryAfterSeconds(result)
        .ifPresent(s -> call.header("Retry-After", Long.toString(s)));
    ObjectNode body = OpenAiErrors.body(result);
    content.response(result.getRequestId(), status, body);
    send(call, status, body);
    return true;
  }

  /** 400 {@code invalid_value}, naming the parameter at fault. */
  private static void invalidValue(HttpCall call, String param, String message) {
    ObjectNode body = OpenAiErrors.body("invalid_request_error", "invalid_value", message);
    ((ObjectNode) body.get("error")).put("param", param);
    send(call, 400, body);
  }

  private static void error(HttpCall call, int status, String type, String code, String message) {
    send(call, status, OpenAiErrors.body(type, code, message));
  }

  private static void send(HttpCall call, int status, JsonNode body) {
    byte[] bytes;
    try {
      bytes = JSON.writeValueAsBytes(body);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("a JSON tree always serializes", e);
    }
    call.send(status, "application/json", bytes);
  }
}
