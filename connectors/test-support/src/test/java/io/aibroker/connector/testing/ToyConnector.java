package io.aibroker.connector.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.aibroker.connector.ChatMessage;
import io.aibroker.connector.Connector;
import io.aibroker.connector.ErrorClass;
import io.aibroker.connector.HttpStatusErrorMapper;
import io.aibroker.connector.InvalidRequestException;
import io.aibroker.connector.ProviderCall;
import io.aibroker.connector.ProviderErrorMapper;
import io.aibroker.connector.ProviderException;
import io.aibroker.connector.ProviderResponse;
import io.aibroker.connector.ProviderServerException;
import io.aibroker.connector.ProviderTimeoutException;
import io.aibroker.connector.RetryAfter;
import io.aibroker.connector.Task;
import io.aibroker.connector.TextDelta;
import io.aibroker.connector.TokenUsage;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Consumer;
import javax.net.ssl.SSLContext;

/**
 * A simple, blocking-on-a-pool connector for {@link ToyFakeServer}'s provider, correct unless told
 * to have one of the {@link Bug}s, each of which some conformance test must catch.
 */
final class ToyConnector implements Connector {

  /** Deliberate defects. */
  enum Bug {
    NONE,
    WRONG_TEXT,
    NO_STREAMING,
    NO_EMBEDDING_USAGE,
    IGNORES_RETRY_AFTER,
    SERVER_ERROR_IS_TERMINAL,
    CLIENT_ERRORS_ARE_RETRYABLE,
    NO_TIMEOUT,
    MALFORMED_IS_SUCCESS,
    STREAM_ERRORS_SWALLOWED,
    MISSING_END_IS_SUCCESS,
    RETRIES_ONCE,
    LEAKS_SECRET,
    DROPS_CACHE_TOKENS,
    NO_CACHE_POINTS
  }

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String PROVIDER = "toy";

  private final URI base;
  private final String key;
  private final Duration timeout;
  private final Bug bug;
  private final HttpClient client;
  private final ExecutorService pool =
      Executors.newCachedThreadPool(
          task -> {
            Thread thread = new Thread(task, "toy-connector");
            thread.setDaemon(true);
            return thread;
          });

