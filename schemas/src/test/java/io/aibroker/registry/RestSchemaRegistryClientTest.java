package io.aibroker.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.apache.avro.Schema;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class RestSchemaRegistryClientTest {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Schema ORDER =
      new Schema.Parser()
          .parse(
              """
              {"type": "record", "name": "Order", "namespace": "t", "fields": [
                {"name": "id", "type": "string"}]}""");

  private final FakeRegistryServer server = newServer();
  private RestSchemaRegistryClient client = client(server.url());

  @AfterEach
  void stop() {
    client.close();
    server.close();
  }

  @Test
  void registerPostsSchemaWithConfluentHeadersAndReturnsId() throws IOException {
    server.answer("POST /subjects/orders-value/versions", 200, "{\"id\":7}");

    assertThat(client.register("orders-value", ORDER)).isEqualTo(7);

    FakeRegistryServer.Request request = server.requests().get(0);
    assertThat(request.method()).isEqualTo("POST");
    assertThat(request.header("Content-Type")).isEqualTo("application/vnd.schemaregistry.v1+json");
    assertThat(request.header("Accept"))
        .isEqualTo(
            "application/vnd.schemaregistry.v1+json, application/vnd.schemaregistry+json,"
                + " application/json");
    assertThat(request.header("Authorization")).isNull();
    JsonNode body = JSON.readTree(request.body());
    assertThat(body.get("schema").asText()).isEqualTo(ORDER.toString());
    assertThat(body.has("schemaType")).isFalse();
  }

  @Test
  void repeatedRegisterIsAnsweredFromCache() {
    server.answer("POST /subjects/orders-value/versions", 200, "{\"id\":7}");

    client.register("orders-value", ORDER);
    int again = client.register("orders-value", ORDER);
    int lookedUp = client.getId("orders-value", ORDER);

    assertThat(again).isEqualTo(7);
    assertThat(lookedUp).isEqualTo(7);
    assertThat(server.requests()).hasSize(1);
  }

  @Test
  void getIdLooksUpUnderSubjectAndCaches() {
    server.answer("POST /subjects/orders-value", 200, metadataJson("orders-value", 2, 7, ORDER));

    assertThat(client.getId("orders-value", ORDER)).isEqualTo(7);
    assertThat(client.getId("orders-value", ORDER)).isEqualTo(7);

    assertThat(server.requests()).hasSize(1);
    assertThat(server.requests().get(0).method()).isEqualTo("POST");
  }

  @Test
  void lookupGivesIdAndVersion() {
    server.answer("POST /subjects/orders-value", 200, metadataJson("orders-value", 2, 7, ORDER));

    assertThat(client.lookup("orders-value", ORDER))
        .isEqualTo(new SchemaMetadata(7, "orders-value", 2, ORDER));
  }

  @Test
  void getByIdParsesSchemaAndCachesIt() {
    server.answer(
        "GET /schemas/ids/7",
        200,
        JSON.createObjectNode().put("schema", ORDER.toString()).toString());

    assertThat(client.getById(7)).isEqualTo(ORDER);
    assertThat(client.getById(7)).isEqualTo(ORDER);

    assertThat(server.requests()).hasSize(1);
  }

  @Test
  void getByIdRejectsNonAvroSchemaType() {
    server.answer(
        "GET /schemas/ids/8",
        200,
        "{\"schemaType\":\"PROTOBUF\",\"schema\":\"syntax = \\\"proto3\\\";\"}");

    assertThatThrownBy(() -> client.getById(8))
        .isInstanceOf(SchemaRegistryException.class)
        .hasMessageContaining("schema id 8")
        .hasMessageContaining("PROTOBUF");
  }

  @Test
  void getLatestAndGetVersionReadSubjectVersions() {
    server.answer(
        "GET /subjects/orders-value/versions/latest",
        200,
        metadataJson("orders-value", 3, 9, ORDER));
    server.answer(
        "GET /subjects/orders-value/versions/1", 200, metadataJson("orders-value", 1, 4, ORDER));

    assertThat(client.getLatest("orders-value"))
        .isEqualTo(new SchemaMetadata(9, "orders-value", 3, ORDER));
    assertThat(client.getVersion("orders-value", 1))
        .isEqualTo(new SchemaMetadata(4, "orders-value", 1, ORDER));
    assertThat(client.getById(9)).isEqualTo(ORDER);
    assertThat(server.requests()).hasSize(2);
  }

  @Test
  void listsSubjectsAndVersions() {
    server.answer("GET /subjects", 200, "[\"a-value\",\"b-key\"]");
    server.answer("GET /subjects/a-value/versions", 200, "[1,2,5]");

    assertThat(client.subjects()).containsExactly("a-value", "b-key");
    assertThat(client.versions("a-value")).containsExactly(1, 2, 5);
  }

  @Test
  void testCompatibilityReadsIsCompatible() {
    server.answer(
        "POST /compatibility/subjects/a-value/versions/latest", 200, "{\"is_compatible\":false}");
    server.answer(
        "POST /compatibility/subjects/b-value/versions/latest", 200, "{\"is_compatible\":true}");

    assertThat(client.testCompatibility("a-value", ORDER)).isFalse();
    assertThat(client.testCompatibility("b-value", ORDER)).isTrue();
    assertThat(server.requests().get(0).body()).contains("\"schema\"");
  }

  @Test
  void testCompatibilityWithUnknownSubjectIsTrue() {
    server.error(
        "POST /compatibility/subjects/new-value/versions/latest",
        404,
        40401,
        "Subject 'new-value' not found.");

    assertThat(client.testCompatibility("new-value", ORDER)).isTrue();
  }

  @Test
  void getCompatibilityReadsGlobalAndSubjectLevels() {
    server.answer("GET /config", 200, "{\"compatibilityLevel\":\"BACKWARD\"}");
    server.answer(
        "GET /config/a-value?defaultToGlobal=true", 200, "{\"compatibilityLevel\":\"FULL\"}");

    assertThat(client.getCompatibility(null)).isEqualTo("BACKWARD");
    assertThat(client.getCompatibility("a-value")).isEqualTo("FULL");
  }

  @Test
  void getCompatibilityFallsBackToGlobalWhenSubjectHasNoLevel() {
    server.answer("GET /config", 200, "{\"compatibilityLevel\":\"FORWARD\"}");
    server.error(
        "GET /config/a-value?defaultToGlobal=true",
        404,
        40408,
        "Subject 'a-value' does not have subject-level compatibility configured");

    assertThat(client.getCompatibility("a-value")).isEqualTo("FORWARD");
  }

  @Test
  void setCompatibilityPutsLevel() throws IOException {
    server.answer("PUT /config/a-value", 200, "{\"compatibility\":\"FULL\"}");
    server.answer("PUT /config", 200, "{\"compatibility\":\"NONE\"}");

    client.setCompatibility("a-value", "FULL");
    client.setCompatibility(null, "NONE");

    assertThat(JSON.readTree(server.requests().get(0).body()))
        .isEqualTo(JSON.readTree("{\"compatibility\":\"FULL\"}"));
    assertThat(server.requests().get(1).rawPathAndQuery()).isEqualTo("/config");
  }

  @Test
  void deleteSubjectReturnsVersionsAndForgetsCachedIds() {
    server.answer("POST /subjects/orders-value/versions", 200, "{\"id\":7}");
    server.answer("DELETE /subjects/orders-value", 200, "[1,2]");
    client.register("orders-value", ORDER);

    assertThat(client.deleteSubject("orders-value")).containsExactly(1, 2);
    client.register("orders-value", ORDER);

    assertThat(server.requests())
        .extracting(FakeRegistryServer.Request::method)
        .containsExactly("POST", "DELETE", "POST");
  }

  @Test
  void subjectIsPercentEncodedInThePath() {
    server.answer("POST /subjects/a%20b%2Fc%C3%A9/versions", 200, "{\"id\":3}");

    assertThat(client.register("a b/cé", ORDER)).isEqualTo(3);
  }

  @Test
  void retriesServerErrorsThenSucceeds() {
    server.error(
        "POST /subjects/orders-value/versions",
        503,
        50003,
        "Error while forwarding the request to the leader");
    server.error(
        "POST /subjects/orders-value/versions", 500, 50001, "Error in the backend data store");
    server.answer("POST /subjects/orders-value/versions", 200, "{\"id\":11}");

    assertThat(client.register("orders-value", ORDER)).isEqualTo(11);
    assertThat(server.requests()).hasSize(3);
  }

  @Test
  void givesUpAfterMaxAttemptsOnServerErrors() {
    server.error("GET /schemas/ids/5", 500, 50002, "Operation timed out");

    assertThatThrownBy(() -> client.getById(5))
        .isExactlyInstanceOf(SchemaRegistryException.class)
        .hasMessage(
            "Looking up schema id 5 failed: Operation timed out (error code 50002, HTTP 500)")
        .satisfies(e -> assertThat(((SchemaRegistryException) e).isRetriable()).isTrue());
    assertThat(server.requests()).hasSize(3);
  }

  @Test
  void neverRetriesClientErrors() {
    server.error("GET /schemas/ids/5", 404, 40403, "Schema 5 not found");

    assertThatThrownBy(() -> client.getById(5)).isInstanceOf(SchemaNotFoundException.class);
    assertThat(server.requests()).hasSize(1);
  }

  static Stream<Arguments> errorCodes() {
    return Stream.of(
        Arguments.of(404, 40401, SubjectNotFoundException.class),
        Arguments.of(404, 40402, VersionNotFoundException.class),
        Arguments.of(404, 40403, SchemaNotFoundException.class),
        Arguments.of(409, 409, IncompatibleSchemaException.class),
        Arguments.of(422, 42201, InvalidSchemaException.class),
        Arguments.of(422, 42202, InvalidVersionException.class),
        Arguments.of(422, 42203, InvalidCompatibilityLevelException.class),
        Arguments.of(500, 50001, SchemaRegistryException.class),
        Arguments.of(500, 50002, SchemaRegistryException.class),
        Arguments.of(500, 50003, SchemaRegistryException.class),
        Arguments.of(401, 40101, SchemaRegistryException.class));
  }

  @ParameterizedTest
  @MethodSource("errorCodes")
  void mapsConfluentErrorCodes(
      int status, int errorCode, Class<? extends SchemaRegistryException> type) {
    server.error(
        "GET /subjects/orders-value/versions/2", status, errorCode, "server says " + errorCode);

    assertThatThrownBy(() -> client.getVersion("orders-value", 2))
        .isExactlyInstanceOf(type)
        .hasMessage(
            "Getting version 2 of subject 'orders-value' failed: server says "
                + errorCode
                + " (error code "
                + errorCode
                + ", HTTP "
                + status
                + ")")
        .satisfies(
            e -> {
              SchemaRegistryException error = (SchemaRegistryException) e;
              assertThat(error.errorCode()).isEqualTo(errorCode);
              assertThat(error.httpStatus()).isEqualTo(status);
            });
  }

  @Test
  void errorWithoutJsonBodyStillNamesStatusAndBody() {
    server.answer("GET /subjects", 502, "<html>Bad Gateway</html>");

    assertThatThrownBy(() -> client.subjects())
        .isExactlyInstanceOf(SchemaRegistryException.class)
        .hasMessage("Listing subjects failed: <html>Bad Gateway</html> (error code 502, HTTP 502)");
  }

  @Test
  void failsOverToNextUrlWhenOneIsUnreachableAndSticksWithIt() throws IOException {
    server.answer("GET /subjects", 200, "[\"x\"]");
    client.close();
    client = client(deadUrl(), server.url());

    assertThat(client.subjects()).containsExactly("x");
    assertThat(client.subjects()).containsExactly("x");

    assertThat(server.requests()).hasSize(2);
  }

  @Test
  void unreachableRegistryIsRetriableUnavailableError() throws IOException {
    client.close();
    URI first = deadUrl();
    URI second = deadUrl();
    client = client(first, second);

    assertThatThrownBy(() -> client.getById(1))
        .isInstanceOf(SchemaRegistryUnavailableException.class)
        .hasMessageContaining("Looking up schema id 1 failed: no schema registry reachable at")
        .hasMessageContaining(first.toString())
        .hasMessageContaining(second.toString())
        .hasMessageContaining("after 3 attempt(s)")
        .satisfies(e -> assertThat(((SchemaRegistryException) e).isRetriable()).isTrue());
  }

  @Test
  void sendsBasicAuthFromUserInfo() {
    server.answer("GET /subjects", 200, "[]");
    client.close();
    client =
        new RestSchemaRegistryClient(
            SchemaRegistryConfig.fromProperties(
                Map.of(
                    "schema.registry.url", server.url().toString(),
                    "basic.auth.credentials.source", "USER_INFO",
                    "basic.auth.user.info", "alice:s3cret")));

    client.subjects();

    assertThat(server.requests().get(0).header("Authorization"))
        .isEqualTo(
            "Basic "
                + Base64.getEncoder()
                    .encodeToString("alice:s3cret".getBytes(StandardCharsets.UTF_8)));
  }

  @Test
  void credentialsFromUrlAreSentButNeverShown() throws IOException {
    server.error("GET /subjects", 401, 40101, "Unauthorized");
    client.close();
    URI withCredentials = URI.create("http://alice:s3cret@127.0.0.1:" + server.url().getPort());
    client =
        new RestSchemaRegistryClient(
            SchemaRegistryConfig.fromProperties(
                Map.of("schema.registry.url", withCredentials + "," + deadUrl())));

    assertThatThrownBy(() -> client.subjects())
        .isInstanceOf(SchemaRegistryException.class)
        .hasMessageNotContaining("s3cret");
    assertThat(server.requests().get(0).header("Authorization")).startsWith("Basic ");
    assertThat(client.toString()).doesNotContain("s3cret");
    assertThat(client.config().toString()).doesNotContain("s3cret").contains("[hidden]");
    assertThat(client.config().urls()).allSatisfy(url -> assertThat(url.getUserInfo()).isNull());

    server.close();
    assertThatThrownBy(() -> client.subjects())
        .isInstanceOf(SchemaRegistryUnavailableException.class)
        .hasMessageNotContaining("s3cret")
        .hasMessageNotContaining("alice");
  }

  @Test
  void percentEncodedUserInfoIsSentDecoded() {
    server.answer("GET /subjects", 200, "[]");
    client.close();
    client =
        new RestSchemaRegistryClient(
            SchemaRegistryConfig.of(
                "http://alice:p%40ss%3Aword@127.0.0.1:" + server.url().getPort()));

    client.subjects();

    assertThat(server.requests().get(0).header("Authorization"))
        .isEqualTo(
            "Basic "
                + Base64.getEncoder()
                    .encodeToString("alice:p@ss:word".getBytes(StandardCharsets.UTF_8)));
    assertThat(client.toString())
        .isEqualTo("RestSchemaRegistryClient[urls=[" + server.url() + "]]");
  }

  private static String metadataJson(String subject, int version, int id, Schema schema) {
    return JSON.createObjectNode()
        .put("subject", subject)
        .put("version", version)
        .put("id", id)
        .put("schema", schema.toString())
        .toString();
  }

  private static RestSchemaRegistryClient client(URI... urls) {
    return new RestSchemaRegistryClient(
        new SchemaRegistryConfig(
            List.of(urls), Duration.ofSeconds(5), 3, Duration.ofMillis(1), null));
  }

  private static URI deadUrl() throws IOException {
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return URI.create("http://127.0.0.1:" + socket.getLocalPort());
    }
  }

  private static FakeRegistryServer newServer() {
    try {
      return new FakeRegistryServer();
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }
}
