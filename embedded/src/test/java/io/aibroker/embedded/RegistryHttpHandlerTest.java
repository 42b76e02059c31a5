package io.aibroker.embedded;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Who may change the registry and in what form, over real HTTP: the handler on a JDK HttpServer
 * over an in-memory log. The tests set {@code Host} themselves, as a DNS-rebinding page would
 * (surefire allows it with {@code jdk.httpclient.allowRestrictedHeaders=host}, see the pom).
 */
class RegistryHttpHandlerTest {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final HttpClient HTTP =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  private static final String JSON_TYPE = "application/vnd.schemaregistry.v1+json";
  private static final String SCHEMA_BODY = "{\"schema\":\"\\\"string\\\"\"}";
  private static final String OTHER_SCHEMA_BODY = "{\"schema\":\"\\\"long\\\"\"}";
  private static final String EVIL_HOST = "evil.example";
  // Contains the canary marker: the build fails if it is ever logged.
  private static final String CREDENTIAL = "registry-admin:cn7ry-q8x-registry-write";

  private final RecordingLog log = new RecordingLog();
  private final SchemaRegistryService service = new SchemaRegistryService(new RegistryState(), log);
  private HttpServer server;

  @AfterEach
  void stop() {
    if (server != null) {
      server.stop(0);
    }
  }

  // ---- content type

  @Test
  void aBodyInAnyTypeABrowserMaySendCrossSiteIsRefusedWith415AndNothingIsRegistered()
      throws Exception {
    serve(WriteAccess.loopbackOnly());
    for (String type :
        List.of(
            "text/plain",
            "text/plain;charset=UTF-8",
            "application/x-www-form-urlencoded",
            "multipart/form-data; boundary=x")) {
      Reply reply =
          send(post("/subjects/s-value/versions", SCHEMA_BODY).header("Content-Type", type));
      assertError(reply, 415, 415, "Unsupported Media Type");
    }
    Reply untyped = send(post("/subjects/s-value/versions", SCHEMA_BODY));
    assertError(untyped, 415, 415, "application/vnd.schemaregistry.v1+json");

    assertThat(log.records).isEmpty();
    assertThat(send(get("/subjects")).json.toString()).isEqualTo("[]");
  }

  @Test
  void theBodyOfALookupOrCompatibilityTestNeedsAJsonTypeToo() throws Exception {
    serve(WriteAccess.loopbackOnly());
    assertThat(register("s-value", SCHEMA_BODY).status).isEqualTo(200);

    assertError(
        send(post("/subjects/s-value", SCHEMA_BODY).header("Content-Type", "text/plain")),
        415,
        415,
        "Unsupported Media Type");
    assertError(
        send(
            post("/compatibility/subjects/s-value/versions/latest", SCHEMA_BODY)
                .header("Content-Type", "text/plain")),
        415,
        415,
        "Unsupported Media Type");
  }

  @Test
  void confluentJsonTypesAreAcceptedWithParametersAndInAnyCase() throws Exception {
    serve(WriteAccess.loopbackOnly());
    int n = 0;
    for (String type :
        List.of(
            "application/vnd.schemaregistry.v1+json",
            "application/vnd.schemaregistry.v1+json; qs=1",
            "application/vnd.schemaregistry+json",
            "application/json; charset=utf-8",
            "Application/JSON")) {
      Reply reply =
          send(
              post("/subjects/s" + n++ + "-value/versions", SCHEMA_BODY)
                  .header("Content-Type", type));
      assertThat(reply.status).as(type).isEqualTo(200);
      assertThat(reply.json.get("id").asInt()).as(type).isEqualTo(1);
    }
  }

  @Test
  void aDeleteWithoutBodyNeedsNoContentType() throws Exception {
    serve(WriteAccess.loopbackOnly());
    register("s-value", SCHEMA_BODY);

    Reply deleted = send(request("/subjects/s-value").DELETE());

    assertThat(deleted.status).isEqualTo(200);
    assertThat(deleted.json.toString()).isEqualTo("[1]");
  }

