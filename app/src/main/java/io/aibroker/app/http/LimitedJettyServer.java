package io.aibroker.app.http;

import java.io.IOException;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.NetworkConnectionLimit;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.handler.ContextHandler;
import org.eclipse.jetty.server.handler.ContextHandlerCollection;
import org.eclipse.jetty.server.handler.SizeLimitHandler;
import org.eclipse.jetty.util.VirtualThreads;
import org.eclipse.jetty.util.thread.QueuedThreadPool;

/**
 * A Jetty server that serves handlers by path prefix within {@link HttpLimits}:
 *
 * <ul>
 *   <li>bodies over {@code maxBodyBytes} get 413 unread ({@link SizeLimitHandler}: a declared
 *       Content-Length at once, a chunked body at the limit);
 *   <li>at most {@code maxConcurrentRequests} requests at once, the next ones 503 with Retry-After
 *       ({@link ConcurrencyLimitHandler});
 *   <li>a request must arrive within {@code readTimeout} ({@link ReadDeadlineHandler}), and a
 *       connection silent that long while a request is read or between requests is closed (the
 *       connector's idle timeout);
 *   <li>at most {@link #maxConnections} connections at once; further ones wait in the backlog.
 * </ul>
 *
 * <p>Handlers run on virtual threads (blocking is cheap there); Jetty's own selector work stays on
 * a small pool of platform threads. Errors the server answers itself are OpenAI-shaped JSON ({@link
 * JsonErrorHandler}).
 */
final class LimitedJettyServer {

  private final Server server;
  private final ServerConnector connector;
  private final ContextHandlerCollection routes = new ContextHandlerCollection();

  LimitedJettyServer(String host, int port, HttpLimits limits) {
    QueuedThreadPool threads = new QueuedThreadPool();
    threads.setName("aibroker-http");
    threads.setVirtualThreadsExecutor(VirtualThreads.getNamedVirtualThreadsExecutor("http-"));
    server = new Server(threads);

    HttpConfiguration http = new HttpConfiguration();
    http.setSendServerVersion(false);
    http.setSendXPoweredBy(false);
    connector = new ServerConnector(server, new HttpConnectionFactory(http));
    connector.setHost(host);
    connector.setPort(port);
    connector.setIdleTimeout(limits.readTimeout().toMillis());
    server.addConnector(connector);
    server.addBean(new NetworkConnectionLimit(maxConnections(limits), connector));

    server.setErrorHandler(new JsonErrorHandler());
    SizeLimitHandler bodyLimit = new SizeLimitHandler(limits.maxBodyBytes(), -1);
    bodyLimit.setHandler(
        new ConcurrencyLimitHandler(
            limits.maxConcurrentRequests(), new ReadDeadlineHandler(limits.readTimeout(), routes)));
    server.setHandler(bodyLimit);
  }

  /**
   * Connections open at once: enough for every request in flight plus idle keep-alive ones, but
   * bounded, since each holds a socket (file descriptors are shared with the Kafka clients).
   */
  static int maxConnections(HttpLimits limits) {
    return Math.max(1024, 4 * limits.maxConcurrentRequests());
  }

  /**
   * Serves {@code path} and everything below it with the handler (the longest matching path wins),
   * also once the server is running.
   */
  void route(String path, Handler handler) {
    ContextHandler context = new ContextHandler(handler, path);
    // "/dashboard" is served as it is, not redirected to "/dashboard/".
    context.setAllowNullPathInContext(true);
    routes.addHandler(context);
    if (routes.isStarted()) {
      try {
        context.start();
      } catch (Exception e) {
        throw new IllegalStateException("cannot start the handler of " + path, e);
      }
    }
  }

  void start() throws IOException {
    try {
      server.start();
    } catch (IOException e) {
      throw e;
    } catch (Exception e) {
      throw new IOException("cannot start the HTTP server on " + connector, e);
    }
  }

  /** The bound port (once started). */
  int port() {
    return connector.getLocalPort();
  }

  void stop() {
    try {
      server.stop();
    } catch (Exception e) {
      throw new IllegalStateException("cannot stop the HTTP server", e);
    }
  }
}
