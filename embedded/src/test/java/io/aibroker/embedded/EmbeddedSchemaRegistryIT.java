package io.aibroker.embedded;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

class EmbeddedSchemaRegistryIT {
  private static final Logger LOG = LoggerFactory.getLogger(EmbeddedSchemaRegistryIT.class);
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final HttpClient HTTP =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  private static final AtomicInteger SUBJECTS = new AtomicInteger();

  private static final String USER =
      "{\"type\":\"record\",\"name\":\"User\",\"namespace\":\"t\","
          + "\"fields\":[{\"name\":\"id\",\"type\":\"string\"}]}";
  private static final String USER_SPACED =
      "{\n  \"namespace\": \"t\", \"type\" : \"record\", \"name\":\"User\",\n"
          + "  \"fields\" : [ { \"type\": \"string\", \"name\": \"id\" } ]\n}";
  private static final String USER_V2 =
      "{\"type\":\"record\",\"name\":\"User\",\"namespace\":\"t\",\"fields\":["
          + "{\"name\":\"id\",\"type\":\"string\"},"
          + "{\"name\":\"email\",\"type\":[\"null\",\"string\"],\"default\":null}]}";
  private static final String USER_BREAKING =
      "{\"type\":\"record\",\"name\":\"User\",\"namespace\":\"t\",\"fields\":["
          + "{\"name\":\"id\",\"type\":\"string\"},{\"name\":\"age\",\"type\":\"int\"}]}";

  @TempDir static Path dataDir;
  private static EmbeddedKafka kafka;
  private static EmbeddedSchemaRegistry registry;

  @BeforeAll
  static void start() {
    kafka = new EmbeddedKafka(EmbeddedKafkaConfig.builder(dataDir).port(0).build()).start();
    registry = EmbeddedSchemaRegistry.builder(kafka.bootstrapServers()).port(0).build().start();
  }

  @AfterAll
  static void stop() {
    registry.close();
    kafka.close();
  }

  // ---- tests

  @Test
  void rootModeAndTypesAnswerLikeConfluent() throws Exception {
    Reply root = call(registry, "GET", "/", null);
    assertThat(root.status).isEqualTo(200);
    assertThat(root.json).isEqualTo(JSON.createObjectNode());
    assertThat(root.contentType).isEqualTo("application/vnd.schemaregistry.v1+json");
    assertThat(call(registry, "GET", "/mode", null).json.get("mode").asText())
        .isEqualTo("READWRITE");
    assertThat(call(registry, "GET", "/schemas/types", null).json.toString())
        .isEqualTo("[\"AVRO\"]");
  }

  @Test
  void registeringReturnsAStableGlobalIdAndVersionsCanBeRead() throws Exception {
    // A schema no other test registers, so the id's usage list below is this test's alone.
    String schema = USER.replace("\"User\"", "\"IdsUser\"");
    String spaced = USER_SPACED.replace("\"User\"", "\"IdsUser\"");
    String subject = subject();
    Reply registered = register(registry, subject, schema);
    assertThat(registered.status).isEqualTo(200);
    assertThat(fieldNames(registered.json)).containsExactly("id");
    int id = registered.json.get("id").asInt();

    // Same schema again, also formatted differently: same id, no new version.
    assertThat(register(registry, subject, schema).json.get("id").asInt()).isEqualTo(id);
    assertThat(register(registry, subject, spaced).json.get("id").asInt()).isEqualTo(id);
    assertThat(call(registry, "GET", "/subjects/" + subject + "/versions", null).json.toString())
        .isEqualTo("[1]");

    for (String version : List.of("1", "latest", "-1")) {
      Reply v = call(registry, "GET", "/subjects/" + subject + "/versions/" + version, null);
      assertThat(v.status).isEqualTo(200);
      assertThat(fieldNames(v.json)).containsExactly("subject", "id", "version", "schema");
      assertThat(v.json.get("subject").asText()).isEqualTo(subject);
      assertThat(v.json.get("id").asInt()).isEqualTo(id);
      assertThat(v.json.get("version").asInt()).isEqualTo(1);
      assertThat(JSON.readTree(v.json.get("schema").asText())).isEqualTo(JSON.readTree(schema));
    }
    Reply raw = call(registry, "GET", "/subjects/" + subject + "/versions/1/schema", null);
    assertThat(raw.json).isEqualTo(JSON.readTree(schema));

    Reply byId = call(registry, "GET", "/schemas/ids/" + id, null);
    assertThat(fieldNames(byId.json)).containsExactly("schema");
    assertThat(JSON.readTree(byId.json.get("schema").asText())).isEqualTo(JSON.readTree(schema));

    // Same schema in another subject: same id, version 1 there.
    String other = subject();
    assertThat(register(registry, other, schema).json.get("id").asInt()).isEqualTo(id);
    Reply usedBy = call(registry, "GET", "/schemas/ids/" + id + "/versions", null);
    assertThat(usedBy.json.toString())
        .isEqualTo(
            "[{\"subject\":\""
                + subject
                + "\",\"version\":1},{\"subject\":\""
                + other
                + "\",\"version\":1}]");
    assertThat(call(registry, "GET", "/schemas/ids/" + id + "/subjects", null).json.toString())
        .isEqualTo("[\"" + subject + "\",\"" + other + "\"]");
    assertThat(call(registry, "GET", "/subjects", null).json.toString())
        .contains("\"" + subject + "\"", "\"" + other + "\"");
  }

