package io.aibroker.connector.bedrock;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.aibroker.connector.Connector;
import io.aibroker.connector.TokenUsage;
import io.aibroker.connector.testing.FakeExchange;
import io.aibroker.connector.testing.FakeProviderServer;
import io.aibroker.connector.testing.FakeReplies;
import io.aibroker.connector.testing.FakeScenario;
import io.aibroker.connector.testing.FakeStream;
import io.aibroker.connector.testing.RecordedRequest;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import software.amazon.awssdk.http.async.SdkAsyncHttpClient;
import software.amazon.awssdk.http.nio.netty.NettyNioAsyncHttpClient;

/**
 * Bedrock Runtime on localhost: Converse ({@code POST /model/{id}/converse}), ConverseStream
 * ({@code /converse-stream}, binary event-stream frames) and InvokeModel ({@code /invoke}) for
 * Titan and Cohere embeddings, with Bedrock's error shape ({@code x-amzn-ErrorType} header and
 * {@code {"message":...}} body). It ignores SigV4 signatures and bearer tokens alike.
 */
public final class BedrockFakeServer extends FakeProviderServer {

  /** Stop reason the fake reports for chat replies. */
  static final String STOP_REASON = "end_turn";

  private static final JsonMapper JSON = JsonMapper.builder().build();
  private static final Pattern PATH =
      Pattern.compile("/model/(?<model>.+)/(?<operation>converse|converse-stream|invoke)");
  private static final String EVENT_STREAM = "application/vnd.amazon.eventstream";

  /**
   * Holds a reference to the SDK's shared Netty event loop for the whole test run. Without one,
   * closing the last client of a test shuts the loop down with a 2-second quiet period, and every
   * test pays it.
   */
  @SuppressWarnings("unused")
  private static final SdkAsyncHttpClient KEEPS_SHARED_EVENT_LOOP =
      NettyNioAsyncHttpClient.create();

  private volatile String streamExceptionType;
  private volatile String retryAfter;
  private volatile String stopReason = STOP_REASON;

  /** Starts the fake on a free port of 127.0.0.1. */
  public BedrockFakeServer() throws IOException {
    super();
  }

  /**
   * A Bedrock connector calling this fake with a dummy API key, for tests in other modules (fault
   * storms).
   *
   * @param requestTimeout the connector's whole-call timeout
   * @param clock the connector's clock
   */
  public Connector connector(Duration requestTimeout, Clock clock) {
    return new BedrockConnector(
        new BedrockConfig("us-east-1", baseUri(), "fake-key", null, requestTimeout, 0), clock);
  }

  /**
   * From now on, successful streams send two deltas and then an exception frame of {@code
   * exceptionType} (lower camel case, e.g. {@code throttlingException}); {@code null} to stop.
   */
  void failStreamsWith(String exceptionType) {
    this.streamExceptionType = exceptionType;
  }

  /** Adds a {@code Retry-After} header to error responses (Bedrock sends none); null to stop. */
  void retryAfter(String value) {
    this.retryAfter = value;
  }

  /** The stop reason chat replies report. */
  void stopReason(String stopReason) {
    this.stopReason = stopReason;
  }

  /**
   * The vector the fake returns for a Titan input: derived from the text, so a test can check that
   * vectors come back in input order even though each input is its own concurrent call.
   */
  static List<Float> titanEmbedding(String inputText) {
    return FakeReplies.embedding(inputText.length());
  }

  /** The token count the fake reports for a Titan input: its word count. */
  static long titanTokens(String inputText) {
    return inputText.isBlank() ? 0 : inputText.trim().split("\\s+").length;
  }

