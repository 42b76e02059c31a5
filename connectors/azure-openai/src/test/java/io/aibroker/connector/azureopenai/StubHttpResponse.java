package io.aibroker.connector.azureopenai;

import com.azure.core.http.HttpHeaderName;
import com.azure.core.http.HttpHeaders;
import com.azure.core.http.HttpMethod;
import com.azure.core.http.HttpRequest;
import com.azure.core.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/** A canned SDK response, to build the exceptions the SDK throws without a server. */
final class StubHttpResponse extends HttpResponse {

  private final int status;
  private final HttpHeaders headers = new HttpHeaders();
  private final String body;

  StubHttpResponse(int status, Map<String, String> headers, String body) {
    super(
        new HttpRequest(
            HttpMethod.POST,
            "https://example.openai.azure.com/openai/deployments/d/chat/completions"));
    this.status = status;
    headers.forEach((name, value) -> this.headers.set(HttpHeaderName.fromString(name), value));
    this.body = body;
  }

  StubHttpResponse(int status, String body) {
    this(status, Map.of(), body);
  }

  String body() {
    return body;
  }

  @Override
  public int getStatusCode() {
    return status;
  }

  @Override
  @SuppressWarnings("deprecation")
  public String getHeaderValue(String name) {
    return headers.getValue(HttpHeaderName.fromString(name));
  }

  @Override
  public HttpHeaders getHeaders() {
    return headers;
  }

  @Override
  public Flux<ByteBuffer> getBody() {
    return Flux.just(ByteBuffer.wrap(body.getBytes(StandardCharsets.UTF_8)));
  }

  @Override
  public Mono<byte[]> getBodyAsByteArray() {
    return Mono.just(body.getBytes(StandardCharsets.UTF_8));
  }

  @Override
  public Mono<String> getBodyAsString() {
    return Mono.just(body);
  }

  @Override
  public Mono<String> getBodyAsString(Charset charset) {
    return Mono.just(body);
  }
}
