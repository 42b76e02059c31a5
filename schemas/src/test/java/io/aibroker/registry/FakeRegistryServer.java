package io.aibroker.registry;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A scripted HTTP server on 127.0.0.1 answering like a Confluent schema registry.
 *
 * <p>Answers are queued per {@code "METHOD /raw/path?query"}; the last queued answer repeats.
 * Unscripted requests get 404 with error code 40499.
 */
final class FakeRegistryServer implements AutoCloseable {

  /** One request as received. */
  record Request(
      String method, String rawPathAndQuery, Map<String, List<String>> headers, String body) {
    String header(String name) {
      return headers.entrySet().stream()
          .filter(e -> e.getKey().equalsIgnoreCase(name))
          .map(e -> String.join(",", e.getValue()))
          .findFirst()
          .orElse(null);
    }
  }

  private record Answer(int status, String body) {}

  private final HttpServer server;
  private final Map<String, Deque<Answer>> answers = new ConcurrentHashMap<>();
  private final List<Request> requests = new CopyOnWriteArrayList<>();
  private boolean closed;

  FakeRegistryServer() throws IOException {
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.createContext("/", this::handle);
    server.start();
  }

  URI url() {
    return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
  }

  /** Queues an answer for a request line such as {@code "GET /schemas/ids/1"}. */
  FakeRegistryServer answer(String methodAndPath, int status, String body) {
    answers.computeIfAbsent(methodAndPath, k -> new ArrayDeque<>()).add(new Answer(status, body));
    return this;
  }

  /** Queues a Confluent error answer. */
  FakeRegistryServer error(String methodAndPath, int status, int errorCode, String message) {
    return answer(
        methodAndPath,
        status,
        "{\"error_code\":" + errorCode + ",\"message\":\"" + message + "\"}");
  }

  List<Request> requests() {
    return List.copyOf(requests);
  }

  @Override
  public synchronized void close() {
    if (!closed) {
      closed = true;
      server.stop(0);
    }
  }

  private void handle(HttpExchange exchange) throws IOException {
    URI uri = exchange.getRequestURI();
    String target = uri.getRawPath() + (uri.getRawQuery() == null ? "" : "?" + uri.getRawQuery());
    String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
    requests.add(
        new Request(
            exchange.getRequestMethod(), target, Map.copyOf(exchange.getRequestHeaders()), body));
    Deque<Answer> queue = answers.get(exchange.getRequestMethod() + " " + target);
    Answer answer;
    if (queue == null) {
      answer = new Answer(404, "{\"error_code\":40499,\"message\":\"unscripted " + target + "\"}");
    } else {
      synchronized (queue) {
        answer = queue.size() > 1 ? queue.poll() : queue.peek();
      }
    }
    byte[] bytes = answer.body().getBytes(StandardCharsets.UTF_8);
    exchange.getResponseHeaders().add("Content-Type", "application/vnd.schemaregistry.v1+json");
    exchange.sendResponseHeaders(answer.status(), bytes.length == 0 ? -1 : bytes.length);
    try (OutputStream out = exchange.getResponseBody()) {
      out.write(bytes);
    }
  }
}