  // ---- Host and credential

  @Test
  void changesAddressedToAnotherHostAreRefusedWith403AndChangeNothing() throws Exception {
    serve(WriteAccess.loopbackOnly());
    register("s-value", SCHEMA_BODY);
    int recordsBefore = log.records.size();

    List<HttpRequest.Builder> changes =
        List.of(
            post("/subjects/s-value/versions", OTHER_SCHEMA_BODY).header("Content-Type", JSON_TYPE),
            post("/subjects/new-value/versions", SCHEMA_BODY).header("Content-Type", JSON_TYPE),
            put("/config", "{\"compatibility\":\"NONE\"}"),
            put("/config/s-value", "{\"compatibility\":\"NONE\"}"),
            request("/config").DELETE(),
            request("/subjects/s-value").DELETE(),
            request("/subjects/s-value?permanent=true").DELETE(),
            request("/subjects/s-value/versions/1").DELETE(),
            // A forged body is refused for its Host before its type is looked at.
            post("/subjects/s-value/versions", SCHEMA_BODY).header("Content-Type", "text/plain"),
            request("/mode").PUT(HttpRequest.BodyPublishers.ofString("{\"mode\":\"IMPORT\"}")));
    for (HttpRequest.Builder change : changes) {
      Reply reply = send(change.header("Host", EVIL_HOST));
      assertError(reply, 403, 40301, "localhost, 127.0.0.1 or [::1]");
    }

    assertThat(log.records).hasSize(recordsBefore);
    assertThat(send(get("/subjects")).json.toString()).isEqualTo("[\"s-value\"]");
    assertThat(send(get("/subjects/s-value/versions")).json.toString()).isEqualTo("[1]");
    assertThat(send(get("/config")).json.toString())
        .isEqualTo("{\"compatibilityLevel\":\"BACKWARD\"}");
  }

  @Test
  void readsAnswerWhateverHostTheyAreAddressedTo() throws Exception {
    serve(WriteAccess.loopbackOnly());
    register("s-value", SCHEMA_BODY);

    for (String host : List.of(EVIL_HOST, "10.0.0.5:8081", "registry.internal")) {
      assertThat(send(get("/subjects").header("Host", host)).json.toString())
          .isEqualTo("[\"s-value\"]");
      assertThat(send(get("/schemas/ids/1").header("Host", host)).status).isEqualTo(200);
      assertThat(send(get("/config").header("Host", host)).status).isEqualTo(200);
      Reply lookup =
          send(
              post("/subjects/s-value", SCHEMA_BODY)
                  .header("Content-Type", JSON_TYPE)
                  .header("Host", host));
      assertThat(lookup.json.get("id").asInt()).isEqualTo(1);
      Reply compatible =
          send(
              post("/compatibility/subjects/s-value/versions/latest", SCHEMA_BODY)
                  .header("Content-Type", JSON_TYPE)
                  .header("Host", host));
      assertThat(compatible.json.toString()).isEqualTo("{\"is_compatible\":true}");
    }
  }

  @Test
  void everyLoopbackNameWithOrWithoutPortMayChangeTheRegistry() throws Exception {
    serve(WriteAccess.loopbackOnly());
    int n = 0;
    for (String host : List.of("localhost", "LOCALHOST:8081", "127.0.0.1", "[::1]:65535")) {
      Reply reply =
          send(
              post("/subjects/s" + n++ + "-value/versions", SCHEMA_BODY)
                  .header("Content-Type", JSON_TYPE)
                  .header("Host", host));
      assertThat(reply.status).as(host).isEqualTo(200);
    }
  }

