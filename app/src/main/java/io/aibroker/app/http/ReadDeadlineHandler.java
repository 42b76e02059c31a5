package io.aibroker.app.http;

import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.eclipse.jetty.http.BadMessageException;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpStatus;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.NanoTime;
import org.eclipse.jetty.util.thread.Scheduler;

/**
 * Gives every request {@code http.read-timeout-ms} to arrive, headers and body, counted from its
 * first byte. The connector's idle timeout (the same value) only cuts off a client that stops
 * sending; one that trickles a byte now and then would hold a connection and a handler forever.
 * When the deadline passes before the body's last byte, reading the body fails with 408.
 *
 * <p>Once the request has arrived, a silent connection is no longer the caller's doing: the server
 * is working out the answer (an API call waits up to 120 s for its result). So while no read or
 * write is pending, the connector's idle timeout is ignored; pending reads and writes still time
 * out, which is how a caller that stops reading a stream is found.
 */
final class ReadDeadlineHandler extends Handler.Wrapper {

  private final Duration readTimeout;

  ReadDeadlineHandler(Duration readTimeout, Handler next) {
    super(next);
    this.readTimeout = readTimeout;
  }

  @Override
  public boolean handle(Request request, Response response, Callback callback) throws Exception {
    request.addIdleTimeoutListener(timeout -> false);
    long left = readTimeout.toNanos() - NanoTime.since(request.getBeginNanoTime());
    if (left <= 0) {
      Response.writeError(
          request, response, callback, HttpStatus.REQUEST_TIMEOUT_408, timedOutMessage());
      return true;
    }
    if (!hasBody(request)) {
      return super.handle(request, response, callback);
    }
    var timed = new DeadlineRequest(request);
    Scheduler.Task deadline =
        request.getComponents().getScheduler().schedule(timed::expire, left, TimeUnit.NANOSECONDS);
    Request.addCompletionListener(request, failure -> deadline.cancel());
    timed.deadline = deadline;
    return super.handle(timed, response, callback);
  }

  private static boolean hasBody(Request request) {
    return request.getHeaders().contains(HttpHeader.TRANSFER_ENCODING)
        || request.getHeaders().getLongField(HttpHeader.CONTENT_LENGTH) > 0;
  }

  private String timedOutMessage() {
    return "The request did not arrive within " + readTimeout.toMillis() + " ms.";
  }

  /** A request whose body fails to read once the deadline passed before its end. */
  private final class DeadlineRequest extends Request.Wrapper {
    private volatile boolean arrived;
    private volatile Scheduler.Task deadline;

    DeadlineRequest(Request request) {
      super(request);
    }

    @Override
    public Content.Chunk read() {
      Content.Chunk chunk = super.read();
      if (chunk != null && chunk.isLast() && !Content.Chunk.isFailure(chunk)) {
        arrived = true;
        Scheduler.Task task = deadline;
        if (task != null) {
          task.cancel();
        }
      }
      return chunk;
    }

    void expire() {
      if (!arrived) {
        fail(new BadMessageException(HttpStatus.REQUEST_TIMEOUT_408, timedOutMessage()));
      }
    }
  }
}