  @Override
  protected void respond(FakeScenario scenario, RecordedRequest request, FakeExchange exchange)
      throws IOException {
    Matcher path = PATH.matcher(request.path());
    if (!request.method().equals("POST") || !path.matches()) {
      error(exchange, 404, "UnknownOperationException", "no such operation: " + request.path());
      return;
    }
    String operation = path.group("operation");
    boolean stream = operation.equals("converse-stream");
    switch (scenario) {
      case SUCCESS -> {
        switch (operation) {
          case "converse" -> exchange.sendJson(200, converseReply(request));
          case "converse-stream" -> streamReply(request, exchange, false);
          default -> invokeReply(path.group("model"), request, exchange);
        }
      }
      case RATE_LIMITED ->
          error(
              exchange,
              429,
              "ThrottlingException",
              "Too many requests, please wait before trying again.",
              // Bedrock sends no hint; a fault window that names one adds it, as a proxy might.
              exchange
                  .scheduledRetryAfter()
                  .map(hint -> Long.toString(Math.ceilDiv(hint.toMillis(), 1000)))
                  .orElse(retryAfter));
      case SERVER_ERROR ->
          error(
              exchange,
              503,
              "ServiceUnavailableException",
              "Bedrock is unable to process your request.");
      case BAD_REQUEST ->
          error(exchange, 400, "ValidationException", "The provided model identifier is invalid.");
      // Echo the presented credential, as some services do, so tests prove it goes no further.
      case UNAUTHORIZED ->
          error(
              exchange,
              401,
              "UnrecognizedClientException",
              "The security token included in the request is invalid: " + credential(request));
      case FORBIDDEN ->
          error(
              exchange,
              403,
              "AccessDeniedException",
              "You don't have access to the model with the specified model ID. Presented "
                  + credential(request));
      case MALFORMED_BODY -> {
        if (stream) {
          // A frame whose checksums do not match its bytes.
          byte[] frame = EventStreamFrames.event("messageStart", "{\"role\":\"assistant\"}");
          frame[frame.length - 1] ^= 0x5A;
          exchange.startStream(200, EVENT_STREAM, Map.of()).write(frame).finish();
        } else {
          exchange.sendJson(
              200, "{\"output\":{\"message\":{\"role\":\"assistant\",\"content\":[{\"te");
        }
      }
      case STREAM_CUT -> {
        if (stream) {
          streamReply(request, exchange, true);
        } else {
          byte[] body = converseReply(request).getBytes(StandardCharsets.UTF_8);
          exchange.sendTruncated(
              200, "application/json", Map.of(), Arrays.copyOf(body, 20), body.length);
        }
      }
      case HANG -> throw new IllegalStateException("FakeProviderServer handles HANG itself");
    }
  }

  private String converseReply(RecordedRequest request) {
    ObjectNode reply = JSON.createObjectNode();
    ObjectNode message = reply.putObject("output").putObject("message");
    message.put("role", "assistant");
    message.putArray("content").addObject().put("text", FakeReplies.SUCCESS_TEXT);
    reply.put("stopReason", stopReason);
    usage(reply, request);
    reply.putObject("metrics").put("latencyMs", 42);
    return reply.toString();
  }

  private void streamReply(RecordedRequest request, FakeExchange exchange, boolean cut)
      throws IOException {
    FakeStream stream = exchange.startStream(200, EVENT_STREAM, Map.of());
    stream.write(EventStreamFrames.event("messageStart", "{\"role\":\"assistant\"}"));
    // Text blocks get no contentBlockStart (only tool use does), as with Bedrock itself.
    String exceptionType = streamExceptionType;
    List<String> chunks = FakeReplies.STREAM_CHUNKS;
    for (int i = 0; i < chunks.size(); i++) {
      if ((cut || exceptionType != null) && i == 2) {
        break;
      }
      ObjectNode delta = JSON.createObjectNode().put("contentBlockIndex", 0);
      delta.putObject("delta").put("text", chunks.get(i));
      stream.write(EventStreamFrames.event("contentBlockDelta", delta.toString()));
    }
    if (cut) {
      stream.cut();
    }
    if (exceptionType != null) {
      stream.write(
          EventStreamFrames.exception(
              exceptionType, "{\"message\":\"The stream failed: " + exceptionType + "\"}"));
      stream.finish();
      return;
    }
    stream.write(EventStreamFrames.event("contentBlockStop", "{\"contentBlockIndex\":0}"));
    stream.write(
        EventStreamFrames.event(
            "messageStop", JSON.createObjectNode().put("stopReason", stopReason).toString()));
    ObjectNode metadata = JSON.createObjectNode();
    usage(metadata, request);
    metadata.putObject("metrics").put("latencyMs", 42);
    stream.write(EventStreamFrames.event("metadata", metadata.toString()));
    stream.finish();
  }

