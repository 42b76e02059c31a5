package io.aibroker.app;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.aibroker.app.config.ConfigLoader;
import io.aibroker.app.http.ApiKeys;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.lang.management.ManagementFactory;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import javax.management.MBeanServerDelegate;
import javax.management.MBeanServerNotification;
import javax.management.NotificationListener;
import javax.management.ObjectName;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The HTTP limits and admin keys of a whole embedded platform, seen from outside: a huge body is
 * refused unread, a flood is turned away while /health answers, a trickling client is cut off,
 * every tenant's view needs an admin key, and /v1/usage answers from memory.
 */
class HttpLimitsIT {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final HttpClient HTTP = HttpClient.newHttpClient();
  private static final String API_KEY = "sk-test-acme-0123456789";
  private static final String ADMIN_KEY = "admin-test-0123456789";
  private static final int MAX_CONCURRENT = 2;
  private static final long HUNDRED_MIB = 100L << 20;
  private static final String CHAT =
      "{\"model\":\"chat-default\",\"messages\":[{\"role\":\"user\",\"content\":\"hello\"}]}";

  @TempDir static Path dir;
  static Platform platform;

  @BeforeAll
  static void start() throws Exception {
    Path file = dir.resolve("http.yaml");
    Files.writeString(
        file,
        """
        http:
          api-keys:
            %s: acme
          admin-keys: [%s]
          max-concurrent-requests: %d
          read-timeout-ms: 1500
        """
            .formatted(ApiKeys.sha256(API_KEY), ApiKeys.sha256(ADMIN_KEY), MAX_CONCURRENT));
    Map<String, String> settings = TestPlatforms.freePorts(dir.resolve("data"));
    // Slow enough that two calls are still running when a third arrives.
    settings.put("connectors.simulated.latency", "3s");
    platform = Platform.start(ConfigLoader.load(file, Map.of(), settings), Clock.systemUTC());
    Awaitility.await().atMost(Duration.ofMinutes(2)).until(platform::ready);
  }

  @AfterAll
  static void stop() {
    if (platform != null) {
      platform.close();
    }
  }

  private static HttpResponse<String> get(String path, String authorization) throws Exception {
    return get(platform, path, authorization);
  }

  private static HttpResponse<String> get(Platform on, String path, String authorization)
      throws Exception {
    var request = HttpRequest.newBuilder(URI.create(on.httpUrl() + path));
    if (authorization != null) {
      request.header("Authorization", authorization);
    }
    return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
  }

  private static CompletableFuture<HttpResponse<String>> chat() {
    return HTTP.sendAsync(
        HttpRequest.newBuilder(URI.create(platform.httpUrl() + "/v1/chat/completions"))
            .header("Authorization", "Bearer " + API_KEY)
            .POST(HttpRequest.BodyPublishers.ofString(CHAT))
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }

  private static Socket socket() throws IOException {
    URI uri = URI.create(platform.httpUrl());
    Socket socket = new Socket(uri.getHost(), uri.getPort());
    socket.setSoTimeout(30_000);
    return socket;
  }

  /** The status code of the response on the socket, read up to the end of its status line. */
  private static int status(InputStream in) throws IOException {
    ByteArrayOutputStream line = new ByteArrayOutputStream();
    for (int b = in.read(); b != '\n' && b != -1; b = in.read()) {
      line.write(b);
    }
    return Integer.parseInt(line.toString(StandardCharsets.ISO_8859_1).split(" ")[1]);
  }

  private static String postHead(String framing) {
    return "POST /v1/chat/completions HTTP/1.1\r\nHost: test\r\nAuthorization: Bearer "
        + API_KEY
        + "\r\nContent-Type: application/json\r\n"
        + framing
        + "\r\n\r\n";
  }

  // ------------------------------------------------------------------- body size

  @Test
  void aHundredMibBodyGets413AndIsNotReadWhole() throws Exception {
    AtomicLong sent = new AtomicLong();
    long started = System.nanoTime();
    try (Socket socket = socket()) {
      OutputStream out = socket.getOutputStream();
      out.write(postHead("Transfer-Encoding: chunked").getBytes(StandardCharsets.ISO_8859_1));
      byte[] chunk = new byte[64 * 1024];
      Arrays.fill(chunk, (byte) ' ');
      byte[] size = (Integer.toHexString(chunk.length) + "\r\n").getBytes(StandardCharsets.UTF_8);
      // generated as it goes: 100 MiB of whitespace after a valid start, never held in memory
      Thread generator =
          Thread.ofVirtual()
              .start(
                  () -> {
                    try {
                      out.write("1\r\n{\r\n".getBytes(StandardCharsets.UTF_8));
                      while (sent.get() < HUNDRED_MIB) {
                        out.write(size);
                        out.write(chunk);
                        out.write("\r\n".getBytes(StandardCharsets.UTF_8));
                        sent.addAndGet(chunk.length);
                      }
                    } catch (IOException closedByServer) {
                      // the server stopped reading
                    }
                  });

      int status = status(socket.getInputStream());
      generator.join(Duration.ofSeconds(30));

      assertThat(status).isEqualTo(413);
      assertThat(generator.isAlive()).isFalse();
      assertThat(sent.get()).as("bytes the server took").isLessThan(HUNDRED_MIB / 4);
    }
    assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(30));
  }

