package io.aibroker.app.http;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpMethod;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

/**
 * One request being answered by a blocking handler (they run on virtual threads): what was asked,
 * and the one answer, which completes the call. Either {@link #send} the whole response, or {@link
 * #stream} it and then {@link #finish} (or {@link #fail}).
 *
 * @param request the request
 * @param response its response
 * @param callback completed once the response is done
 */
public record HttpCall(Request request, Response response, Callback callback) {

  /** The request method. */
  public String method() {
    return request.getMethod();
  }

  /** The request path, the context's included, not decoded. */
  public String path() {
    return request.getHttpURI().getPath();
  }

  /** The request path, the context's included, percent-decoded. */
  public String decodedPath() {
    return request.getHttpURI().getDecodedPath();
  }

  /** The raw query string, or null. */
  public String query() {
    return request.getHttpURI().getQuery();
  }

  /** The first value of a request header, or null. */
  public String header(String name) {
    return request.getHeaders().get(name);
  }

  /** The request body, read as it arrives. */
  public InputStream body() {
    return Content.Source.asInputStream(request);
  }

  /** Sets a response header, replacing any of that name. */
  public HttpCall header(String name, String value) {
    response.getHeaders().put(name, value);
    return this;
  }

  /** Answers with the whole body at once (its length as Content-Length) and completes the call. */
  public void send(int status, String contentType, byte[] body) {
    response.setStatus(status);
    response.getHeaders().put(HttpHeader.CONTENT_TYPE, contentType);
    if (HttpMethod.HEAD.is(request.getMethod())) {
      response.getHeaders().put(HttpHeader.CONTENT_LENGTH, body.length);
      response.write(true, null, callback);
    } else {
      response.write(true, ByteBuffer.wrap(body), callback);
    }
  }

  /** Answers with a UTF-8 text body; see {@link #send(int, String, byte[])}. */
  public void send(int status, String contentType, String body) {
    send(status, contentType, body.getBytes(StandardCharsets.UTF_8));
  }

  /** Answers with no body and completes the call. */
  public void sendEmpty(int status) {
    response.setStatus(status);
    response.write(true, null, callback);
  }

  /**
   * Starts a response whose length is not known: every write to the stream goes out at once
   * (chunked). A write failing with an IOException means the client went away.
   */
  public OutputStream stream(int status, String contentType) {
    response.setStatus(status);
    response.getHeaders().put(HttpHeader.CONTENT_TYPE, contentType);
    return Content.Sink.asOutputStream(response);
  }

  /** Ends a streamed response: closes the stream and completes the call. */
  public void finish(OutputStream stream) {
    try {
      stream.close();
      callback.succeeded();
    } catch (IOException | RuntimeException e) {
      callback.failed(e);
    }
  }

  /** Completes the call as failed (the client went away, or nothing can be answered). */
  public void fail(Throwable failure) {
    callback.failed(failure);
  }
}
