package io.aibroker.app.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The HTTP endpoint's limits and admin keys, on a real server bound to a free port. */
class HttpEndpointTest {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String ADMIN_KEY = "admin-key-0123456789";
  private static final Duration READ_TIMEOUT = Duration.ofSeconds(1);
  private static final int MAX_CONCURRENT = 2;

  private final HttpClient http = HttpClient.newHttpClient();
  private final PrometheusMeterRegistry metrics =
      new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
  private HttpEndpoint endpoint;

  @AfterEach
  void stop() {
    if (endpoint != null) {
      endpoint.close();
    }
  }

  private HttpEndpoint start(AdminKeys adminKeys, boolean metricsPublic) throws Exception {
    endpoint =
        new HttpEndpoint(
            "127.0.0.1",
            0,
            new HttpLimits(1 << 20, MAX_CONCURRENT, READ_TIMEOUT),
            adminKeys,
            metricsPublic,
            metrics);
    endpoint.addCheck("test", () -> true);
    endpoint.addAdminHandler(
        "/dashboard", CallHandler.of(call -> call.send(200, "text/plain", "d")));
    endpoint.start();
    return endpoint;
  }

  private HttpResponse<String> get(String path, String authorization) throws Exception {
    var request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + endpoint.port() + path));
    if (authorization != null) {
      request.header("Authorization", authorization);
    }
    return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
  }

  private static AdminKeys adminKeys() {
    return new AdminKeys(List.of(ApiKeys.sha256(ADMIN_KEY)));
  }

  private static String basic(String user, String password) {
    return "Basic "
        + Base64.getEncoder()
            .encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
  }

  // ------------------------------------------------------------------- concurrency

  @Test
  void requestsBeyondTheConcurrencyLimitGet503WithRetryAfterWhileHealthAndMetricsAnswer()
      throws Exception {
    start(AdminKeys.none(), false);
    CountDownLatch release = new CountDownLatch(1);
    AtomicInteger holding = new AtomicInteger();
    endpoint.addHandler(
        "/slow",
        CallHandler.of(
            call -> {
              holding.incrementAndGet();
              release.await(30, TimeUnit.SECONDS);
              call.send(200, "text/plain", "done");
            }));
    List<CompletableFuture<HttpResponse<String>>> held = new ArrayList<>();
    for (int i = 0; i < MAX_CONCURRENT; i++) {
      held.add(
          http.sendAsync(
              HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + endpoint.port() + "/slow"))
                  .build(),
              HttpResponse.BodyHandlers.ofString()));
    }
    Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> holding.get() == MAX_CONCURRENT);

    HttpResponse<String> turnedAway = get("/slow", null);
    HttpResponse<String> health = get("/health", null);
    HttpResponse<String> scrape = get("/metrics", null);
    release.countDown();

    assertThat(turnedAway.statusCode()).isEqualTo(503);
    assertThat(turnedAway.headers().firstValue("Retry-After")).hasValue("1");
    JsonNode error = JSON.readTree(turnedAway.body());
    assertThat(error.at("/error/type").asText()).isEqualTo("server_error");
    assertThat(error.at("/error/code").asText()).isEqualTo("server_busy");
    assertThat(health.statusCode()).isEqualTo(200);
    assertThat(scrape.statusCode()).isEqualTo(200);
    for (var response : held) {
      assertThat(response.get(10, TimeUnit.SECONDS).statusCode()).isEqualTo(200);
    }
    assertThat(get("/slow", null).statusCode()).as("capacity is back").isEqualTo(200);
  }

  @Test
  void handlersRunOnVirtualThreads() throws Exception {
    start(AdminKeys.none(), false);
    endpoint.addHandler(
        "/thread",
        CallHandler.of(
            call ->
                call.send(
                    200, "text/plain", Boolean.toString(Thread.currentThread().isVirtual()))));

    assertThat(get("/thread", null).body()).isEqualTo("true");
  }

  // ------------------------------------------------------------------- read timeouts

  @Test
  void aConnectionThatSendsNothingIsClosedAfterTheReadTimeout() throws Exception {
    start(AdminKeys.none(), false);
    try (RawHttp raw = new RawHttp(endpoint.port())) {
      long started = System.nanoTime();

      assertThat(raw.closedWithin(Duration.ofSeconds(10))).isTrue();
      assertThat(Duration.ofNanos(System.nanoTime() - started))
          .isBetween(READ_TIMEOUT.minusMillis(200), READ_TIMEOUT.plusSeconds(5));
    }
  }

  @Test
  void anIdleKeepAliveConnectionIsClosedAfterTheReadTimeout() throws Exception {
    start(AdminKeys.none(), false);
    try (RawHttp raw = new RawHttp(endpoint.port())) {
      raw.send("GET /health HTTP/1.1\r\nHost: test\r\n\r\n");
      assertThat(raw.read().status()).isEqualTo(200);

      assertThat(raw.closedWithin(Duration.ofSeconds(10))).isTrue();
    }
  }

  @Test
  void headersTrickledInForLongerThanTheReadTimeoutGet408() throws Exception {
    start(AdminKeys.none(), false);
    try (RawHttp raw = new RawHttp(endpoint.port())) {
      // Never silent as long as the idle timeout, yet slower than the deadline allows.
      for (String piece : List.of("GET /health HTTP/1.1\r\n", "Host: test\r\n", "X-A: 1\r\n")) {
        raw.send(piece);
        Thread.sleep(READ_TIMEOUT.toMillis() / 2);
      }
      raw.send("\r\n");

      RawHttp.Response response = raw.read();
      assertThat(response.status()).isEqualTo(408);
      assertThat(JSON.readTree(response.body()).at("/error/code").asText())
          .isEqualTo("request_timeout");
    }
  }

  @Test
  void aBodyTrickledInForLongerThanTheReadTimeoutIsCutOff() throws Exception {
    start(AdminKeys.none(), false);
    endpoint.addHandler(
        "/upload",
        CallHandler.of(
            call -> {
              try {
                call.body().readAllBytes();
                call.send(200, "text/plain", "read it all");
              } catch (java.io.IOException cutOff) {
                call.send(408, "text/plain", "cut off");
              }
            }));
    try (RawHttp raw = new RawHttp(endpoint.port())) {
      raw.send("POST /upload HTTP/1.1\r\nHost: test\r\nContent-Length: 100\r\n\r\n");
      long started = System.nanoTime();
      // a byte every 300 ms: never silent for the idle timeout, but 30 s for the whole body
      Thread trickle =
          Thread.ofVirtual()
              .start(
                  () -> {
                    try {
                      for (int i = 0; i < 100; i++) {
                        raw.send("x");
                        Thread.sleep(300);
                      }
                    } catch (java.io.IOException | InterruptedException stopped) {
                      // the server closed the connection, or the test is done
                    }
                  });

      RawHttp.Response response = raw.read();
      trickle.interrupt();

      assertThat(response.status()).isEqualTo(408);
      assertThat(Duration.ofNanos(System.nanoTime() - started))
          .isBetween(READ_TIMEOUT.minusMillis(100), Duration.ofSeconds(10));
      assertThat(raw.closedWithin(Duration.ofSeconds(5))).isTrue();
    }
  }

  @Test
  void aHandlerWorkingLongerThanTheReadTimeoutStillAnswers() throws Exception {
    start(AdminKeys.none(), false);
    endpoint.addHandler(
        "/think",
        CallHandler.of(
            call -> {
              Thread.sleep(READ_TIMEOUT.multipliedBy(3).toMillis());
              call.send(200, "text/plain", "answer");
            }));

    HttpResponse<String> response = get("/think", null);

    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.body()).isEqualTo("answer");
  }

  // ------------------------------------------------------------------- admin keys

  @Test
  void withAdminKeysTheDashboardAndMetricsNeedOneAndHealthStaysOpen() throws Exception {
    start(adminKeys(), false);

    HttpResponse<String> dashboard = get("/dashboard", null);
    HttpResponse<String> data = get("/dashboard/data", "Bearer wrong-key");
    HttpResponse<String> scrape = get("/metrics", null);

    assertThat(dashboard.statusCode()).isEqualTo(401);
    assertThat(dashboard.headers().allValues("WWW-Authenticate"))
        .anySatisfy(c -> assertThat(c).startsWith("Bearer"))
        .anySatisfy(c -> assertThat(c).startsWith("Basic"));
    assertThat(JSON.readTree(dashboard.body()).at("/error/code").asText())
        .isEqualTo("unauthorized");
    assertThat(data.statusCode()).isEqualTo(401);
    assertThat(scrape.statusCode()).isEqualTo(401);
    assertThat(get("/health", null).statusCode()).isEqualTo(200);
  }

  @Test
  void anAdminKeyOpensTheDashboardAndMetricsAsBearerTokenOrBasicAuthPassword() throws Exception {
    start(adminKeys(), false);

    assertThat(get("/dashboard", "Bearer " + ADMIN_KEY).statusCode()).isEqualTo(200);
    assertThat(get("/metrics", "Bearer " + ADMIN_KEY).statusCode()).isEqualTo(200);
    assertThat(get("/dashboard", basic("anyone", ADMIN_KEY)).statusCode()).isEqualTo(200);
    assertThat(get("/dashboard", basic("anyone", "not-the-key")).statusCode()).isEqualTo(401);
  }

  @Test
  void metricsPublicOpensMetricsButNotTheDashboard() throws Exception {
    start(adminKeys(), true);

    assertThat(get("/metrics", null).statusCode()).isEqualTo(200);
    assertThat(get("/dashboard", null).statusCode()).isEqualTo(401);
  }

  @Test
  void withoutAdminKeysEverythingIsOpen() throws Exception {
    start(AdminKeys.none(), false);

    assertThat(get("/metrics", null).statusCode()).isEqualTo(200);
    assertThat(get("/dashboard", null).statusCode()).isEqualTo(200);
  }

  @Test
  void onlyLoopbackHostsCountAsLoopback() {
    assertThat(HttpEndpoint.isLoopback("127.0.0.1")).isTrue();
    assertThat(HttpEndpoint.isLoopback("localhost")).isTrue();
    assertThat(HttpEndpoint.isLoopback("0.0.0.0")).isFalse();
  }
}
