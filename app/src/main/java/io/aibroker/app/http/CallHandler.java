package io.aibroker.app.http;

import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

/**
 * A handler written as plain blocking code against one {@link HttpCall}: Jetty runs it on a virtual
 * thread, so waiting for a result or writing a stream costs no platform thread. It must answer the
 * call exactly once; if it throws before answering, the server answers 500.
 */
public abstract class CallHandler extends Handler.Abstract {

  /** What a handler does with a call. */
  @FunctionalInterface
  public interface Body {
    /** Answers the call. */
    void handle(HttpCall call) throws Exception;
  }

  /** A handler doing {@code body}. */
  public static CallHandler of(Body body) {
    return new CallHandler() {
      @Override
      protected void handle(HttpCall call) throws Exception {
        body.handle(call);
      }
    };
  }

  @Override
  public final boolean handle(Request request, Response response, Callback callback)
      throws Exception {
    handle(new HttpCall(request, response, callback));
    return true;
  }

  /** Answers the call. */
  protected abstract void handle(HttpCall call) throws Exception;
}
