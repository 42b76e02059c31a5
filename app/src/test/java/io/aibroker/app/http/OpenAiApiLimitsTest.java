package io.aibroker.app.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.aibroker.broker.ModelCatalog;
import io.aibroker.client.AiBrokerClient;
import io.aibroker.money.Usd;
import io.aibroker.records.RollupWindow;
import io.aibroker.records.UsageRollup;
import io.aibroker.testing.MutableClock;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.math.BigDecimal;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The OpenAI API's own limits on a real server: bodies too large, too slow or too complex are
 * answered in OpenAI's error shape without being read whole, and {@code /v1/usage} answers from the
 * usage view. No broker is needed: none of these requests reaches one.
 */
class OpenAiApiLimitsTest {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String KEY = "sk-test-acme-0123456789";
  private static final int MAX_BODY = 1 << 20;
  private static final long HUNDRED_MIB = 100L << 20;
  private static final Duration READ_TIMEOUT = Duration.ofSeconds(1);

  private final MutableClock clock = new MutableClock(Instant.parse("2026-03-15T12:00:00Z"));
  private final UsageView usage = new UsageView(clock);
  private final ModelDirectory models =
      ModelDirectory.of(ModelCatalog.of(List.of(), Map.of()), Map.of());

  /** The offset of the next rollup a test applies: each is read after the one before. */
  private long offset;

  private final HttpClient http = HttpClient.newHttpClient();
  private Supplier<AiBrokerClient> client =
      () -> {
        throw new IllegalStateException("no broker in this test");
      };
  private HttpEndpoint endpoint;
  private OpenAiApi api;

  @BeforeEach
  void start() throws Exception {
    HttpLimits limits = new HttpLimits(MAX_BODY, 4, READ_TIMEOUT);
    endpoint =
        new HttpEndpoint(
            "127.0.0.1",
            0,
            limits,
            AdminKeys.none(),
            false,
            new PrometheusMeterRegistry(PrometheusConfig.DEFAULT));
    api =
        new OpenAiApi(
            new ApiKeys(Map.of(ApiKeys.sha256(KEY), "acme")),
            () -> client.get(),
            usage,
            models,
            AllowedModels.all(),
            new ContentLog(false),
            clock,
            limits);
    endpoint.addHandler("/v1", api);
    endpoint.start();
  }

  @AfterEach
  void stop() {
    endpoint.close();
  }

  private static String head(String framing) {
    return "POST /v1/chat/completions HTTP/1.1\r\nHost: test\r\nAuthorization: Bearer "
        + KEY
        + "\r\nContent-Type: application/json\r\n"
        + framing
        + "\r\n\r\n";
  }

  private static void assertOpenAiError(RawHttp.Response response, int status, String code)
      throws IOException {
    assertThat(response.status()).as(response.body()).isEqualTo(status);
    JsonNode error = JSON.readTree(response.body()).get("error");
    assertThat(error.get("type").asText()).isEqualTo("invalid_request_error");
    assertThat(error.get("code").asText()).isEqualTo(code);
    assertThat(error.get("message").asText()).isNotBlank();
  }