  ToyConnector(URI base, String key, Duration timeout, Bug bug, SSLContext ssl) {
    this.base = base;
    this.key = key;
    this.timeout = timeout;
    this.bug = bug;
    this.client =
        HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).sslContext(ssl).build();
  }

  @Override
  public String provider() {
    return PROVIDER;
  }

  @Override
  public CompletionStage<ProviderResponse> call(ProviderCall call) {
    return CompletableFuture.supplyAsync(() -> send(call, null), pool);
  }

  @Override
  public CompletionStage<ProviderResponse> stream(ProviderCall call, Consumer<TextDelta> onDelta) {
    if (bug == Bug.NO_STREAMING) {
      return Connector.super.stream(call, onDelta);
    }
    return CompletableFuture.supplyAsync(() -> send(call, onDelta), pool);
  }

  @Override
  public ProviderErrorMapper errorMapper() {
    return error ->
        error instanceof HttpTimeoutException
            ? new ProviderTimeoutException(PROVIDER, "timed out", null, 0, null, error)
            : ProviderErrorMapper.fallback(PROVIDER).map(error);
  }

  @Override
  public void close() {
    pool.shutdownNow();
    client.shutdownNow();
  }

  private ProviderResponse send(ProviderCall call, Consumer<TextDelta> onDelta) {
    try {
      return attempt(call, onDelta);
    } catch (ProviderException e) {
      if (bug == Bug.RETRIES_ONCE && e.errorClass() == ErrorClass.RETRYABLE) {
        return attempt(call, onDelta);
      }
      throw e;
    }
  }

  private ProviderResponse attempt(ProviderCall call, Consumer<TextDelta> onDelta) {
    boolean embed = call.task() == Task.EMBED;
    Map<String, Object> body =
        embed
            ? Map.of("model", call.providerModel(), "input", call.inputs())
            : Map.of(
                "model",
                call.providerModel(),
                "stream",
                onDelta != null,
                "messages",
                call.messages().stream().map(ChatMessage::content).toList(),
                "cachePoints",
                call.messages().stream()
                    .map(
                        m ->
                            m.cachePoint() == null || bug == Bug.NO_CACHE_POINTS
                                ? ""
                                : m.cachePoint().name())
                    .toList());
    HttpRequest.Builder request =
        HttpRequest.newBuilder(base.resolve(embed ? "/v1/embed" : "/v1/chat"))
            .header("x-key", key)
            .POST(HttpRequest.BodyPublishers.ofString(write(body)));
    if (bug != Bug.NO_TIMEOUT) {
      request.timeout(timeout);
    }
    try {
      HttpResponse<InputStream> response =
          client.send(request.build(), HttpResponse.BodyHandlers.ofInputStream());
      if (response.statusCode() != 200) {
        throw error(response);
      }
      if (onDelta != null) {
        return readStream(response.body(), onDelta);
      }
      JsonNode json = parse(new String(response.body().readAllBytes(), StandardCharsets.UTF_8));
      if (embed) {
        List<List<Float>> vectors = new ArrayList<>();
        json.path("vectors")
            .forEach(
                row -> {
                  List<Float> vector = new ArrayList<>();
                  row.forEach(value -> vector.add(value.floatValue()));
                  vectors.add(vector);
                });
        long tokens = bug == Bug.NO_EMBEDDING_USAGE ? 0 : json.path("usage").path("in").asLong();
        return ProviderResponse.ofEmbeddings(vectors, new TokenUsage(tokens, 0));
      }
      String text = json.path("text").asText("");
      if (!json.has("text") && bug != Bug.MALFORMED_IS_SUCCESS) {
        throw new ProviderServerException(PROVIDER, "no text");
      }
      return ProviderResponse.ofText(
          bug == Bug.WRONG_TEXT ? text + "!" : text, "stop", usage(json.path("usage"), bug));
    } catch (IOException e) {
      if (e instanceof HttpTimeoutException timeout) {
        throw new ProviderTimeoutException(PROVIDER, "timed out", null, 0, null, timeout);
      }
      throw new ProviderServerException(PROVIDER, "i/o failure", null, 0, null, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new ProviderServerException(PROVIDER, "interrupted");
    }
  }

  private ProviderResponse readStream(InputStream body, Consumer<TextDelta> onDelta)
      throws IOException {
    StringBuilder text = new StringBuilder();
    TokenUsage usage = null;
    boolean ended = false;
    int sequence = 0;
    try (BufferedReader reader =
        new BufferedReader(new InputStreamReader(body, StandardCharsets.UTF_8))) {
      String line;
      while ((line = reader.readLine()) != null) {
        if (!line.startsWith("data: ")) {
          continue;
        }
        String data = line.substring(6);
        if (data.equals("[END]")) {
          ended = true;
          continue;
        }
        JsonNode event = parse(data);
        if (event.has("usage")) {
          usage = usage(event.path("usage"), bug);
        }
        if (event.has("delta")) {
          text.append(event.path("delta").asText());
          onDelta.accept(new TextDelta(sequence++, event.path("delta").asText()));
        }
      }
    } catch (IOException e) {
      if (bug != Bug.STREAM_ERRORS_SWALLOWED) {
        throw e;
      }
      return ProviderResponse.ofText(text.toString(), "stop", TokenUsage.ZERO);
    }
    if ((!ended || usage == null) && bug != Bug.MISSING_END_IS_SUCCESS) {
      throw new ProviderServerException(PROVIDER, "stream ended early");
    }
    return ProviderResponse.ofText(
        text.toString(), "stop", usage == null ? TokenUsage.ZERO : usage);
  }

  private ProviderException error(HttpResponse<InputStream> response) throws IOException {
    int status = response.statusCode();
    JsonNode error =
        parse(new String(response.body().readAllBytes(), StandardCharsets.UTF_8)).path("error");
    String code = error.path("code").asText(null);
    String message = error.path("message").asText("");
    message =
        bug == Bug.LEAKS_SECRET ? message + " (sent key " + key + ")" : message.replace(key, "***");
    Duration retryAfter =
        bug == Bug.IGNORES_RETRY_AFTER
            ? null
            : RetryAfter.parseHeader(
                    response.headers().firstValue("Retry-After").orElse(null), Clock.systemUTC())
                .orElse(null);
    if (bug == Bug.SERVER_ERROR_IS_TERMINAL && status >= 500) {
      return new InvalidRequestException(PROVIDER, message, code, status, retryAfter, null);
    }
    if (bug == Bug.CLIENT_ERRORS_ARE_RETRYABLE && status >= 400 && status < 429) {
      return new ProviderServerException(PROVIDER, message, code, status, retryAfter, null);
    }
    return new HttpStatusErrorMapper(PROVIDER).map(status, code, message, retryAfter, null);
  }

  private static TokenUsage usage(JsonNode usage, Bug bug) {
    TokenUsage counts = new TokenUsage(usage.path("in").asLong(), usage.path("out").asLong());
    if (bug == Bug.DROPS_CACHE_TOKENS) {
      return counts;
    }
    return counts
        .withCache(
            usage.path("cr").asLong(), usage.path("cw").asLong(), usage.path("cw1h").asLong())
        .withReasoning(usage.path("rs").asLong());
  }

  private JsonNode parse(String json) {
    try {
      return JSON.readTree(json);
    } catch (IOException e) {
      if (bug == Bug.MALFORMED_IS_SUCCESS) {
        return JSON.createObjectNode();
      }
      throw new ProviderServerException(PROVIDER, "malformed body");
    }
  }

  private static String write(Object value) {
    try {
      return JSON.writeValueAsString(value);
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }
}
