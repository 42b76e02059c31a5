package io.aibroker.connector.workersai;

import com.fasterxml.jackson.databind.JsonNode;
import io.aibroker.connector.Connector;
import io.aibroker.connector.InvalidRequestException;
import io.aibroker.connector.ProviderCall;
import io.aibroker.connector.ProviderErrorMapper;
import io.aibroker.connector.ProviderResponse;
import io.aibroker.connector.ProviderTimeoutException;
import io.aibroker.connector.Task;
import io.aibroker.connector.TextDelta;
import io.aibroker.connector.batch.BatchApi;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandler;
import java.net.http.HttpResponse.BodySubscribers;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * Cloudflare Workers AI over its native REST endpoint {@code /ai/run/{model}} (directly or through
 * AI Gateway), with the JDK's asynchronous {@link HttpClient}: chat, streamed chat (server-sent
 * events) and embeddings, and asynchronous batch jobs ({@link #batch()}).
 *
 * <p>Never retries: the worker does. Each call is bounded by the config's request timeout or the
 * call's deadline, whichever comes first, including the time to read a streamed reply.
 */
public final class WorkersAiConnector implements Connector {

  /** The provider name. */
  public static final String PROVIDER = "workers-ai";

  private final WorkersAiConfig config;
  private final Clock clock;
  private final HttpClient client;
  private final WorkersAiEndpoints endpoints;
  private final WorkersAiErrorMapper errors;
  private final String authorization;
  private final WorkersAiBatchApi batch;

  /**
   * Creates the connector; makes no network calls.
   *
   * @param config the validated config
   * @param clock the clock deadlines and retry dates are read against
   */
  public WorkersAiConnector(WorkersAiConfig config, Clock clock) {
    this(config, clock, HttpClient.newBuilder());
  }

  /** With a pre-configured client builder, e.g. one trusting a test certificate. */
  WorkersAiConnector(WorkersAiConfig config, Clock clock, HttpClient.Builder clientBuilder) {
    this.config = Objects.requireNonNull(config, "config");
    this.clock = Objects.requireNonNull(clock, "clock");
    this.client =
        clientBuilder
            .connectTimeout(config.connectTimeout())
            // HTTP/2 over TLS multiplexes the many calls in flight over few connections; plain
            // http (local fakes, gateways in a private network) stays HTTP/1.1 without h2c upgrade.
            .version(
                "https".equalsIgnoreCase(config.baseUrl().getScheme())
                    ? HttpClient.Version.HTTP_2
                    : HttpClient.Version.HTTP_1_1)
            .followRedirects(HttpClient.Redirect.NEVER)
            .build();
    this.endpoints = new WorkersAiEndpoints(config);
    this.errors = new WorkersAiErrorMapper(PROVIDER, config.apiToken(), clock);
    this.authorization = "Bearer " + config.apiToken();
    this.batch = new WorkersAiBatchApi(config, client, endpoints, errors, authorization);
  }

  @Override
  public String provider() {
    return PROVIDER;
  }

  @Override
  public CompletionStage<ProviderResponse> call(ProviderCall call) {
    return switch (call.task()) {
      case CHAT -> exchange(call, WorkersAiJson.chatBody(call, false), null);
      case EMBED -> exchange(call, WorkersAiJson.embedBody(call), null);
    };
  }

  @Override
  public CompletionStage<ProviderResponse> stream(ProviderCall call, Consumer<TextDelta> onDelta) {
    Objects.requireNonNull(onDelta, "onDelta");
    if (call.task() != Task.CHAT) {
      return call(call);
    }
    return exchange(call, WorkersAiJson.chatBody(call, true), onDelta);
  }

  /** Workers AI's asynchronous batch API, on the same base URL, account and token. */
  @Override
  public Optional<BatchApi> batch() {
    return Optional.of(batch);
  }

  @Override
  public ProviderErrorMapper errorMapper() {
    return errors;
  }

  /** Lets calls in flight finish; does not wait for them. */
  @Override
  public void close() {
    client.shutdown();
  }

  /** Shows the config, whose token is redacted. */
  @Override
  public String toString() {
    return "WorkersAiConnector[" + config + "]";
  }

  /** Sends one call. {@code onDelta == null} asks for a whole JSON reply, otherwise for events. */
  private CompletableFuture<ProviderResponse> exchange(
      ProviderCall call, byte[] body, Consumer<TextDelta> onDelta) {
    Duration timeout = timeout(call);
    if (timeout.isZero() || timeout.isNegative()) {
      return CompletableFuture.failedFuture(
          new ProviderTimeoutException(PROVIDER, "deadline passed before the call was made"));
    }
    URI uri;
    try {
      uri = endpoints.run(call.providerModel());
    } catch (IllegalArgumentException badModel) {
      return CompletableFuture.failedFuture(
          new InvalidRequestException(PROVIDER, badModel.getMessage()));
    }
    HttpRequest request =
        HttpRequest.newBuilder(uri)
            .timeout(timeout)
            .header("Authorization", authorization)
            .header("Content-Type", "application/json")
            .header("Accept", onDelta == null ? "application/json" : "text/event-stream")
            .POST(HttpRequest.BodyPublishers.ofByteArray(body))
            .build();

    CompletableFuture<ProviderResponse> result = new CompletableFuture<>();
    Reply reply = new Reply(call, onDelta, result);
    CompletableFuture<HttpResponse<String>> http = client.sendAsync(request, reply);
    http.whenComplete(reply::httpDone);
    // HttpRequest.timeout stops at the response headers; this bounds reading the body too.
    result.orTimeout(timeout.toMillis(), TimeUnit.MILLISECONDS);
    result.whenComplete(
        (response, failure) -> {
          if (failure != null) {
            // Timed out or cancelled by the caller: free the connection.
            http.cancel(true);
          }
        });
    return result;
  }

  private Duration timeout(ProviderCall call) {
    Duration timeout = config.requestTimeout();
    if (call.deadline() != null) {
      Duration left = Duration.between(clock.instant(), call.deadline());
      if (left.compareTo(timeout) < 0) {
        timeout = left;
      }
    }
    return timeout;
  }

  /**
   * Reads one reply: events into an {@link SseReply} when the provider streams, otherwise the whole
   * body as text, decoded once complete.
   */
  private final class Reply implements BodyHandler<String> {

    private final ProviderCall call;
    private final Consumer<TextDelta> onDelta;
    private final CompletableFuture<ProviderResponse> result;
    private volatile SseReply events;

    Reply(
        ProviderCall call,
        Consumer<TextDelta> onDelta,
        CompletableFuture<ProviderResponse> result) {
      this.call = call;
      this.onDelta = onDelta;
      this.result = result;
    }

    @Override
    public HttpResponse.BodySubscriber<String> apply(HttpResponse.ResponseInfo info) {
      boolean eventStream =
          info.headers()
              .firstValue("Content-Type")
              .map(type -> type.toLowerCase(Locale.ROOT).startsWith("text/event-stream"))
              .orElse(false);
      if (onDelta != null && info.statusCode() / 100 == 2 && eventStream) {
        SseReply sse = new SseReply(errors, onDelta, info.statusCode(), call.params().maxTokens());
        sse.result().whenComplete(this::complete);
        events = sse;
        return BodySubscribers.fromLineSubscriber(sse, s -> null, StandardCharsets.UTF_8, null);
      }
      return BodySubscribers.ofString(StandardCharsets.UTF_8);
    }

    void httpDone(HttpResponse<String> response, Throwable failure) {
      if (failure != null) {
        complete(null, failure);
      } else if (events == null) {
        decode(response);
      }
      // else the events complete the result
    }

    private void decode(HttpResponse<String> response) {
      int status = response.statusCode();
      if (status / 100 != 2) {
        result.completeExceptionally(
            errors.fromResponse(
                status,
                response.headers().firstValue("Retry-After").orElse(null),
                response.body()));
        return;
      }
      try {
        JsonNode body = WorkersAiJson.parse(response.body());
        if (WorkersAiJson.isError(body)) {
          result.completeExceptionally(errors.fromResponse(status, null, response.body()));
          return;
        }
        ProviderResponse decoded =
            call.task() == Task.EMBED
                ? WorkersAiJson.embedResponse(body, call.inputs())
                : WorkersAiJson.chatResponse(body, call.params().maxTokens());
        if (onDelta != null && decoded.text() != null && !decoded.text().isEmpty()) {
          // Asked to stream but got a whole reply (e.g. through a proxy): one delta.
          onDelta.accept(new TextDelta(0, decoded.text()));
        }
        result.complete(decoded);
      } catch (WorkersAiJson.Malformed malformed) {
        result.completeExceptionally(errors.malformed(status, malformed.getMessage()));
      } catch (RuntimeException callbackFailure) {
        result.completeExceptionally(callbackFailure);
      }
    }

    private void complete(ProviderResponse response, Throwable failure) {
      if (failure == null) {
        result.complete(response);
      } else {
        result.completeExceptionally(
            failure instanceof CompletionException && failure.getCause() != null
                ? failure.getCause()
                : failure);
      }
    }
  }
}
