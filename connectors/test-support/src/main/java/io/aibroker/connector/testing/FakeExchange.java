package io.aibroker.connector.testing;

import com.sun.net.httpserver.HttpExchange;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;

/** The response side of one request to a {@link FakeProviderServer}. Answer exactly once. */
public final class FakeExchange {

  private final HttpExchange exchange;
  private final FakeProviderServer.CutStyle cutStyle;
  private final Duration scheduledRetryAfter;

  FakeExchange(
      HttpExchange exchange, FakeProviderServer.CutStyle cutStyle, Duration scheduledRetryAfter) {
    this.exchange = exchange;
    this.cutStyle = cutStyle;
    this.scheduledRetryAfter = scheduledRetryAfter;
  }

  /**
   * The retry hint to send with a {@link FakeScenario#RATE_LIMITED} answer: the one of the {@link
   * FaultWindow} this request fell into, else {@link FakeReplies#RETRY_AFTER}.
   */
  public Duration retryAfter() {
    return scheduledRetryAfter != null ? scheduledRetryAfter : FakeReplies.RETRY_AFTER;
  }

  /**
   * The retry hint of the {@link FaultWindow} this request fell into, if it names one; providers
   * that send no hint by default (Bedrock) send one only then.
   */
  public Optional<Duration> scheduledRetryAfter() {
    return Optional.ofNullable(scheduledRetryAfter);
  }

  /** Sends a complete response with a {@code Content-Length}. */
  public void send(int status, String contentType, Map<String, String> headers, byte[] body)
      throws IOException {
    addHeaders(contentType, headers);
    exchange.sendResponseHeaders(status, body.length == 0 ? -1 : body.length);
    try (OutputStream out = exchange.getResponseBody()) {
      out.write(body);
    }
  }

  /** Sends a complete JSON response. */
  public void sendJson(int status, Map<String, String> headers, String json) throws IOException {
    send(status, "application/json", headers, json.getBytes(StandardCharsets.UTF_8));
  }

  /** Sends a complete JSON response without extra headers. */
  public void sendJson(int status, String json) throws IOException {
    sendJson(status, Map.of(), json);
  }

  /** Starts a chunked response; write the events to the returned stream. */
  public FakeStream startStream(int status, String contentType, Map<String, String> headers)
      throws IOException {
    addHeaders(contentType, headers);
    exchange.sendResponseHeaders(status, 0);
    return new FakeStream(exchange.getResponseBody(), cutStyle);
  }

  /**
   * Sends the status and headers, promises {@code declaredLength} bytes, writes fewer and drops the
   * connection: a body cut in transit.
   */
  public void sendTruncated(
      int status, String contentType, Map<String, String> headers, byte[] partial, int declared)
      throws IOException {
    if (declared <= partial.length) {
      throw new IllegalArgumentException("declared length must exceed the partial body");
    }
    addHeaders(contentType, headers);
    exchange.sendResponseHeaders(status, declared);
    OutputStream out = exchange.getResponseBody();
    out.write(partial);
    out.flush();
    throw new FakeStream.ConnectionCut();
  }

  private void addHeaders(String contentType, Map<String, String> headers) {
    if (contentType != null) {
      exchange.getResponseHeaders().set("Content-Type", contentType);
    }
    headers.forEach((name, value) -> exchange.getResponseHeaders().add(name, value));
  }
}
