package io.aibroker.registry;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.NullNode;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends JSON requests to the registry: content types, basic auth, failover between URLs, and
 * retries with exponential backoff and jitter.
 *
 * <p>One attempt tries the URLs in turn, starting with the last one that answered, until one
 * answers. An attempt that reaches no URL, or gets a 5xx answer, is retried after a backoff; a 4xx
 * answer is final.
 */
final class RegistryHttp implements AutoCloseable {

  static final String CONTENT_TYPE = "application/vnd.schemaregistry.v1+json";
  static final String ACCEPT =
      "application/vnd.schemaregistry.v1+json, application/vnd.schemaregistry+json,"
          + " application/json";

  private static final Logger LOG = LoggerFactory.getLogger(RegistryHttp.class);
  private static final Duration MAX_BACKOFF = Duration.ofSeconds(10);

  private final ObjectMapper json;
  private final List<URI> urls;
  private final Duration requestTimeout;
  private final int maxAttempts;
  private final Duration initialBackoff;
  private final String authorization;
  private final HttpClient client;
  private final AtomicInteger preferredUrl = new AtomicInteger();

  RegistryHttp(SchemaRegistryConfig config, ObjectMapper json) {
    this.json = json;
    this.urls = config.urls();
    this.requestTimeout = config.requestTimeout();
    this.maxAttempts = config.maxAttempts();
    this.initialBackoff = config.initialBackoff();
    this.authorization =
        config.basicAuthUserInfo() == null
            ? null
            : "Basic "
                + Base64.getEncoder()
                    .encodeToString(config.basicAuthUserInfo().getBytes(StandardCharsets.UTF_8));
    this.client =
        HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(requestTimeout)
            .followRedirects(HttpClient.Redirect.NEVER)
            .build();
  }

  /**
   * Sends a request and returns the parsed JSON answer.
   *
   * @param method HTTP method
   * @param path path below the base URL, already URL-encoded, starting with '/'
   * @param body JSON body or null
   * @param what the operation for error messages, naming subject or id
   */
  JsonNode send(String method, String path, JsonNode body, String what) {
    byte[] bodyBytes = body == null ? null : toBytes(body, what);
    for (int attempt = 1; ; attempt++) {
      try {
        HttpResponse<byte[]> response = sendToAnyUrl(method, path, bodyBytes);
        int status = response.statusCode();
        if (status >= 200 && status < 300) {
          return parse(response.body(), what);
        }
        SchemaRegistryException error =
            RegistryErrors.fromResponse(json, what, status, response.body());
        if (status < 500 || attempt >= maxAttempts) {
          throw error;
        }
        // Another instance may be healthy (50003 is "error forwarding to the leader").
        preferredUrl.incrementAndGet();
        LOG.debug("{} attempt {}/{}: {}", what, attempt, maxAttempts, error.getMessage());
      } catch (IOException e) {
        if (attempt >= maxAttempts) {
          throw new SchemaRegistryUnavailableException(
              what
                  + " failed: no schema registry reachable at "
                  + urls
                  + " after "
                  + attempt
                  + " attempt(s): "
                  + e,
              e);
        }
        LOG.debug(
            "{} attempt {}/{}: registry unreachable: {}", what, attempt, maxAttempts, e.toString());
      }
      sleep(backoff(attempt), what);
    }
  }

  private HttpResponse<byte[]> sendToAnyUrl(String method, String path, byte[] body)
      throws IOException {
    int start = Math.floorMod(preferredUrl.get(), urls.size());
    IOException last = null;
    for (int i = 0; i < urls.size(); i++) {
      int index = (start + i) % urls.size();
      URI url = urls.get(index);
      try {
        HttpResponse<byte[]> response =
            client.send(request(url, method, path, body), HttpResponse.BodyHandlers.ofByteArray());
        preferredUrl.set(index);
        return response;
      } catch (IOException e) {
        LOG.debug("Schema registry at {} unreachable: {}", url, e.toString());
        last = e;
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new SchemaRegistryUnavailableException(
            "Interrupted while calling the schema registry at " + url, e);
      }
    }
    throw last;
  }

  private HttpRequest request(URI base, String method, String path, byte[] body) {
    String baseText = base.toString();
    if (baseText.endsWith("/")) {
      baseText = baseText.substring(0, baseText.length() - 1);
    }
    HttpRequest.Builder builder =
        HttpRequest.newBuilder(URI.create(baseText + path))
            .timeout(requestTimeout)
            .header("Accept", ACCEPT)
            .method(
                method,
                body == null
                    ? HttpRequest.BodyPublishers.noBody()
                    : HttpRequest.BodyPublishers.ofByteArray(body));
    if (body != null) {
      builder.header("Content-Type", CONTENT_TYPE);
    }
    if (authorization != null) {
      builder.header("Authorization", authorization);
    }
    return builder.build();
  }

  private JsonNode parse(byte[] body, String what) {
    if (body.length == 0) {
      return NullNode.getInstance();
    }
    try {
      return json.readTree(body);
    } catch (IOException e) {
      throw new SchemaRegistryException(
          what + " failed: the registry's answer is not JSON: " + e.getMessage(),
          200,
          SchemaRegistryException.NO_RESPONSE,
          e);
    }
  }

  private byte[] toBytes(JsonNode body, String what) {
    try {
      return json.writeValueAsBytes(body);
    } catch (IOException e) {
      throw new SchemaRegistryException(
          what + " failed: cannot encode the request",
          SchemaRegistryException.NO_RESPONSE,
          SchemaRegistryException.NO_RESPONSE,
          e);
    }
  }

  private long backoff(int attempt) {
    long base = initialBackoff.toMillis();
    long max = MAX_BACKOFF.toMillis();
    long exponential = attempt >= 30 ? max : Math.min(max, base << (attempt - 1));
    // Equal jitter: at least half the exponential delay, so retries still spread out.
    long half = exponential / 2;
    return half + ThreadLocalRandom.current().nextLong(exponential - half + 1);
  }

  private static void sleep(long millis, String what) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new SchemaRegistryUnavailableException(
          what + " failed: interrupted while waiting to retry", e);
    }
  }

  @Override
  public void close() {
    client.close();
  }

  @Override
  public String toString() {
    return "urls=" + urls;
  }
}
