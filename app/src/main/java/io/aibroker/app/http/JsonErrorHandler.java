package io.aibroker.app.http;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.ByteBuffer;
import org.eclipse.jetty.http.HttpFields;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpStatus;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.handler.ErrorHandler;
import org.eclipse.jetty.util.Callback;

/**
 * Renders the errors the server itself answers (a body over the size limit, too many requests at
 * once, a request that arrives too slowly, a missing admin key, a malformed request) in the same
 * OpenAI shape as the API's own errors: {@code {"error": {"message", "type", "code", "param"}}}, so
 * an OpenAI SDK raises them like any other. Server errors never show their cause.
 */
final class JsonErrorHandler extends ErrorHandler {

  private static final ObjectMapper JSON = new ObjectMapper();

  @Override
  protected void generateResponse(
      Request request,
      Response response,
      int status,
      String message,
      Throwable cause,
      Callback callback)
      throws IOException {
    response.getHeaders().put(HttpHeader.CONTENT_TYPE, "application/json");
    response.write(true, ByteBuffer.wrap(body(status, message)), callback);
  }

  @Override
  public ByteBuffer badMessageError(int status, String reason, HttpFields.Mutable fields) {
    // A request the parser rejected before any handler saw it (bad request line, headers too
    // large ...).
    if (HttpStatus.hasNoBody(status)) {
      return ByteBuffer.allocate(0);
    }
    fields.put(HttpHeader.CONTENT_TYPE, "application/json");
    try {
      return ByteBuffer.wrap(body(status, reason));
    } catch (IOException e) {
      return ByteBuffer.allocate(0);
    }
  }

  /** The OpenAI-shaped body of an error the server answers with {@code status}. */
  static byte[] body(int status, String message) throws IOException {
    String text =
        status >= 500 || status == 401 || message == null || message.isBlank()
            ? defaultMessage(status)
            : message;
    return JSON.writeValueAsBytes(
        OpenAiErrors.body(
            status >= 500 ? "server_error" : "invalid_request_error", code(status), text));
  }

  /** The error code of a status, in OpenAI's lower-case style. */
  static String code(int status) {
    return switch (status) {
      case 400 -> "invalid_request";
      case 401 -> "unauthorized";
      case 403 -> "forbidden";
      case 404 -> "unknown_url";
      case 405 -> "method_not_allowed";
      case 408 -> "request_timeout";
      case 413 -> "request_too_large";
      case 414 -> "uri_too_long";
      case 431 -> "headers_too_large";
      case 503 -> "server_busy";
      default -> status >= 500 ? "server_error" : "http_" + status;
    };
  }

  private static String defaultMessage(int status) {
    return switch (status) {
      case 401 -> "An admin key is required (Authorization: Bearer <admin key>).";
      case 503 -> "The server is handling as many requests as it may; retry shortly.";
      default -> HttpStatus.getMessage(status);
    };
  }
}
