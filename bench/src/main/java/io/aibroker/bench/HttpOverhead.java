package io.aibroker.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.aibroker.app.http.ApiKeys;
import io.aibroker.connector.ChatMessage;
import io.aibroker.connector.GenerationParams;
import io.aibroker.connector.ProviderCall;
import io.aibroker.connector.simulated.SimulatedConfig;
import io.aibroker.connector.simulated.SimulatedConnector;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The HTTP overhead scenario (issue 16): {@code POST /v1/chat/completions} on an app child, against
 * the same simulated provider called directly in this JVM, so that "added by aibroker" is the one
 * minus the other, to set beside the gateway overheads other projects publish.
 *
 * <p>The provider answers after a fixed latency (20 ms by default, jitter 0) on both sides, like a
 * real provider (and like the fake provider endpoints gateways are benchmarked against) rather than
 * at 0 ms: at 0 ms "direct" would be one timer hop and the HTTP side the pipeline alone, which the
 * added-latency scenario measures already; a provider that takes time keeps calls in flight in the
 * worker as a real one does (at 100/s and 20 ms, two at a time). Called directly, the simulated
 * connector takes its latency plus its timer thread's wake-up (a fraction of a millisecond), nearly
 * a constant, so the difference of the percentiles is close to the percentiles of the difference,
 * which is what the table reports as added. The direct call has no HTTP client and no JSON: what
 * the HTTP side adds includes this JVM's {@link HttpClient} on loopback (a fraction of a
 * millisecond), as any caller pays it.
 *
 * <p>Two load shapes: one client sending its requests one after another (each measured from its
 * send to its answer, a discarded warm-up first), and an open loop at a fixed rate, measured from
 * each send's due time as {@link OpenLoop} does. Every prompt is distinct, so neither the broker's
 * response cache nor its coalescing of identical requests answers one. A non-200 answer, a timeout
 * or a transport error is a failure.
 */
final class HttpOverhead {

  /** The API key of the bench tenant (only its SHA-256 goes into the child's config file). */
  static final String API_KEY = "aibroker-bench-http-key";

  /** The tenant the key maps to. */
  static final String TENANT = "http-bench";

  /** The load shape of one client, one request after another. */
  static final String SEQUENTIAL = "1 client, sequential";

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final AtomicLong PROMPTS = new AtomicLong();

  private HttpOverhead() {}

  /** The load shape of the open loop at {@code rate}. */
  static String openLoop(double rate) {
    return String.format(java.util.Locale.ROOT, "open loop, %,.0f/s", rate);
  }

  /**
   * Writes the app child's config file: only the bench key's hash and its tenant (everything else
   * comes from the environment the child is started with, which overrides the file).
   */
  static Path writeConfig(Path dir, String name) throws IOException {
    Files.createDirectories(dir);
    Path file = dir.resolve(name + ".yaml");
    Files.writeString(
        file,
        "http:\n  api-keys:\n    " + ApiKeys.sha256(API_KEY) + ": " + TENANT + "\n",
        StandardCharsets.UTF_8);
    return file;
  }

  /** A prompt no other request of this JVM has (a cache miss). */
  static String prompt() {
    return "http bench prompt " + PROMPTS.incrementAndGet() + " " + System.nanoTime();
  }

  /** One request: completes with whether it succeeded. */
  @FunctionalInterface
  interface Call {
    CompletableFuture<Boolean> start(long sequence);
  }

  /**
   * {@code warmup} then {@code count} requests one after another, each waiting at most {@code
   * timeout}; only the last {@code count} measured, each from its start to its answer.
   */
  static PointResult sequential(String label, Call call, int warmup, int count, Duration timeout)
      throws InterruptedException {
    if (count < 1 || warmup < 0) {
      throw new IllegalArgumentException("count must be >= 1 and warmup >= 0");
    }
    int total = warmup + count;
    Tracker tracker = new Tracker(LoadTarget.newRunId(), total);
    long measureStart = System.nanoTime();
    for (int i = 0; i < total; i++) {
      long begin = System.nanoTime();
      if (i == warmup) {
        measureStart = begin;
      }
      tracker.sent(i, begin);
      boolean ok;
      try {
        ok = Boolean.TRUE.equals(call.start(i).get(timeout.toNanos(), TimeUnit.NANOSECONDS));
      } catch (ExecutionException | TimeoutException | RuntimeException e) {
        ok = false;
      }
      tracker.answered(i, System.nanoTime(), ok, false);
    }
    long end = System.nanoTime();
    OpenLoop.Run run = new OpenLoop.Run(total, warmup, measureStart, end, 0, end);
    return tracker.result(label, 0, run, end);
  }