  /**
   * {@link #chatUsage()} as Bedrock reports it: {@code inputTokens} is only the uncached rest, the
   * cache reads and writes come apart, and {@code cacheDetails} splits the writes by lifetime.
   * Bedrock has no reasoning count (reasoning is in {@code outputTokens}), so none is sent. When a
   * service tier was asked for, the reply names it, as Bedrock's {@code serviceTier} does.
   */
  private void usage(ObjectNode parent, RecordedRequest request) {
    TokenUsage usage = chatUsage();
    ObjectNode node =
        parent
            .putObject("usage")
            .put("inputTokens", usage.uncachedInputTokens())
            .put("outputTokens", usage.outputTokens())
            .put("totalTokens", usage.total());
    if (usage.cacheReadInputTokens() > 0 || usage.cacheWriteInputTokens() > 0) {
      node.put("cacheReadInputTokens", usage.cacheReadInputTokens());
      node.put("cacheWriteInputTokens", usage.cacheWriteInputTokens());
      ArrayNode details = node.putArray("cacheDetails");
      long fiveMinutes = usage.cacheWriteInputTokens() - usage.cacheWrite1hInputTokens();
      if (fiveMinutes > 0) {
        details.addObject().put("ttl", "5m").put("inputTokens", fiveMinutes);
      }
      if (usage.cacheWrite1hInputTokens() > 0) {
        details.addObject().put("ttl", "1h").put("inputTokens", usage.cacheWrite1hInputTokens());
      }
    }
    String tier = requestedTier(request);
    if (tier != null) {
      parent.putObject("serviceTier").put("type", tier);
    }
  }

  /** The {@code serviceTier.type} the request asked for, or {@code null}. */
  private static String requestedTier(RecordedRequest request) {
    try {
      JsonNode type = JSON.readTree(request.body()).path("serviceTier").path("type");
      return type.isTextual() ? type.asText() : null;
    } catch (IOException e) {
      return null;
    }
  }

  private void invokeReply(String model, RecordedRequest request, FakeExchange exchange)
      throws IOException {
    JsonNode body = JSON.readTree(request.body());
    if (model.contains("titan-embed")) {
      String text = body.path("inputText").asText();
      ObjectNode reply = JSON.createObjectNode();
      ArrayNode vector = reply.putArray("embedding");
      titanEmbedding(text).forEach(vector::add);
      reply.put("inputTextTokenCount", titanTokens(text));
      exchange.sendJson(200, reply.toString());
    } else if (model.contains("cohere.embed")) {
      JsonNode texts = body.path("texts");
      ObjectNode reply = JSON.createObjectNode().put("id", "fake-embedding");
      ArrayNode embeddings = reply.putArray("embeddings");
      for (int i = 0; i < texts.size(); i++) {
        ArrayNode vector = embeddings.addArray();
        FakeReplies.embedding(i).forEach(vector::add);
      }
      reply.put("response_type", "embeddings_floats");
      reply.set("texts", texts);
      exchange.sendJson(
          200,
          Map.of(
              EmbeddingFamily.INPUT_TOKEN_HEADER,
              String.valueOf(FakeReplies.EMBEDDING_INPUT_TOKENS)),
          reply.toString());
    } else {
      error(exchange, 400, "ValidationException", "The provided model doesn't support this body.");
    }
  }

  private void error(FakeExchange exchange, int status, String code, String message)
      throws IOException {
    error(exchange, status, code, message, retryAfter);
  }

  private void error(
      FakeExchange exchange, int status, String code, String message, String retryAfter)
      throws IOException {
    Map<String, String> headers = new HashMap<>();
    // As Bedrock sends it: the code, then the (internal) namespace of the shape.
    headers.put("x-amzn-ErrorType", code + ":http://internal.amazon.com/coral/com.amazon.bedrock/");
    headers.put("x-amzn-RequestId", "00000000-0000-0000-0000-000000000000");
    if (retryAfter != null) {
      headers.put("Retry-After", retryAfter);
    }
    exchange.sendJson(status, headers, JSON.createObjectNode().put("message", message).toString());
  }

  /** The presented key without its scheme word, which generic redaction would catch anyway. */
  private static String credential(RecordedRequest request) {
    String authorization = request.header("Authorization");
    if (authorization == null) {
      return "(none)";
    }
    int space = authorization.indexOf(' ');
    return space < 0 ? authorization : authorization.substring(space + 1);
  }
}