  private HttpResponse<String> post(String body) throws Exception {
    return http.send(
        HttpRequest.newBuilder(
                URI.create("http://127.0.0.1:" + endpoint.port() + "/v1/chat/completions"))
            .header("Authorization", "Bearer " + KEY)
            .POST(HttpRequest.BodyPublishers.ofString(body))
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }

  // ------------------------------------------------------------------- body size

  @Test
  void aDeclaredHundredMibBodyIsRefusedWith413BeforeAnyOfItIsSent() throws Exception {
    try (RawHttp raw = new RawHttp(endpoint.port())) {
      raw.send(head("Content-Length: " + HUNDRED_MIB));

      assertOpenAiError(raw.read(), 413, "request_too_large");
      assertThat(raw.closedWithin(Duration.ofSeconds(5))).as("connection closed").isTrue();
    }
  }

  @Test
  void aChunkedHundredMibBodyIsCutOffWith413LongBeforeItIsAllSent() throws Exception {
    AtomicLong sent = new AtomicLong();
    try (RawHttp raw = new RawHttp(endpoint.port())) {
      raw.send(head("Transfer-Encoding: chunked"));
      // A valid start, then whitespace: only the size can make it fail.
      raw.sendChunk("{\"model\":\"chat-default\",".getBytes(StandardCharsets.UTF_8));
      byte[] spaces = new byte[64 * 1024];
      Arrays.fill(spaces, (byte) ' ');
      Thread generator =
          Thread.ofVirtual()
              .start(
                  () -> {
                    try {
                      while (sent.get() < HUNDRED_MIB) {
                        raw.sendChunk(spaces);
                        sent.addAndGet(spaces.length);
                      }
                    } catch (IOException closedByServer) {
                      // expected: the server stops reading and closes
                    }
                  });

      RawHttp.Response response = raw.read();
      generator.join(Duration.ofSeconds(30));

      assertOpenAiError(response, 413, "request_too_large");
      assertThat(generator.isAlive()).as("the server stopped taking the body").isFalse();
      assertThat(sent.get()).isLessThan(HUNDRED_MIB / 4);
    }
  }

  // ------------------------------------------------------------------- read time

  @Test
  void aBodyTrickledInSlowerThanTheReadTimeoutIsCutOffWith408() throws Exception {
    try (RawHttp raw = new RawHttp(endpoint.port())) {
      raw.send(head("Content-Length: 1000"));
      long started = System.nanoTime();
      Thread trickle =
          Thread.ofVirtual()
              .start(
                  () -> {
                    try {
                      raw.send("{\"model\":");
                      for (int i = 0; i < 900; i++) {
                        raw.send(" ");
                        Thread.sleep(200);
                      }
                    } catch (IOException | InterruptedException stopped) {
                      // the server closed the connection, or the test is done
                    }
                  });

      RawHttp.Response response = raw.read();
      trickle.interrupt();

      assertOpenAiError(response, 408, "request_timeout");
      assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(10));
    }
  }

