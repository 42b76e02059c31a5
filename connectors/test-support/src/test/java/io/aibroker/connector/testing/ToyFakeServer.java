package io.aibroker.connector.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.aibroker.connector.TokenUsage;
import java.io.IOException;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;

/**
 * A made-up provider ("toy") that exercises every part of {@link FakeProviderServer}: {@code POST
 * /v1/chat} and {@code /v1/embed}, key in {@code x-key}, errors as {@code
 * {"error":{"code":..,"message":..}}}, streams as SSE ending in {@code data: [END]}.
 */
final class ToyFakeServer extends FakeProviderServer {

  private static final ObjectMapper JSON = new ObjectMapper();

  ToyFakeServer(boolean tls) throws IOException {
    super(tls);
  }

  @Override
  protected void respond(FakeScenario scenario, RecordedRequest request, FakeExchange exchange)
      throws IOException {
    JsonNode body = JSON.readTree(request.body());
    boolean streaming = body.path("stream").asBoolean(false);
    String key = String.valueOf(request.header("x-key"));
    switch (scenario) {
      case SUCCESS -> {
        if (request.path().equals("/v1/embed")) {
          List<List<Float>> vectors =
              IntStream.range(0, body.path("input").size())
                  .mapToObj(FakeReplies::embedding)
                  .toList();
          exchange.sendJson(
              200,
              JSON.writeValueAsString(
                  Map.of(
                      "vectors",
                      vectors,
                      "usage",
                      Map.of("in", FakeReplies.EMBEDDING_INPUT_TOKENS))));
        } else if (streaming) {
          FakeStream stream = exchange.startStream(200, "text/event-stream", Map.of());
          for (String chunk : FakeReplies.STREAM_CHUNKS) {
            stream.write("data: " + JSON.writeValueAsString(Map.of("delta", chunk)) + "\n\n");
          }
          stream.write("data: " + JSON.writeValueAsString(Map.of("usage", usage())) + "\n\n");
          stream.write("data: [END]\n\n");
          stream.finish();
        } else {
          exchange.sendJson(
              200,
              JSON.writeValueAsString(Map.of("text", FakeReplies.SUCCESS_TEXT, "usage", usage())));
        }
      }
      case RATE_LIMITED ->
          exchange.sendJson(
              429,
              Map.of("Retry-After", Long.toString(exchange.retryAfter().toSeconds())),
              error("slow_down", "too many requests"));
      case SERVER_ERROR -> exchange.sendJson(503, error("overloaded", "try later"));
      case BAD_REQUEST -> exchange.sendJson(400, error("invalid", "messages missing"));
      case UNAUTHORIZED -> exchange.sendJson(401, error("bad_key", "key " + key + " is invalid"));
      case FORBIDDEN -> exchange.sendJson(403, error("denied", "not allowed"));
      case MALFORMED_BODY -> exchange.sendJson(200, "{\"text\": \"Hel");
      case STREAM_CUT -> {
        if (streaming) {
          FakeStream stream = exchange.startStream(200, "text/event-stream", Map.of());
          stream.write("data: {\"delta\":\"Hello\"}\n\n");
          stream.write("data: {\"delta\":\" from\"}\n\n");
          stream.cut();
        } else {
          byte[] whole = utf8("{\"text\":\"" + FakeReplies.SUCCESS_TEXT + "\"}");
          exchange.sendTruncated(
              200, "application/json", Map.of(), Arrays.copyOf(whole, 5), whole.length);
        }
      }
      case HANG -> throw new AssertionError("handled by FakeProviderServer");
    }
  }

  private Map<String, Long> usage() {
    TokenUsage usage = chatUsage();
    return Map.of(
        "in",
        usage.inputTokens(),
        "out",
        usage.outputTokens(),
        "cr",
        usage.cacheReadInputTokens(),
        "cw",
        usage.cacheWriteInputTokens(),
        "cw1h",
        usage.cacheWrite1hInputTokens(),
        "rs",
        usage.reasoningTokens());
  }

  private static String error(String code, String message) throws IOException {
    return JSON.writeValueAsString(Map.of("error", Map.of("code", code, "message", message)));
  }
}
