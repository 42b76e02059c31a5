package io.aibroker.app.http;

import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpStatus;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

/**
 * Lets through only requests that carry an admin key ({@link AdminKeys}); the others get 401 with
 * two challenges: {@code Bearer} for scrapers and scripts, and {@code Basic} so that a browser asks
 * for the key (as the password) and then sends it with every request of the dashboard page.
 */
final class AdminOnly extends Handler.Wrapper {

  /** The protection space named in the challenges. */
  static final String REALM = "aibroker admin";

  private final AdminKeys keys;

  AdminOnly(AdminKeys keys, Handler next) {
    super(next);
    this.keys = keys;
  }

  @Override
  public boolean handle(Request request, Response response, Callback callback) throws Exception {
    if (keys.admits(request.getHeaders().get(HttpHeader.AUTHORIZATION))) {
      return super.handle(request, response, callback);
    }
    // Browsers skip the Bearer challenge they cannot answer and prompt for the Basic one.
    response.getHeaders().add(HttpHeader.WWW_AUTHENTICATE, "Bearer realm=\"" + REALM + "\"");
    response
        .getHeaders()
        .add(HttpHeader.WWW_AUTHENTICATE, "Basic realm=\"" + REALM + "\", charset=\"UTF-8\"");
    Response.writeError(request, response, callback, HttpStatus.UNAUTHORIZED_401);
    return true;
  }
}