  @Test
  void aBodyThatStopsArrivingIsCutOffWith408() throws Exception {
    try (RawHttp raw = new RawHttp(endpoint.port())) {
      raw.send(head("Content-Length: 1000"));
      raw.send("{\"model\":");
      long started = System.nanoTime();

      RawHttp.Response response = raw.read();

      assertOpenAiError(response, 408, "request_timeout");
      assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(10));
    }
  }

  // ------------------------------------------------------------------- JSON bounds

  @Test
  void jsonNestedDeeperThanAllowedIsRefusedWith400() throws Exception {
    int depth = RequestBodies.MAX_NESTING_DEPTH + 10;
    String body = "{\"messages\":" + "[".repeat(depth) + "]".repeat(depth) + "}";

    HttpResponse<String> response = post(body);

    assertThat(response.statusCode()).isEqualTo(400);
    assertThat(JSON.readTree(response.body()).at("/error/message").asText())
        .containsIgnoringCase("nesting depth");
  }

  @Test
  void aNumberLongerThanAllowedIsRefusedWith400() throws Exception {
    String body = "{\"max_tokens\":" + "9".repeat(RequestBodies.MAX_NUMBER_LENGTH + 1) + "}";

    HttpResponse<String> response = post(body);

    assertThat(response.statusCode()).isEqualTo(400);
    assertThat(JSON.readTree(response.body()).at("/error/message").asText())
        .containsIgnoringCase("number");
  }

  @Test
  void anInvalidCacheControlIsA400NamingTheParameterBeforeAnythingIsSubmitted() throws Exception {
    for (boolean stream : new boolean[] {false, true}) {
      String body =
          "{\"model\": \"chat-default\", \"stream\": "
              + stream
              + ", \"messages\": [{\"role\": \"user\", \"content\": \"Hi\","
              + " \"cache_control\": {\"type\": \"ephemeral\", \"ttl\": \"10m\"}}]}";

      HttpResponse<String> response = post(body);

      assertThat(response.statusCode()).as(response.body()).isEqualTo(400);
      JsonNode error = JSON.readTree(response.body()).get("error");
      assertThat(error.get("type").asText()).isEqualTo("invalid_request_error");
      assertThat(error.get("code").asText()).isEqualTo("invalid_value");
      assertThat(error.get("param").asText()).isEqualTo("messages[0].cache_control.ttl");
      assertThat(api.requestsInFlight()).isZero();
    }
  }

  @Test
  void requestBodiesAreParsedWithADocumentLimitOfTheBodyLimit() {
    var constraints = new RequestBodies(MAX_BODY).constraints();

    assertThat(constraints.getMaxDocumentLength()).isEqualTo(MAX_BODY);
    assertThat(constraints.getMaxStringLength()).isEqualTo(MAX_BODY);
    assertThat(constraints.getMaxNestingDepth()).isEqualTo(RequestBodies.MAX_NESTING_DEPTH);
  }

  // ------------------------------------------------------------------- in flight

  @Test
  void aSubmissionThatFailsGivesItsInFlightPermitBack() throws Exception {
    String chat =
        "{\"model\":\"chat-default\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}";

    for (int i = 0; i < 6; i++) { // more than the 4 permits: none may leak
      HttpResponse<String> response = post(chat);
      assertThat(response.statusCode()).as(response.body()).isEqualTo(502);
    }
    assertThat(api.requestsInFlight()).isZero();
  }

  // ------------------------------------------------------------------- usage

  private HttpResponse<String> usage(String query) throws Exception {
    return http.send(
        HttpRequest.newBuilder(
                URI.create("http://127.0.0.1:" + endpoint.port() + "/v1/usage" + query))
            .header("Authorization", "Bearer " + KEY)
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }

  private static UsageRollup hour(String tenant, String start, long requests) {
    Instant from = Instant.parse(start);
    return UsageRollup.newBuilder()
        .setTenantId(tenant)
        .setModel("chat-default")
        .setProvider("simulated")
        .setProviderModel("sim-chat-1")
        .setWindow(RollupWindow.HOUR)
        .setWindowStart(from)
        .setWindowEnd(from.plus(Duration.ofHours(1)))
        .setRequests(requests)
        .setCacheHits(0)
        .setInputTokens(10)
        .setOutputTokens(20)
        .setCost(Usd.of(new BigDecimal("0.25")))
        .setSavedCost(Usd.of(BigDecimal.ZERO))
        .setUpdatedAt(from)
        .build();
  }

  @Test
  void usageIs503WithRetryAfterUntilTheViewHasCaughtUp() throws Exception {
    HttpResponse<String> response = usage("");

    assertThat(response.statusCode()).isEqualTo(503);
    assertThat(response.headers().firstValue("Retry-After")).hasValue("1");
    assertThat(JSON.readTree(response.body()).at("/error/code").asText())
        .isEqualTo("usage_catching_up");
  }

  @Test
  void usageIs503UnavailableOnceTheViewStoppedFollowingTheTopic() throws Exception {
    usage.markCaughtUp();
    usage.markStopped();

    HttpResponse<String> response = usage("");

    assertThat(response.statusCode()).isEqualTo(503);
    assertThat(JSON.readTree(response.body()).at("/error/code").asText())
        .isEqualTo("usage_unavailable");
  }

  @Test
  void usageIsAnsweredFromTheViewForTheKeysTenantOnly() throws Exception {
    usage.apply(hour("acme", "2026-03-15T09:00:00Z", 2), 0, offset++);
    usage.apply(hour("acme", "2026-03-15T10:00:00Z", 3), 0, offset++);
    usage.apply(hour("globex", "2026-03-15T10:00:00Z", 50), 1, offset++);
    usage.markCaughtUp();

    JsonNode body = JSON.readTree(usage("").body());

    assertThat(body.get("tenant").asText()).isEqualTo("acme");
    assertThat(body.at("/totals/requests").asLong()).isEqualTo(5);
    assertThat(body.at("/totals/cost_usd").decimalValue()).isEqualByComparingTo("0.5");
    assertThat(body.get("available_from").asText()).isEqualTo("2025-03-01T00:00:00Z");
  }
}