  @Test
  void lookupFindsTheVersionOfARegisteredSchema() throws Exception {
    String subject = subject();
    int id = register(registry, subject, USER).json.get("id").asInt();

    Reply found = call(registry, "POST", "/subjects/" + subject, schemaBody(USER_SPACED));
    assertThat(found.status).isEqualTo(200);
    assertThat(fieldNames(found.json)).containsExactly("subject", "id", "version", "schema");
    assertThat(found.json.get("id").asInt()).isEqualTo(id);
    assertThat(found.json.get("version").asInt()).isEqualTo(1);

    assertError(
        call(registry, "POST", "/subjects/" + subject, schemaBody(USER_V2)),
        404,
        40403,
        "Schema not found");
    assertError(
        call(registry, "POST", "/subjects/no-such-subject", schemaBody(USER)),
        404,
        40401,
        "Subject 'no-such-subject' not found.");
  }

  @Test
  void errorsCarryConfluentStatusCodesAndBodies() throws Exception {
    String subject = subject();
    register(registry, subject, USER);

    assertError(
        call(registry, "GET", "/subjects/missing/versions", null),
        404,
        40401,
        "Subject 'missing' not found.");
    assertError(
        call(registry, "GET", "/subjects/" + subject + "/versions/99", null),
        404,
        40402,
        "Version 99 not found.");
    Reply badVersion = call(registry, "GET", "/subjects/" + subject + "/versions/abc", null);
    assertError(badVersion, 422, 42202, "The specified version 'abc' is not a valid version id");
    assertError(call(registry, "GET", "/schemas/ids/987654", null), 404, 40403, "Schema 987654");
    assertError(
        register(registry, subject(), "{\"type\":\"record\",\"name\":"), 422, 42201, "Invalid");
    assertError(
        call(
            registry,
            "POST",
            "/subjects/" + subject() + "/versions",
            "{\"schema\":\"" + esc(USER) + "\",\"schemaType\":\"PROTOBUF\"}"),
        422,
        42201,
        "PROTOBUF");
    assertError(
        call(registry, "PUT", "/config/" + subject, "{\"compatibility\":\"SIDEWAYS\"}"),
        422,
        42203,
        "Invalid compatibility level");
    assertError(
        call(registry, "GET", "/config/" + subject, null),
        404,
        40408,
        "Subject '" + subject + "' does not have subject-level compatibility configured");
    assertThat(call(registry, "GET", "/nope", null).status).isEqualTo(404);
    assertThat(call(registry, "DELETE", "/schemas/types", null).status).isEqualTo(405);
    assertError(call(registry, "POST", "/subjects/x/versions", "{not json"), 400, 400, "JSON");
  }

  @Test
  void anIncompatibleSchemaIsRefusedWith409AndACompatibleEvolutionIsAccepted() throws Exception {
    String subject = subject();
    int first = register(registry, subject, USER).json.get("id").asInt();

    Reply refused = register(registry, subject, USER_BREAKING);
    assertError(refused, 409, 409, "incompatible with an earlier schema");
    assertThat(refused.json.get("message").asText()).contains("age");

    Reply accepted = register(registry, subject, USER_V2);
    assertThat(accepted.status).isEqualTo(200);
    assertThat(accepted.json.get("id").asInt()).isGreaterThan(first);
    assertThat(call(registry, "GET", "/subjects/" + subject + "/versions", null).json.toString())
        .isEqualTo("[1,2]");
  }

