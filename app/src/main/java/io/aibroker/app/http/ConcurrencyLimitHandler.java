package io.aibroker.app.http;

import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.handler.QoSHandler;
import org.eclipse.jetty.util.Callback;

/**
 * Handles at most {@code http.max-concurrent-requests} requests at once and turns the next ones
 * away at once with 503 and {@code Retry-After}, rather than queueing them: a caller that floods
 * the server gets errors quickly instead of making every other tenant wait behind it. {@code
 * /health} and {@code /metrics} are not counted, so an overloaded server can still be watched.
 */
final class ConcurrencyLimitHandler extends QoSHandler {

  /** Paths answered whatever the load: they are cheap, and monitoring needs them most then. */
  static final String[] UNLIMITED_PATHS = {"/health", "/metrics"};

  ConcurrencyLimitHandler(int maxConcurrentRequests, Handler next) {
    super(next);
    setMaxRequestCount(maxConcurrentRequests);
    // No waiting room: a request over the limit is answered 503 at once.
    setMaxSuspendedRequestCount(0);
    excludePath(UNLIMITED_PATHS);
  }

  @Override
  protected void reject(Request request, Response response, Callback callback, int status) {
    response
        .getHeaders()
        .put(HttpHeader.RETRY_AFTER, Long.toString(HttpLimits.RETRY_AFTER_SECONDS));
    super.reject(request, response, callback, status);
  }
}
