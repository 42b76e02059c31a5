package io.aibroker.connector.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import javax.net.ssl.SSLHandshakeException;
import org.junit.jupiter.api.Test;

class FakeProviderServerTest {

  /** Answers every request with its scenario's name, streamed in two chunks for /stream. */
  private static final class NamingServer extends FakeProviderServer {
    NamingServer(boolean tls) throws IOException {
      super(tls);
    }

    @Override
    protected void respond(FakeScenario scenario, RecordedRequest request, FakeExchange exchange)
        throws IOException {
      if (!request.path().equals("/stream")) {
        exchange.sendJson(200, Map.of("X-Scenario", scenario.name()), "\"" + scenario + "\"");
        return;
      }
      FakeStream stream = exchange.startStream(200, "text/plain", Map.of());
      stream.write("first;");
      if (scenario == FakeScenario.STREAM_CUT) {
        stream.cut();
      }
      stream.write("last");
      stream.finish();
    }
  }

  private final HttpClient client =
      HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

  @Test
  void recordsMethodPathQueryHeadersAndBody() throws Exception {
    try (NamingServer server = new NamingServer(false)) {
      client.send(
          HttpRequest.newBuilder(URI.create(server.baseUri() + "/v1/x%20y?a=1&b=2"))
              .header("X-Api-Key", "k")
              .POST(HttpRequest.BodyPublishers.ofString("{\"hi\":1}"))
              .build(),
          HttpResponse.BodyHandlers.ofString());

      RecordedRequest request = server.lastRequest();
      assertThat(request.method()).isEqualTo("POST");
      assertThat(request.path()).isEqualTo("/v1/x y");
      assertThat(request.query()).isEqualTo("a=1&b=2");
      assertThat(request.header("x-api-key")).isEqualTo("k");
      assertThat(request.headers()).containsKey("x-api-key");
      assertThat(request.body()).isEqualTo("{\"hi\":1}");
      assertThat(request.toString()).doesNotContain("hi").doesNotContain("=k");
      assertThat(server.requests()).containsExactly(request);
    }
  }

  @Test
  void queuedScenariosComeFirstThenTheCurrentOne() throws Exception {
    try (NamingServer server = new NamingServer(false)) {
      server.scenario(FakeScenario.BAD_REQUEST);
      server.enqueue(FakeScenario.SERVER_ERROR, FakeScenario.RATE_LIMITED);

      List<String> answers =
          List.of(get(server, "/"), get(server, "/"), get(server, "/"), get(server, "/"));

      assertThat(answers)
          .containsExactly(
              "\"SERVER_ERROR\"", "\"RATE_LIMITED\"", "\"BAD_REQUEST\"", "\"BAD_REQUEST\"");
      assertThat(server.requestCount()).isEqualTo(4);
    }
  }

  @Test
  void hangNeverAnswersButIsRecorded() throws Exception {
    try (NamingServer server = new NamingServer(false)) {
      server.scenario(FakeScenario.HANG);
      HttpRequest request =
          HttpRequest.newBuilder(server.baseUri()).timeout(Duration.ofMillis(300)).build();

      assertThatThrownBy(() -> client.send(request, HttpResponse.BodyHandlers.ofString()))
          .isInstanceOf(HttpTimeoutException.class);
      assertThat(server.requestCount()).isEqualTo(1);
    }
  }

  @Test
  void droppedStreamGivesTheClientAnIoError() throws Exception {
    try (NamingServer server = new NamingServer(false)) {
      server.scenario(FakeScenario.STREAM_CUT);

      assertThatThrownBy(() -> get(server, "/stream")).isInstanceOf(IOException.class);
    }
  }

  @Test
  void streamEndedEarlyLooksCompleteToTheClient() throws Exception {
    try (NamingServer server = new NamingServer(false)) {
      server.scenario(FakeScenario.STREAM_CUT);
      server.cutStyle(FakeProviderServer.CutStyle.END_RESPONSE_EARLY);

      assertThat(get(server, "/stream")).isEqualTo("first;");
      // the connection survives for the next request
      server.scenario(FakeScenario.SUCCESS);
      assertThat(get(server, "/stream")).isEqualTo("first;last");
    }
  }

  @Test
  void tlsServerIsTrustedOnlyThroughItsOwnContext() throws Exception {
    try (NamingServer server = new NamingServer(true)) {
      assertThat(server.baseUri().getScheme()).isEqualTo("https");
      assertThatThrownBy(() -> get(server, "/")).isInstanceOf(SSLHandshakeException.class);

      HttpClient trusting = HttpClient.newBuilder().sslContext(server.clientSslContext()).build();
      HttpResponse<String> response =
          trusting.send(
              HttpRequest.newBuilder(server.baseUri()).build(),
              HttpResponse.BodyHandlers.ofString());

      assertThat(response.body()).isEqualTo("\"SUCCESS\"");
      assertThat(server.certificate().getSubjectX500Principal().getName())
          .isEqualTo("CN=localhost");
      assertThat(server.trustStore().size()).isEqualTo(1);
    }
  }

  private String get(FakeProviderServer server, String path) throws Exception {
    return client
        .send(
            HttpRequest.newBuilder(URI.create(server.baseUri() + path)).build(),
            HttpResponse.BodyHandlers.ofString())
        .body();
  }
}