  @Test
  void compatibilityEndpointTestsWithoutRegistering() throws Exception {
    String subject = subject();
    register(registry, subject, USER);
    String base = "/compatibility/subjects/" + subject + "/versions/";

    Reply bad = call(registry, "POST", base + "latest", schemaBody(USER_BREAKING));
    assertThat(bad.status).isEqualTo(200);
    assertThat(bad.json.toString()).isEqualTo("{\"is_compatible\":false}");

    Reply verbose = call(registry, "POST", base + "1?verbose=true", schemaBody(USER_BREAKING));
    assertThat(verbose.json.get("is_compatible").asBoolean()).isFalse();
    assertThat(verbose.json.get("messages").toString())
        .contains("READER_FIELD_MISSING_DEFAULT_VALUE", "oldSchemaVersion: 1");

    Reply good = call(registry, "POST", base + "latest?verbose=true", schemaBody(USER_V2));
    assertThat(good.json.toString()).isEqualTo("{\"is_compatible\":true,\"messages\":[]}");

    assertError(call(registry, "POST", base + "5", schemaBody(USER)), 404, 40402, "Version 5");
    assertError(
        call(registry, "POST", "/compatibility/subjects/nobody/versions/1", schemaBody(USER)),
        404,
        40401,
        "Subject 'nobody' not found.");
    assertThat(call(registry, "GET", "/subjects/" + subject + "/versions", null).json.toString())
        .isEqualTo("[1]");
  }

  @Test
  void globalAndSubjectConfigAreReadWrittenAndDeleted() throws Exception {
    String subject = subject();
    assertThat(call(registry, "GET", "/config", null).json.toString())
        .isEqualTo("{\"compatibilityLevel\":\"BACKWARD\"}");
    try {
      Reply put = call(registry, "PUT", "/config", "{\"compatibility\":\"FULL\"}");
      assertThat(put.status).isEqualTo(200);
      assertThat(put.json.toString()).isEqualTo("{\"compatibility\":\"FULL\"}");
      assertThat(call(registry, "GET", "/config", null).json.toString())
          .isEqualTo("{\"compatibilityLevel\":\"FULL\"}");
      assertThat(call(registry, "GET", "/config/" + subject + "?defaultToGlobal=true", null).json)
          .isEqualTo(JSON.readTree("{\"compatibilityLevel\":\"FULL\"}"));
    } finally {
      call(registry, "PUT", "/config", "{\"compatibility\":\"BACKWARD\"}");
    }

    assertThat(call(registry, "PUT", "/config/" + subject, "{\"compatibility\":\"none\"}").json)
        .isEqualTo(JSON.readTree("{\"compatibility\":\"NONE\"}"));
    assertThat(call(registry, "GET", "/config/" + subject, null).json)
        .isEqualTo(JSON.readTree("{\"compatibilityLevel\":\"NONE\"}"));
    // NONE lets an otherwise breaking change through.
    register(registry, subject, USER);
    assertThat(register(registry, subject, USER_BREAKING).status).isEqualTo(200);

    Reply deleted = call(registry, "DELETE", "/config/" + subject, null);
    assertThat(deleted.json).isEqualTo(JSON.readTree("{\"compatibilityLevel\":\"NONE\"}"));
    assertThat(call(registry, "GET", "/config/" + subject, null).json.get("error_code").asInt())
        .isEqualTo(40408);
  }

  @Test
  void softDeletedSubjectsAreListedOnlyWithDeletedTrueAndCanThenBeDeletedPermanently()
      throws Exception {
    String subject = subject();
    register(registry, subject, USER);
    register(registry, subject, USER_V2);
    String path = "/subjects/" + subject;

    assertError(
        call(registry, "DELETE", path + "?permanent=true", null), 404, 40405, "not deleted");
    Reply soft = call(registry, "DELETE", path, null);
    assertThat(soft.status).isEqualTo(200);
    assertThat(soft.json.toString()).isEqualTo("[1,2]");

    assertThat(texts(call(registry, "GET", "/subjects", null).json)).doesNotContain(subject);
    assertThat(texts(call(registry, "GET", "/subjects?deleted=true", null).json)).contains(subject);
    assertError(call(registry, "GET", path + "/versions", null), 404, 40401, subject);
    assertThat(call(registry, "GET", path + "/versions?deleted=true", null).json.toString())
        .isEqualTo("[1,2]");
    assertThat(call(registry, "GET", path + "/versions/1?deleted=true", null).status)
        .isEqualTo(200);
    assertError(call(registry, "DELETE", path, null), 404, 40404, "soft deleted");

    Reply permanent = call(registry, "DELETE", path + "?permanent=true", null);
    assertThat(permanent.json.toString()).isEqualTo("[1,2]");
    assertThat(texts(call(registry, "GET", "/subjects?deleted=true", null).json))
        .doesNotContain(subject);
  }

