package io.aibroker.app.http;

import java.time.Duration;
import org.eclipse.jetty.http.BadMessageException;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpStatus;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.NanoTime;

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
    if (NanoTime.since(request.getBeginNanoTime()) >= readTimeout.toNanos()) {
      Response.writeError(
          request, response, callback, HttpStatus.REQUEST_TIMEOUT_408, timedOutMessage());
      return true;
    }
    if (!hasBody(request)) {
      return super.handle(request, response, callback);
    }
    return super.handle(new DeadlineRequest(request), response, callback);
  }

  private static boolean hasBody(Request request) {
    return request.getHeaders().contains(HttpHeader.TRANSFER_ENCODING)
        || request.getHeaders().getLongField(HttpHeader.CONTENT_LENGTH) > 0;
  }

  private String timedOutMessage() {
    return "The request did not arrive within " + readTimeout.toMillis() + " ms.";
  }

  /**
   * A request whose body fails to read once the deadline passed before its end. The check is made
   * by the reading thread itself, on each read: failing the request from a timer thread while the
   * handler reads races with Jetty's parser (seen as a NullPointerException inside Jetty and a 500
   * instead of the 408). A trickling client wakes the reader with every byte, so it is cut off at
   * the first read after the deadline; a client that stops sending leaves a read pending, which the
   * connector's idle timeout ends.
   */
  private final class DeadlineRequest extends Request.Wrapper {
    private boolean arrived;

    DeadlineRequest(Request request) {
      super(request);
    }

    @Override
    public Content.Chunk read() {
      if (!arrived && NanoTime.since(getBeginNanoTime()) >= readTimeout.toNanos()) {
        return Content.Chunk.from(
            new BadMessageException(HttpStatus.REQUEST_TIMEOUT_408, timedOutMessage()), true);
      }
      Content.Chunk chunk = super.read();
      if (chunk != null && chunk.isLast() && !Content.Chunk.isFailure(chunk)) {
        arrived = true;
      }
      return chunk;
    }
  }
}
