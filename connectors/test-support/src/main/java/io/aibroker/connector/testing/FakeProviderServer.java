package io.aibroker.connector.testing;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import io.aibroker.connector.TokenUsage;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import javax.net.ssl.SSLContext;
import javax.net.ssl.X509TrustManager;

/**
 * A local HTTP/1.1 server that speaks one provider's wire format, for testing a connector with its
 * real SDK or HTTP client. It listens on {@code 127.0.0.1} on an ephemeral port, records every
 * request and answers according to the current {@link FakeScenario}.
 *
 * <p>Subclasses implement {@link #respond} for their provider. This class handles {@link
 * FakeScenario#HANG} itself, so every provider hangs the same way.
 *
 * <p>Which scenario a request gets: the {@link FaultWindow} of the {@link #faults(FaultSchedule)
 * fault schedule} it arrives in, if any; else the next {@link #enqueue}d one; else {@link
 * #scenario()}.
 *
 * <p>With {@code tls = true} it serves HTTPS with a self-signed certificate for {@code localhost}
 * and {@code 127.0.0.1} (some SDKs refuse to send a key over plain HTTP); clients trust it through
 * {@link #clientSslContext()}, {@link #trustManager()}, {@link #trustStore()} or {@link
 * #certificate()}.
 */
public abstract class FakeProviderServer implements AutoCloseable {

  private final boolean tls;
  private final HttpServer server;
  private final ExecutorService executor;
  private final List<RecordedRequest> requests = new CopyOnWriteArrayList<>();
  private final Queue<FakeScenario> queued = new ConcurrentLinkedQueue<>();
  private final CountDownLatch closed = new CountDownLatch(1);
  private volatile FakeScenario scenario = FakeScenario.SUCCESS;
  private volatile CutStyle cutStyle = CutStyle.DROP_CONNECTION;
  private volatile FaultSchedule faults;
  private volatile Clock clock = Clock.systemUTC();
  private volatile TokenUsage chatUsage = FakeReplies.CHAT_USAGE;

  /** How {@link FakeStream#cut()} stops a stream. */
  public enum CutStyle {
    /** Close the connection mid-response: the client sees an I/O error or a short body. */
    DROP_CONNECTION,
    /** End the HTTP response properly, just without the final frame: no transport error at all. */
    END_RESPONSE_EARLY
  }

  /** Starts a plain HTTP server. */
  protected FakeProviderServer() throws IOException {
    this(false);
  }

  /**
   * Starts the server.
   *
   * @param tls serve HTTPS with a self-signed certificate instead of HTTP
   */
  protected FakeProviderServer(boolean tls) throws IOException {
    this.tls = tls;
    InetSocketAddress address = new InetSocketAddress(InetAddress.getLoopbackAddress(), 0);
    if (tls) {
      HttpsServer https = HttpsServer.create(address, 0);
      https.setHttpsConfigurator(new HttpsConfigurator(SelfSignedTls.get().serverContext()));
      server = https;
    } else {
      server = HttpServer.create(address, 0);
    }
    AtomicInteger threads = new AtomicInteger();
    // Unbounded and daemon: hanging requests each hold a thread until close, and a test that
    // forgets to close the server must not keep the JVM alive.
    executor =
        Executors.newCachedThreadPool(
            task -> {
              Thread thread =
                  new Thread(task, getClass().getSimpleName() + "-" + threads.incrementAndGet());
              thread.setDaemon(true);
              return thread;
            });
    server.setExecutor(executor);
    server.createContext("/", this::handle);
    server.start();
  }

  /**
   * Answers one request according to {@code scenario}, in this provider's format. Detect streaming
   * from the request (path, body flag or header) as the provider does.
   *
   * @param scenario never {@link FakeScenario#HANG}
   * @param request the request, already recorded
   * @param exchange where to send the answer
   */
  protected abstract void respond(
      FakeScenario scenario, RecordedRequest request, FakeExchange exchange) throws IOException;

  /**
   * {@code http://127.0.0.1:<port>} or {@code https://127.0.0.1:<port>}, without trailing slash. An
   * IP rather than {@code localhost}, which may resolve to {@code ::1} first; the certificate names
   * both.
   */
  public URI baseUri() {
    int port = server.getAddress().getPort();
    return URI.create((tls ? "https" : "http") + "://127.0.0.1:" + port);
  }

  /** Whether this server speaks HTTPS. */
  public boolean tls() {
    return tls;
  }

  /** Answers subsequent requests with {@code scenario} (after any {@link #enqueue}d ones). */
  public void scenario(FakeScenario scenario) {
    this.scenario = Objects.requireNonNull(scenario, "scenario");
  }