  @Test
  void aDeclaredHundredMibBodyGets413AtOnce() throws Exception {
    try (Socket socket = socket()) {
      socket
          .getOutputStream()
          .write(postHead("Content-Length: " + HUNDRED_MIB).getBytes(StandardCharsets.UTF_8));

      assertThat(status(socket.getInputStream())).isEqualTo(413);
    }
  }

  // ------------------------------------------------------------------- concurrency

  @Test
  void beyondMaxConcurrentRequestsCallsGet503WithRetryAfterWhileHealthAnswers() throws Exception {
    List<CompletableFuture<HttpResponse<String>>> running = new ArrayList<>();
    for (int i = 0; i < MAX_CONCURRENT; i++) {
      running.add(chat());
    }
    Awaitility.await()
        .atMost(Duration.ofSeconds(30))
        .pollInterval(Duration.ofMillis(100))
        .until(() -> gauge("aibroker_http_requests_in_flight") == MAX_CONCURRENT);

    HttpResponse<String> turnedAway = chat().get(30, TimeUnit.SECONDS);
    HttpResponse<String> health = get("/health", null);

    assertThat(turnedAway.statusCode()).isEqualTo(503);
    assertThat(turnedAway.headers().firstValue("Retry-After")).hasValue("1");
    assertThat(JSON.readTree(turnedAway.body()).at("/error/code").asText())
        .isEqualTo("server_busy");
    assertThat(health.statusCode()).isEqualTo(200);
    for (var call : running) {
      assertThat(call.get(60, TimeUnit.SECONDS).statusCode()).isEqualTo(200);
    }
  }

  private static double gauge(String name) throws Exception {
    return get("/metrics", "Bearer " + ADMIN_KEY)
        .body()
        .lines()
        .filter(l -> l.startsWith(name + " "))
        .mapToDouble(l -> Double.parseDouble(l.substring(l.indexOf(' ') + 1)))
        .findFirst()
        .orElse(-1);
  }

  // ------------------------------------------------------------------- read timeout

