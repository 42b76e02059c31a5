package io.aibroker.app.http;

import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.BooleanSupplier;
import org.eclipse.jetty.server.Handler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The app's HTTP endpoint: {@code GET /health/live} (200 while the process answers), {@code GET
 * /health} (readiness: 200 when every component is ready, else 503, with a JSON body naming each
 * component's state; always open), {@code GET /metrics} (Prometheus text format; needs an admin key
 * when admin keys are configured, unless public) and the handlers added to it, all served within
 * {@link HttpLimits} (see {@link LimitedJettyServer}).
 */
public final class HttpEndpoint implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(HttpEndpoint.class);

  private final String host;
  private final LimitedJettyServer server;
  private final AdminKeys adminKeys;
  private final Map<String, BooleanSupplier> checks = new LinkedHashMap<>();

  /**
   * Binds the endpoint (it serves once {@link #start()} is called).
   *
   * @param host address to bind, 127.0.0.1 unless exposure is wanted
   * @param port port, 0 for any free one
   * @param limits what one caller may take of the server
   * @param adminKeys the keys admin views need; none configured, they are open
   * @param metricsPublic serve {@code /metrics} without an admin key even if admin keys are set
   * @param metrics the registry {@code /metrics} renders
   */
  public HttpEndpoint(
      String host,
      int port,
      HttpLimits limits,
      AdminKeys adminKeys,
      boolean metricsPublic,
      PrometheusMeterRegistry metrics) {
    this.host = host;
    this.server = new LimitedJettyServer(host, port, limits);
    this.adminKeys = adminKeys;
    server.route("/health", CallHandler.of(this::health));
    Handler scrape =
        CallHandler.of(
            call -> call.send(200, "text/plain; version=0.0.4; charset=utf-8", metrics.scrape()));
    if (metricsPublic) {
      addHandler("/metrics", scrape);
    } else {
      addAdminHandler("/metrics", scrape);
    }
  }

  /** Adds a readiness check reported under {@code name}. */
  public synchronized void addCheck(String name, BooleanSupplier ready) {
    checks.put(name, ready);
  }

  /** Serves {@code path} and everything below it with the given handler, to anyone. */
  public void addHandler(String path, Handler handler) {
    server.route(path, handler);
  }

  /**
   * Serves {@code path} and everything below it with the given handler, only to callers with an
   * admin key when admin keys are configured: for what shows every tenant at once.
   */
  public void addAdminHandler(String path, Handler handler) {
    server.route(path, adminKeys.configured() ? new AdminOnly(adminKeys, handler) : handler);
  }

  /** Starts serving; warns when the port is reachable from other hosts and nothing needs a key. */
  public void start() throws IOException {
    server.start();
    if (!adminKeys.configured() && !isLoopback(host)) {
      LOG.warn(
          "the HTTP endpoint listens on {}:{} without admin keys: /dashboard and /metrics show"
              + " every tenant's names and spend to anyone who reaches the port; set"
              + " http.admin-keys (and bind 127.0.0.1 unless exposure is wanted)",
          host,
          port());
    }
  }

  /** The bound port. */
  public int port() {
    return server.port();
  }

  static boolean isLoopback(String host) {
    try {
      return InetAddress.getByName(host).isLoopbackAddress();
    } catch (UnknownHostException e) {
      return false;
    }
  }

  private void health(HttpCall call) {
    if (call.path().endsWith("/live")) {
      // Liveness: the process answers. Readiness (below) also needs every component serving.
      call.send(200, "application/json", "{\"status\":\"UP\"}");
      return;
    }
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
    call.send(up ? 200 : 503, "application/json", body.toString());
  }

  private static boolean safely(BooleanSupplier check) {
    try {
      return check.getAsBoolean();
    } catch (RuntimeException e) {
      return false;
    }
  }

  @Override
  public void close() {
    server.stop();
  }
}