  /**
   * How {@link FakeStream#cut()} stops streams from now on; default {@link
   * CutStyle#DROP_CONNECTION}.
   */
  public void cutStyle(CutStyle style) {
    this.cutStyle = Objects.requireNonNull(style, "style");
  }

  /**
   * Plays {@code schedule} from now on: requests arriving inside one of its windows get the
   * window's scenario (and retry hint), ahead of any enqueued scenario. Arrival times ({@link
   * RecordedRequest#receivedAt()}) are read from the schedule's clock. {@code null} stops.
   */
  public void faults(FaultSchedule schedule) {
    this.faults = schedule;
    this.clock = schedule == null ? Clock.systemUTC() : schedule.clock();
  }

  /** The fault schedule being played, or {@code null}. */
  public FaultSchedule faults() {
    return faults;
  }

  /**
   * The usage successful chat replies report from now on, plain and streamed; default {@link
   * FakeReplies#CHAT_USAGE}. Each fake renders it in its provider's wire format (Bedrock's uncached
   * {@code inputTokens} plus cache fields, OpenAI's {@code prompt_tokens_details} ...), leaving out
   * the classes its provider has no field for.
   */
  public void chatUsage(TokenUsage usage) {
    this.chatUsage = Objects.requireNonNull(usage, "usage");
  }

  /** The usage successful chat replies report. */
  public TokenUsage chatUsage() {
    return chatUsage;
  }

  /** The scenario for requests once the queue is empty. */
  public FakeScenario scenario() {
    return scenario;
  }

  /**
   * Answers the next requests with {@code scenarios}, one each, before returning to {@link
   * #scenario()}; e.g. {@code enqueue(SERVER_ERROR, SERVER_ERROR)} then success, to test retries.
   */
  public void enqueue(FakeScenario... scenarios) {
    queued.addAll(Arrays.asList(scenarios));
  }

  /** Every request received so far, in arrival order. */
  public List<RecordedRequest> requests() {
    return List.copyOf(requests);
  }

  /** How many requests arrived so far. */
  public int requestCount() {
    return requests.size();
  }

  /** The latest request, or {@code null} if none arrived. */
  public RecordedRequest lastRequest() {
    List<RecordedRequest> all = requests();
    return all.isEmpty() ? null : all.get(all.size() - 1);
  }

  /** Forgets the recorded requests. */
  public void clearRequests() {
    requests.clear();
  }

  /** An SSL context trusting exactly this server's certificate (for HTTPS fakes). */
  public SSLContext clientSslContext() {
    return SelfSignedTls.get().clientContext();
  }

  /** A trust manager trusting exactly this server's certificate. */
  public X509TrustManager trustManager() {
    return SelfSignedTls.get().trustManager();
  }

  /** A PKCS12 trust store holding only this server's certificate. */
  public KeyStore trustStore() {
    return SelfSignedTls.get().trustStore();
  }

  /** This server's self-signed certificate. */
  public X509Certificate certificate() {
    return SelfSignedTls.get().certificate();
  }

  /** Stops the server, dropping hanging and in-flight requests. */
  @Override
  public void close() {
    closed.countDown();
    server.stop(0);
    executor.shutdownNow();
  }

  private void handle(HttpExchange exchange) throws IOException {
    RecordedRequest request = record(exchange);
    FaultSchedule schedule = faults;
    FaultWindow window = schedule == null ? null : schedule.at(request.receivedAt()).orElse(null);
    FakeScenario current = window != null ? window.scenario() : next();
    Duration retryAfter = window != null ? window.retryAfter() : null;
    if (current == FakeScenario.HANG) {
      hang();
    }
    try {
      respond(current, request, new FakeExchange(exchange, cutStyle, retryAfter));
    } catch (FakeStream.ResponseEnded endedOnPurpose) {
      // the response is complete, just short
    }
    // Only when respond did not throw: after a ConnectionCut, closing would end the chunked body
    // properly; letting the exception reach the server makes it drop the connection instead.
    exchange.close();
  }

  private FakeScenario next() {
    FakeScenario once = queued.poll();
    return once != null ? once : scenario;
  }

  private RecordedRequest record(HttpExchange exchange) throws IOException {
    String body;
    try (InputStream in = exchange.getRequestBody()) {
      body = new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
    RecordedRequest request =
        new RecordedRequest(
            exchange.getRequestMethod(),
            exchange.getRequestURI().getPath(),
            exchange.getRequestURI().getRawQuery(),
            exchange.getRequestHeaders(),
            body,
            clock.instant());
    requests.add(request);
    return request;
  }

  private void hang() {
    try {
      closed.await();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    // Never answer: drop the connection without a response.
    throw new FakeStream.ConnectionCut();
  }

  /** For subclasses: a body as UTF-8 bytes. */
  protected static byte[] utf8(String text) {
    return text.getBytes(StandardCharsets.UTF_8);
  }
}
