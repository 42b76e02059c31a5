package io.aibroker.app.http;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.function.BooleanSupplier;

/**
 * The app's HTTP endpoint: {@code GET /health} (200 when every component is ready, else 503, with a
 * JSON body naming each component's state) and {@code GET /metrics} (Prometheus text format).
 */
public final class HttpEndpoint implements AutoCloseable {

  private final HttpServer server;
  private final Map<String, BooleanSupplier> checks = new LinkedHashMap<>();

  /**
   * Binds the endpoint (it serves once {@link #start()} is called).
   *
   * @param host address to bind, 127.0.0.1 unless exposure is wanted
   * @param port port, 0 for any free one
   * @param metrics the registry {@code /metrics} renders
   */
  public HttpEndpoint(String host, int port, PrometheusMeterRegistry metrics) throws IOException {
    server = HttpServer.create(new InetSocketAddress(host, port), 0);
    server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
    server.createContext("/health", this::health);
    server.createContext(
        "/metrics",
        exchange ->
            respond(exchange, 200, "text/plain; version=0.0.4; charset=utf-8", metrics.scrape()));
  }

  /** Adds a readiness check reported under {@code name}. */
  public synchronized void addCheck(String name, BooleanSupplier ready) {
    checks.put(name, ready);
  }

  /** Serves {@code path} and everything below it with the given handler. */
  public void addHandler(String path, com.sun.net.httpserver.HttpHandler handler) {
    server.createContext(path, handler);
  }

  /** Starts serving. */
  public void start() {
    server.start();
  }

  /** The bound port. */
  public int port() {
    return server.getAddress().getPort();
  }

  private void health(HttpExchange exchange) throws IOException {
    StringBuilder body = new StringBuilder("{\"components\":{");
    boolean up = true;
    synchronized (this) {
      String separator = "";
      for (var check : checks.entrySet()) {
        boolean ready = safely(check.getValue());
        up &= ready;
        body.append(separator)
            .append('"')
            .append(check.getKey())
            .append("\":\"")
            .append(ready ? "UP" : "DOWN")
            .append('"');
        separator = ",";
      }
      up &= !checks.isEmpty();
    }
    body.append("},\"status\":\"").append(up ? "UP" : "DOWN").append("\"}");
    respond(exchange, up ? 200 : 503, "application/json", body.toString());
  }

  private static boolean safely(BooleanSupplier check) {
    try {
      return check.getAsBoolean();
    } catch (RuntimeException e) {
      return false;
    }
  }

  private static void respond(HttpExchange exchange, int status, String type, String body)
      throws IOException {
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    exchange.getResponseHeaders().set("Content-Type", type);
    exchange.sendResponseHeaders(status, bytes.length);
    try (OutputStream out = exchange.getResponseBody()) {
      out.write(bytes);
    }
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