  @Test
  void singleVersionsAreSoftThenPermanentlyDeleted() throws Exception {
    String subject = subject();
    register(registry, subject, USER);
    register(registry, subject, USER_V2);
    String v1 = "/subjects/" + subject + "/versions/1";

    assertError(call(registry, "DELETE", v1 + "?permanent=true", null), 404, 40407, "Version 1");
    Reply soft = call(registry, "DELETE", v1, null);
    assertThat(soft.status).isEqualTo(200);
    assertThat(soft.json.asInt()).isEqualTo(1);
    assertError(call(registry, "DELETE", v1, null), 404, 40406, "Version 1 was soft deleted");
    assertError(call(registry, "GET", v1, null), 404, 40402, "Version 1 not found.");
    assertThat(call(registry, "GET", "/subjects/" + subject + "/versions", null).json.toString())
        .isEqualTo("[2]");
    assertThat(call(registry, "DELETE", v1 + "?permanent=true", null).json.asInt()).isEqualTo(1);
    assertThat(
            call(registry, "GET", "/subjects/" + subject + "/versions?deleted=true", null)
                .json
                .toString())
        .isEqualTo("[2]");
  }

  @Test
  void requestsWithAnyOfTheClientsContentTypesAreAccepted() throws Exception {
    for (String type :
        List.of(
            "application/vnd.schemaregistry.v1+json",
            "application/vnd.schemaregistry+json",
            "application/json",
            "application/octet-stream")) {
      HttpRequest request =
          HttpRequest.newBuilder(
                  URI.create(registry.url() + "/subjects/" + subject() + "/versions"))
              .header("Content-Type", type)
              .header("Accept", "application/vnd.schemaregistry.v1+json")
              .POST(HttpRequest.BodyPublishers.ofString(schemaBody(USER)))
              .build();
      HttpResponse<String> response = HTTP.send(request, HttpResponse.BodyHandlers.ofString());
      assertThat(response.statusCode()).as(type).isEqualTo(200);
    }
  }