  /**
   * Open loop at {@code rate} for {@code warmup} then {@code duration} (the warm-up's requests not
   * measured), waiting up to {@code drain} for the last answers.
   */
  static PointResult openLoop(
      String label, Call call, double rate, Duration warmup, Duration duration, Duration drain)
      throws InterruptedException {
    long capacity = OpenLoop.sends(rate, warmup, duration);
    Tracker tracker = new Tracker(LoadTarget.newRunId(), Math.toIntExact(capacity));
    OpenLoop.Run run =
        OpenLoop.run(
            rate,
            warmup,
            duration,
            (seq, due) -> {
              tracker.sent(seq, due);
              CompletableFuture<Boolean> answer;
              try {
                answer = call.start(seq);
              } catch (RuntimeException e) {
                answer = CompletableFuture.failedFuture(e);
              }
              answer.whenComplete(
                  (ok, failure) ->
                      tracker.answered(
                          seq,
                          System.nanoTime(),
                          failure == null && Boolean.TRUE.equals(ok),
                          false));
            });
    tracker.awaitAnswers(run.sent(), drain);
    return tracker.result(label, rate, run, System.nanoTime());
  }

  /**
   * {@code POST /v1/chat/completions} with the bench key: HTTP/1.1, kept-alive connections of one
   * {@link HttpClient} (a client sequentially reuses one; the open loop opens as many as it has
   * requests in flight, then reuses them).
   */
  static final class Chat implements Call, AutoCloseable {

    private final HttpClient client;
    private final URI uri;
    private final Duration timeout;
    private final AtomicReference<String> firstFailure = new AtomicReference<>();

    Chat(String baseUrl, Duration timeout) {
      this.client =
          HttpClient.newBuilder()
              .version(HttpClient.Version.HTTP_1_1)
              .connectTimeout(Duration.ofSeconds(10))
              .build();
      this.uri = URI.create(baseUrl + "/v1/chat/completions");
      this.timeout = timeout;
    }

    static byte[] body(String prompt) {
      ObjectNode body = JSON.createObjectNode();
      body.put("model", "chat-default");
      body.put("max_tokens", 16);
      body.putArray("messages").addObject().put("role", "user").put("content", prompt);
      try {
        return JSON.writeValueAsBytes(body);
      } catch (IOException e) {
        throw new IllegalStateException(e);
      }
    }

    @Override
    public CompletableFuture<Boolean> start(long sequence) {
      HttpRequest request =
          HttpRequest.newBuilder(uri)
              .timeout(timeout)
              .header("Content-Type", "application/json")
              .header("Authorization", "Bearer " + API_KEY)
              .POST(HttpRequest.BodyPublishers.ofByteArray(body(prompt())))
              .build();
      return client
          .sendAsync(request, HttpResponse.BodyHandlers.ofString())
          .thenApply(
              response -> {
                if (response.statusCode() == 200) {
                  return true;
                }
                firstFailure.compareAndSet(
                    null, response.statusCode() + " " + abbreviate(response.body()));
                return false;
              });
    }

    /** The first non-200 answer (status and body), or null: for the log. */
    String firstFailure() {
      return firstFailure.get();
    }

    private static String abbreviate(String text) {
      return text == null || text.length() <= 300 ? text : text.substring(0, 300) + "...";
    }

    @Override
    public void close() {
      client.close();
    }
  }

  /** The simulated provider called in this JVM through its public API, as a worker calls it. */
  static final class Direct implements Call, AutoCloseable {

    private final SimulatedConnector connector;

    Direct(Duration latency) {
      this.connector =
          new SimulatedConnector(
              SimulatedConfig.builder().latency(latency).jitter(Duration.ZERO).build(),
              Clock.systemUTC());
    }

    @Override
    public CompletableFuture<Boolean> start(long sequence) {
      ProviderCall call =
          ProviderCall.chat(
                  "direct-" + sequence + "-" + System.nanoTime(),
                  TENANT,
                  "sim-chat-1",
                  List.of(new ChatMessage(ChatMessage.USER, prompt(), null)))
              .withParams(GenerationParams.defaults().withMaxTokens(16));
      return connector.call(call).toCompletableFuture().thenApply(response -> true);
    }

    @Override
    public void close() {
      connector.close();
    }
  }
}