  @Test
  void aRequestTrickledInSlowerThanTheReadTimeoutIsCutOff() throws Exception {
    long started = System.nanoTime();
    try (Socket socket = socket()) {
      OutputStream out = socket.getOutputStream();
      out.write(postHead("Content-Length: 1000").getBytes(StandardCharsets.UTF_8));
      Thread trickle =
          Thread.ofVirtual()
              .start(
                  () -> {
                    try {
                      for (int i = 0; i < 1000; i++) {
                        out.write(' ');
                        out.flush();
                        Thread.sleep(250); // never silent for the timeout, 250 s for the body
                      }
                    } catch (IOException | InterruptedException stopped) {
                      // cut off
                    }
                  });

      int status = status(socket.getInputStream());
      trickle.interrupt();

      assertThat(status).isEqualTo(408);
    }
    assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(15));
  }

  // ------------------------------------------------------------------- admin keys

  @Test
  void theDashboardAndMetricsNeedAnAdminKeyThatATenantKeyIsNot() throws Exception {
    assertThat(get("/dashboard", null).statusCode()).isEqualTo(401);
    assertThat(get("/dashboard/data", null).statusCode()).isEqualTo(401);
    assertThat(get("/metrics", null).statusCode()).isEqualTo(401);
    assertThat(get("/dashboard", "Bearer " + API_KEY).statusCode()).isEqualTo(401);
    assertThat(get("/metrics", "Bearer " + API_KEY).statusCode()).isEqualTo(401);
    assertThat(get("/dashboard", null).headers().allValues("WWW-Authenticate"))
        .anySatisfy(c -> assertThat(c).startsWith("Bearer"))
        .anySatisfy(c -> assertThat(c).startsWith("Basic"));

    assertThat(get("/dashboard", "Bearer " + ADMIN_KEY).statusCode()).isEqualTo(200);
    assertThat(get("/dashboard/data", "Bearer " + ADMIN_KEY).statusCode()).isEqualTo(200);
    assertThat(get("/metrics", "Bearer " + ADMIN_KEY).statusCode()).isEqualTo(200);
    assertThat(get("/health", null).statusCode()).isEqualTo(200);
    assertThat(get("/", null).statusCode()).as("the redirect to the dashboard").isEqualTo(302);
  }

  @Test
  void metricsPublicOpensOnlyMetrics() throws Exception {
    // A second process on the same cluster, serving HTTP only.
    Map<String, String> settings = TestPlatforms.freePorts(dir.resolve("public"));
    settings.put("kafka.bootstrap-servers", platform.bootstrapServers());
    settings.put("schema-registry.url", platform.schemaRegistryUrl());
    settings.put("broker.enabled", "false");
    settings.put("workers.enabled", "false");
    settings.put("http.admin-keys", ApiKeys.sha256(ADMIN_KEY));
    settings.put("http.metrics-public", "true");
    try (Platform scrapeable = Platform.start(TestPlatforms.config(settings), Clock.systemUTC())) {
      assertThat(get(scrapeable, "/metrics", null).statusCode()).isEqualTo(200);
      assertThat(get(scrapeable, "/dashboard", null).statusCode()).isEqualTo(401);
      assertThat(get(scrapeable, "/dashboard/data", null).statusCode()).isEqualTo(401);
      assertThat(get(scrapeable, "/dashboard", "Bearer " + ADMIN_KEY).statusCode()).isEqualTo(200);
    }
  }

  // ------------------------------------------------------------------- usage

  @Test
  void usageIsAnsweredFromTheViewWithoutAConsumerPerCall() throws Exception {
    assertThat(chat().get(60, TimeUnit.SECONDS).statusCode()).isEqualTo(200);
    Awaitility.await().atMost(Duration.ofSeconds(60)).until(() -> usageRequests() >= 1);

    List<ObjectName> consumersCreated = new CopyOnWriteArrayList<>();
    NotificationListener listener =
        (notification, handback) -> {
          if (notification instanceof MBeanServerNotification registration
              && MBeanServerNotification.REGISTRATION_NOTIFICATION.equals(registration.getType())
              && registration.getMBeanName().getDomain().equals("kafka.consumer")) {
            consumersCreated.add(registration.getMBeanName());
          }
        };
    var server = ManagementFactory.getPlatformMBeanServer();
    server.addNotificationListener(MBeanServerDelegate.DELEGATE_NAME, listener, null, null);
    List<Long> answers = new ArrayList<>();
    try {
      for (int i = 0; i < 5; i++) {
        answers.add(usageRequests());
      }
    } finally {
      server.removeNotificationListener(MBeanServerDelegate.DELEGATE_NAME, listener);
    }

    assertThat(consumersCreated).isEmpty();
    assertThat(answers).allSatisfy(n -> assertThat(n).isPositive());
  }

  private static long usageRequests() throws Exception {
    HttpResponse<String> response =
        HTTP.send(
            HttpRequest.newBuilder(URI.create(platform.httpUrl() + "/v1/usage"))
                .header("Authorization", "Bearer " + API_KEY)
                .build(),
            HttpResponse.BodyHandlers.ofString());
    if (response.statusCode() == 503) {
      return 0; // still catching up
    }
    assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
    JsonNode body = JSON.readTree(response.body());
    assertThat(body.has("available_from")).isTrue();
    return body.at("/totals/requests").asLong();
  }
}