  @Test
  void forgedChangesAreRefusedAndChangeNothing() throws Exception {
    String subject = subject();
    register(registry, subject, USER);
    String versions = "/subjects/" + subject + "/versions";

    HttpResponse<String> textPlain =
        HTTP.send(
            HttpRequest.newBuilder(URI.create(registry.url() + versions))
                .header("Content-Type", "text/plain")
                .POST(HttpRequest.BodyPublishers.ofString(schemaBody(USER_V2)))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertError(reply(textPlain), 415, 415, "Unsupported Media Type");

    HttpResponse<String> rebound =
        HTTP.send(
            HttpRequest.newBuilder(URI.create(registry.url() + "/subjects/" + subject))
                .header("Host", "evil.example")
                .DELETE()
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertError(reply(rebound), 403, 40301, "localhost");

    assertThat(call(registry, "GET", versions, null).json.toString()).isEqualTo("[1]");
  }

  @Test
  void aWriteCredentialIsNeededForChangesWhenSetAndReadsStayOpen() throws Exception {
    // Contains the canary marker: the build fails if it is ever logged.
    String credential = "schemas:cn7ry-q8x-embedded-registry";
    try (EmbeddedSchemaRegistry guarded =
        EmbeddedSchemaRegistry.builder(kafka.bootstrapServers())
            .port(0)
            .topic("_schemas_guarded")
            .writeCredential(credential)
            .build()
            .start()) {
      assertError(register(guarded, "guarded-value", USER), 403, 40301, "write credential");

      HttpResponse<String> authorised =
          HTTP.send(
              HttpRequest.newBuilder(URI.create(guarded.url() + "/subjects/guarded-value/versions"))
                  .header("Content-Type", "application/vnd.schemaregistry.v1+json")
                  .header(
                      "Authorization",
                      "Basic "
                          + Base64.getEncoder()
                              .encodeToString(credential.getBytes(StandardCharsets.UTF_8)))
                  .POST(HttpRequest.BodyPublishers.ofString(schemaBody(USER)))
                  .build(),
              HttpResponse.BodyHandlers.ofString());
      assertThat(authorised.statusCode()).as(authorised.body()).isEqualTo(200);

      assertThat(call(guarded, "GET", "/subjects", null).json.toString())
          .isEqualTo("[\"guarded-value\"]");
    }
  }

  @Test
  void subjectNamesWithSpecialCharactersAreDecodedFromThePath() throws Exception {
    String subject = "topic.with/slash+plus " + SUBJECTS.incrementAndGet();
    String encoded = "topic.with%2Fslash+plus%20" + SUBJECTS.get();
    assertThat(register(registry, encoded, USER).status).isEqualTo(200);
    assertThat(
            call(registry, "GET", "/subjects/" + encoded + "/versions/1", null)
                .json
                .get("subject")
                .asText())
        .isEqualTo(subject);
  }

  @Test
  void idsVersionsDeletesAndConfigSurviveARestartOfRegistryAndKafka(@TempDir Path dir)
      throws Exception {
    EmbeddedKafkaConfig kafkaConfig = EmbeddedKafkaConfig.builder(dir).port(0).build();
    int userId;
    int v2Id;
    int port;
    try (EmbeddedKafka node = new EmbeddedKafka(kafkaConfig).start();
        EmbeddedSchemaRegistry first =
            EmbeddedSchemaRegistry.builder(node.bootstrapServers()).port(0).build().start()) {
      LOG.info("registry first start took {} ms", first.lastStartupTime().toMillis());
      port = first.port();
      userId = register(first, "users-value", USER).json.get("id").asInt();
      v2Id = register(first, "users-value", USER_V2).json.get("id").asInt();
      register(first, "orders-value", "\"string\"");
      register(first, "gone-value", "\"long\"");
      call(first, "DELETE", "/subjects/gone-value", null);
      call(first, "PUT", "/config", "{\"compatibility\":\"FULL_TRANSITIVE\"}");
      call(first, "PUT", "/config/orders-value", "{\"compatibility\":\"NONE\"}");

      assertSchemasTopicUsesConfluentLayout(node);

      // Same instance, restarted: same port, state reloaded from the topic.
      first.close();
      first.close();
      assertThat(first.isRunning()).isFalse();
      first.start();
      assertThat(first.port()).isEqualTo(port);
      assertThat(call(first, "GET", "/subjects", null).json.toString())
          .isEqualTo("[\"orders-value\",\"users-value\"]");
    }

    try (EmbeddedKafka node = new EmbeddedKafka(kafkaConfig).start();
        EmbeddedSchemaRegistry second =
            EmbeddedSchemaRegistry.builder(node.bootstrapServers()).port(0).build().start()) {
      LOG.info("registry restart took {} ms", second.lastStartupTime().toMillis());
      Reply latest = call(second, "GET", "/subjects/users-value/versions/latest", null);
      assertThat(latest.json.get("version").asInt()).isEqualTo(2);
      assertThat(latest.json.get("id").asInt()).isEqualTo(v2Id);
      assertThat(
              call(second, "GET", "/subjects/users-value/versions/1", null).json.get("id").asInt())
          .isEqualTo(userId);
      assertThat(register(second, "users-value", USER_SPACED).json.get("id").asInt())
          .isEqualTo(userId);
      assertThat(call(second, "GET", "/subjects", null).json.toString())
          .isEqualTo("[\"orders-value\",\"users-value\"]");
      assertThat(call(second, "GET", "/subjects?deleted=true", null).json.toString())
          .isEqualTo("[\"gone-value\",\"orders-value\",\"users-value\"]");
      assertThat(call(second, "GET", "/config", null).json.get("compatibilityLevel").asText())
          .isEqualTo("FULL_TRANSITIVE");
      assertThat(
              call(second, "GET", "/config/orders-value", null)
                  .json
                  .get("compatibilityLevel")
                  .asText())
          .isEqualTo("NONE");
      int next = register(second, "new-value", "\"bytes\"").json.get("id").asInt();
      assertThat(next).isEqualTo(5);
    }
  }

  // ---- helpers

  private static void assertSchemasTopicUsesConfluentLayout(EmbeddedKafka node) throws Exception {
    try (Admin admin = EmbeddedKafkaIT.admin(node.bootstrapServers())) {
      TopicDescription topic =
          admin.describeTopics(List.of("_schemas")).allTopicNames().get().get("_schemas");
      assertThat(topic.partitions()).hasSize(1);
      ConfigResource resource = new ConfigResource(ConfigResource.Type.TOPIC, "_schemas");
      assertThat(
              admin
                  .describeConfigs(List.of(resource))
                  .all()
                  .get()
                  .get(resource)
                  .get("cleanup.policy")
                  .value())
          .isEqualTo("compact");
    }
    List<JsonNode[]> records = new ArrayList<>();
    Map<String, Object> props =
        Map.of(
            ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, node.bootstrapServers(),
            ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class,
            ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class);
    try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(props)) {
      TopicPartition tp = new TopicPartition("_schemas", 0);
      consumer.assign(List.of(tp));
      consumer.seekToBeginning(List.of(tp));
      long end = consumer.endOffsets(List.of(tp)).get(tp);
      while (consumer.position(tp) < end) {
        consumer
            .poll(Duration.ofMillis(200))
            .forEach(
                r ->
                    records.add(
                        new JsonNode[] {
                          readTree(r.key()), r.value() == null ? null : readTree(r.value())
                        }));
      }
    }
    assertThat(records.get(0)[0])
        .isEqualTo(
            JSON.readTree(
                "{\"keytype\":\"SCHEMA\",\"subject\":\"users-value\",\"version\":1,\"magic\":1}"));
    assertThat(fieldNames(records.get(0)[1]))
        .containsExactly("subject", "version", "id", "schema", "deleted");
    assertThat(records)
        .anySatisfy(
            r -> {
              assertThat(r[0])
                  .isEqualTo(
                      JSON.readTree("{\"keytype\":\"CONFIG\",\"subject\":null,\"magic\":0}"));
              assertThat(r[1])
                  .isEqualTo(JSON.readTree("{\"compatibilityLevel\":\"FULL_TRANSITIVE\"}"));
            });
    assertThat(records)
        .anySatisfy(
            r -> {
              assertThat(r[0].get("subject").asText()).isEqualTo("gone-value");
              assertThat(r[1].get("deleted").asBoolean()).isTrue();
            });
  }

  private record Reply(int status, JsonNode json, String contentType) {}

  private static Reply register(EmbeddedSchemaRegistry target, String subject, String schema)
      throws Exception {
    return call(target, "POST", "/subjects/" + subject + "/versions", schemaBody(schema));
  }

  private static Reply call(EmbeddedSchemaRegistry target, String method, String path, String body)
      throws Exception {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(URI.create(target.url() + path))
            .timeout(Duration.ofSeconds(30))
            .header("Content-Type", "application/vnd.schemaregistry.v1+json")
            .method(
                method,
                body == null
                    ? HttpRequest.BodyPublishers.noBody()
                    : HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8));
    HttpResponse<String> response =
        HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
    return new Reply(
        response.statusCode(),
        readTree(response.body()),
        response.headers().firstValue("Content-Type").orElse(null));
  }

