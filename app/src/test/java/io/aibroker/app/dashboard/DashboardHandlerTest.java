package io.aibroker.app.dashboard;

import static org.assertj.core.api.Assertions.assertThat;

import io.aibroker.app.http.AdminKeys;
import io.aibroker.app.http.HttpEndpoint;
import io.aibroker.app.http.HttpLimits;
import io.aibroker.testing.MutableClock;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class DashboardHandlerTest {

  /** Where the dashboards' clocks stand. */
  static final Instant START = Instant.parse("2026-03-01T12:00:00Z");

  private final HttpClient http = HttpClient.newHttpClient();
  private HttpEndpoint server;
  private String base;

  @BeforeEach
  void serve() throws Exception {
    DashboardData data =
        new DashboardData(new SimpleMeterRegistry(), new MutableClock(START), true, true);
    server =
        new HttpEndpoint(
            "127.0.0.1",
            0,
            new HttpLimits(1 << 20, 16, Duration.ofSeconds(10)),
            AdminKeys.none(),
            false,
            new PrometheusMeterRegistry(PrometheusConfig.DEFAULT));
    server.addAdminHandler(DashboardHandler.PATH, new DashboardHandler(data));
    server.addHandler("/", DashboardHandler.rootRedirect());
    server.start();
    base = "http://127.0.0.1:" + server.port();
  }

  @AfterEach
  void stop() {
    server.close();
  }

  private HttpResponse<String> get(String path) throws Exception {
    return http.send(
        HttpRequest.newBuilder(URI.create(base + path)).build(),
        HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void servesThePageThatLoadsChartJsFromThisServer() throws Exception {
    HttpResponse<String> page = get("/dashboard");

    assertThat(page.statusCode()).isEqualTo(200);
    assertThat(page.headers().firstValue("Content-Type"))
        .hasValueSatisfying(t -> assertThat(t).startsWith("text/html"));
    assertThat(page.body())
        .contains("src=\"/dashboard/lib/chart.umd.min.js\"")
        .contains("data-chart=\"throughput\"")
        .doesNotContain("https://");
  }

  @Test
  void servesTheChartJsBundleFromItsWebJar() throws Exception {
    HttpResponse<String> lib = get("/dashboard/lib/chart.umd.min.js");

    assertThat(lib.statusCode()).isEqualTo(200);
    assertThat(lib.body()).contains("Chart.js v" + DashboardHandler.webJarVersion("chart.js"));
  }

  @Test
  void servesTheDataAsJson() throws Exception {
    HttpResponse<String> data = get("/dashboard/data");

    assertThat(data.statusCode()).isEqualTo(200);
    assertThat(data.headers().firstValue("Content-Type")).hasValue("application/json");
    assertThat(data.headers().firstValue("Cache-Control")).hasValue("no-store");
    assertThat(data.body()).startsWith("{").contains("\"throughput\"");
  }

  @Test
  void headAnswersTheHeadersWithoutTheBodyAndOtherMethodsAreNotAllowed() throws Exception {
    HttpResponse<String> head =
        http.send(
            HttpRequest.newBuilder(URI.create(base + "/dashboard"))
                .method("HEAD", HttpRequest.BodyPublishers.noBody())
                .build(),
            HttpResponse.BodyHandlers.ofString());
    HttpResponse<String> post =
        http.send(
            HttpRequest.newBuilder(URI.create(base + "/dashboard/data"))
                .POST(HttpRequest.BodyPublishers.ofString("{}"))
                .build(),
            HttpResponse.BodyHandlers.ofString());

    assertThat(head.statusCode()).isEqualTo(200);
    assertThat(head.headers().firstValueAsLong("Content-Length").orElse(0)).isPositive();
    assertThat(head.body()).isEmpty();
    assertThat(post.statusCode()).isEqualTo(405);
    assertThat(post.headers().firstValue("Allow")).hasValue("GET, HEAD");
  }

  @Test
  void rootRedirectsToTheDashboard() throws Exception {
    HttpResponse<String> root = get("/");

    assertThat(root.statusCode()).isEqualTo(302);
    assertThat(root.headers().firstValue("Location")).hasValue("/dashboard");
  }

  @Test
  void nothingElseOnTheClassPathCanBeFetched() throws Exception {
    assertThat(get("/dashboard/../log4j2.xml").statusCode()).isEqualTo(404);
    assertThat(get("/dashboard/aibroker-default.yaml").statusCode()).isEqualTo(404);
    assertThat(get("/dashboardx").statusCode()).isEqualTo(404);
    assertThat(get("/unknown").statusCode()).isEqualTo(404);
  }

  @Test
  void refusesWrites() throws Exception {
    HttpResponse<String> post =
        http.send(
            HttpRequest.newBuilder(URI.create(base + "/dashboard/data"))
                .POST(HttpRequest.BodyPublishers.noBody())
                .build(),
            HttpResponse.BodyHandlers.ofString());

    assertThat(post.statusCode()).isEqualTo(405);
  }
}