  @Test
  void withAWriteCredentialChangesNeedItEvenFromLoopbackAndReadsStayOpen() throws Exception {
    serve(WriteAccess.basicAuth(CREDENTIAL));

    assertError(register("s-value", SCHEMA_BODY), 403, 40301, "write credential");
    assertError(
        send(
            post("/subjects/s-value/versions", SCHEMA_BODY)
                .header("Content-Type", JSON_TYPE)
                .header("Authorization", basic("registry-admin:wrong"))),
        403,
        40301,
        "write credential");
    assertThat(log.records).isEmpty();

    Reply fromLoopback =
        send(
            post("/subjects/s-value/versions", SCHEMA_BODY)
                .header("Content-Type", JSON_TYPE)
                .header("Authorization", basic(CREDENTIAL)));
    assertThat(fromLoopback.status).isEqualTo(200);
    // Another machine addresses the registry by its own name: the credential is enough.
    Reply fromElsewhere =
        send(
            put("/config/s-value", "{\"compatibility\":\"FULL\"}")
                .header("Host", "registry.internal:8081")
                .header("Authorization", basic(CREDENTIAL)));
    assertThat(fromElsewhere.json.toString()).isEqualTo("{\"compatibility\":\"FULL\"}");

    assertThat(send(get("/subjects").header("Host", EVIL_HOST)).json.toString())
        .isEqualTo("[\"s-value\"]");
  }

  // ---- server errors

  @Test
  void aServerErrorAnswersGenericallyWithoutTheExceptionText() throws Exception {
    serve(WriteAccess.loopbackOnly());
    log.failing = true;
    Map<String, RuntimeException> failures = new LinkedHashMap<>();
    failures.put(
        "unexpected",
        new IllegalStateException("broker 10.9.8.7:9092 refused: SASL user kafka-admin"));
    failures.put(
        "store",
        RegistryException.storeError(
            "write to _schemas failed", new RuntimeException("10.9.8.7:9092 timed out")));
    for (var failure : failures.entrySet()) {
      log.failure = failure.getValue();

      Reply reply = register("s-value", SCHEMA_BODY);

      assertThat(reply.status).as(failure.getKey()).isEqualTo(500);
      assertThat(reply.raw)
          .as(failure.getKey())
          .isEqualTo("{\"error_code\":50001,\"message\":\"internal server error\"}");
    }
  }

  // ---- helpers

  private void serve(WriteAccess access) throws Exception {
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.createContext("/", new RegistryHttpHandler(service, access));
    server.start();
  }

  private record Reply(int status, String raw, JsonNode json) {}

  private Reply register(String subject, String body) throws Exception {
    return send(post("/subjects/" + subject + "/versions", body).header("Content-Type", JSON_TYPE));
  }

  private HttpRequest.Builder request(String path) {
    return HttpRequest.newBuilder(
            URI.create("http://127.0.0.1:" + server.getAddress().getPort() + path))
        .timeout(Duration.ofSeconds(10));
  }

  private HttpRequest.Builder get(String path) {
    return request(path).GET();
  }

  private HttpRequest.Builder post(String path, String body) {
    return request(path).POST(HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8));
  }

  private HttpRequest.Builder put(String path, String body) {
    return request(path)
        .PUT(HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8))
        .header("Content-Type", JSON_TYPE);
  }

  private static String basic(String userColonPassword) {
    return "Basic "
        + Base64.getEncoder().encodeToString(userColonPassword.getBytes(StandardCharsets.UTF_8));
  }

  private static Reply send(HttpRequest.Builder request) throws Exception {
    HttpResponse<String> response =
        HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
    return new Reply(response.statusCode(), response.body(), JSON.readTree(response.body()));
  }

  private static void assertError(Reply reply, int status, int code, String messagePart) {
    assertThat(reply.status).as(reply.raw).isEqualTo(status);
    assertThat(reply.json.get("error_code").asInt()).as(reply.raw).isEqualTo(code);
    assertThat(reply.json.get("message").asText()).contains(messagePart);
  }
}