  private static Reply reply(HttpResponse<String> response) {
    return new Reply(
        response.statusCode(),
        readTree(response.body()),
        response.headers().firstValue("Content-Type").orElse(null));
  }

  private static JsonNode readTree(String text) {
    try {
      return JSON.readTree(text);
    } catch (Exception e) {
      throw new AssertionError("Not JSON: " + text, e);
    }
  }

  private static void assertError(Reply reply, int status, int code, String messagePart) {
    assertThat(reply.status).as(reply.json.toString()).isEqualTo(status);
    assertThat(fieldNames(reply.json)).containsExactly("error_code", "message");
    assertThat(reply.json.get("error_code").asInt()).isEqualTo(code);
    assertThat(reply.json.get("message").asText()).contains(messagePart);
  }

  private static String schemaBody(String schema) {
    ObjectNode body = JSON.createObjectNode().put("schema", schema);
    body.putArray("references");
    return body.toString();
  }

  private static String esc(String s) {
    return s.replace("\"", "\\\"");
  }

  private static List<String> fieldNames(JsonNode node) {
    List<String> names = new ArrayList<>();
    node.fieldNames().forEachRemaining(names::add);
    return names;
  }

  private static List<String> texts(JsonNode array) {
    List<String> out = new ArrayList<>();
    array.forEach(n -> out.add(n.asText()));
    return out;
  }

  private static String subject() {
    return "subject-" + SUBJECTS.incrementAndGet() + "-value";
  }
}
