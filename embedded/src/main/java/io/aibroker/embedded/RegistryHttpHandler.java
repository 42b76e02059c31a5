package io.aibroker.embedded;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import io.aibroker.embedded.SchemaRegistryService.SchemaRequest;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Maps Confluent Schema Registry REST requests onto {@link SchemaRegistryService}, with Confluent's
 * response shapes, status codes and {@code {"error_code","message"}} error bodies.
 */
final class RegistryHttpHandler implements HttpHandler {
  static final String CONTENT_TYPE = "application/vnd.schemaregistry.v1+json";
  private static final Logger LOG = LoggerFactory.getLogger(RegistryHttpHandler.class);
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final int MAX_BODY_BYTES = 16 * 1024 * 1024;

  private final SchemaRegistryService service;

  RegistryHttpHandler(SchemaRegistryService service) {
    this.service = service;
  }

  /** A response: status and an already-encoded JSON body. */
  private record Response(int status, String body) {
    static Response ok(JsonNode body) {
      return new Response(200, body.toString());
    }
  }

  /** Path segments (percent-decoded), query parameters and method of one request. */
  private record Request(String method, List<String> path, Map<String, String> query, byte[] body) {
    boolean flag(String name) {
      return Boolean.parseBoolean(query.getOrDefault(name, "false"));
    }

    String segment(int i) {
      return path.get(i);
    }
  }

  @Override
  public void handle(HttpExchange exchange) throws IOException {
    Response response;
    try {
      Request request = read(exchange);
      response = route(request);
    } catch (RegistryException e) {
      if (e.httpStatus() >= 500) {
        LOG.warn("Schema registry request {} failed", exchange.getRequestURI(), e);
      }
      response = error(e.httpStatus(), e.errorCode(), e.getMessage());
    } catch (RuntimeException e) {
      LOG.warn("Schema registry request {} failed", exchange.getRequestURI(), e);
      response = error(500, 500, "Internal Server Error: " + e);
    }
    send(exchange, response);
  }

  private Response route(Request r) {
    List<String> p = r.path();
    int n = p.size();
    if (n == 0) {
      return only(r, "GET", () -> Response.ok(JSON.createObjectNode()));
    }
    return switch (p.get(0)) {
      case "subjects" -> subjects(r, n);
      case "schemas" -> schemas(r, n);
      case "compatibility" -> compatibility(r, n);
      case "config" -> config(r, n);
      case "mode" -> n <= 2 ? only(r, "GET", () -> Response.ok(mode())) : notFound();
      default -> notFound();
    };
  }

  private Response subjects(Request r, int n) {
    if (n == 1) {
      return only(
          r,
          "GET",
          () -> json(service.subjects(r.flag("deleted"), r.query().get("subjectPrefix"))));
    }
    String subject = r.segment(1);
    if (n == 2) {
      return switch (r.method()) {
        case "POST" ->
            Response.ok(versionJson(service.lookup(subject, schemaRequest(r), r.flag("deleted"))));
        case "DELETE" -> json(service.deleteSubject(subject, r.flag("permanent")));
        default -> methodNotAllowed();
      };
    }
    if (!r.segment(2).equals("versions")) {
      return notFound();
    }
    if (n == 3) {
      return switch (r.method()) {
        case "GET" -> json(service.versions(subject, r.flag("deleted")));
        case "POST" -> {
          int id = service.register(subject, schemaRequest(r));
          yield Response.ok(JSON.createObjectNode().put("id", id));
        }
        default -> methodNotAllowed();
      };
    }
    String version = r.segment(3);
    if (n == 4) {
      return switch (r.method()) {
        case "GET" ->
            Response.ok(versionJson(service.version(subject, version, r.flag("deleted"))));
        case "DELETE" -> json(service.deleteVersion(subject, version, r.flag("permanent")));
        default -> methodNotAllowed();
      };
    }
    if (n == 5 && r.segment(4).equals("schema")) {
      return only(
          r,
          "GET",
          () -> new Response(200, service.version(subject, version, r.flag("deleted")).schema()));
    }
    if (n == 5 && r.segment(4).equals("referencedby")) {
      // References are not supported, so nothing can refer to a version; still check it exists.
      return only(
          r,
          "GET",
          () -> {
            service.version(subject, version, true);
            return json(List.of());
          });
    }
    return notFound();
  }

  private Response schemas(Request r, int n) {
    if (n == 2 && r.segment(1).equals("types")) {
      return only(r, "GET", () -> json(List.of("AVRO")));
    }
    if (n < 3 || n > 4 || !r.segment(1).equals("ids")) {
      return notFound();
    }
    int id;
    try {
      id = Integer.parseInt(r.segment(2));
    } catch (NumberFormatException e) {
      return notFound();
    }
    if (n == 3) {
      return only(
          r,
          "GET",
          () -> Response.ok(JSON.createObjectNode().put("schema", service.schemaById(id))));
    }
    return switch (r.segment(3)) {
      case "schema" -> only(r, "GET", () -> new Response(200, service.schemaById(id)));
      case "versions" ->
          only(
              r,
              "GET",
              () -> {
                ArrayNode out = JSON.createArrayNode();
                for (RegisteredSchema v : service.versionsById(id, r.flag("deleted"))) {
                  out.addObject().put("subject", v.subject()).put("version", v.version());
                }
                return Response.ok(out);
              });
      case "subjects" ->
          only(
              r,
              "GET",
              () ->
                  json(
                      service.versionsById(id, r.flag("deleted")).stream()
                          .map(RegisteredSchema::subject)
                          .distinct()
                          .toList()));
      default -> notFound();
    };
  }

  private Response compatibility(Request r, int n) {
    if (n < 4 || n > 5 || !r.segment(1).equals("subjects") || !r.segment(3).equals("versions")) {
      return notFound();
    }
    if (!r.method().equals("POST")) {
      return methodNotAllowed();
    }
    String version = n == 5 ? r.segment(4) : null;
    List<String> messages = service.testCompatibility(r.segment(2), version, schemaRequest(r));
    ObjectNode out = JSON.createObjectNode().put("is_compatible", messages.isEmpty());
    if (r.flag("verbose")) {
      ArrayNode list = out.putArray("messages");
      messages.forEach(list::add);
    }
    return Response.ok(out);
  }

  private Response config(Request r, int n) {
    if (n > 2) {
      return notFound();
    }
    String subject = n == 2 ? r.segment(1) : null;
    return switch (r.method()) {
      case "GET" ->
          levelJson(
              "compatibilityLevel",
              subject == null
                  ? service.globalLevel()
                  : service.subjectLevel(subject, r.flag("defaultToGlobal")));
      case "PUT" -> {
        JsonNode body = body(r);
        String wanted = body.path("compatibility").asText(null);
        if (wanted == null) {
          wanted = body.path("compatibilityLevel").asText(null);
        }
        yield levelJson(
            "compatibility",
            subject == null
                ? service.setGlobalLevel(wanted)
                : service.setSubjectLevel(subject, wanted));
      }
      case "DELETE" ->
          levelJson(
              "compatibilityLevel",
              subject == null ? service.deleteGlobalLevel() : service.deleteSubjectLevel(subject));
      default -> methodNotAllowed();
    };
  }

  // ---- JSON helpers

  private static ObjectNode mode() {
    // This registry is always writable; Confluent's import/read-only modes are not offered.
    return JSON.createObjectNode().put("mode", "READWRITE");
  }

  private static Response levelJson(String field, CompatibilityLevel level) {
    return Response.ok(JSON.createObjectNode().put(field, level.name()));
  }

  /** Confluent's version body; {@code schemaType} is left out for AVRO, as Confluent does. */
  private static ObjectNode versionJson(RegisteredSchema v) {
    return JSON.createObjectNode()
        .put("subject", v.subject())
        .put("id", v.id())
        .put("version", v.version())
        .put("schema", v.schema());
  }

  private static Response json(Object value) {
    return Response.ok(JSON.valueToTree(value));
  }

  private static SchemaRequest schemaRequest(Request r) {
    JsonNode body = body(r);
    JsonNode schema = body.get("schema");
    JsonNode type = body.get("schemaType");
    JsonNode refs = body.get("references");
    return new SchemaRequest(
        schema == null || schema.isNull() ? null : schema.asText(),
        type == null || type.isNull() ? null : type.asText(),
        refs != null && refs.isArray() ? refs.size() : 0);
  }

  private static JsonNode body(Request r) {
    if (r.body().length == 0) {
      return JSON.createObjectNode();
    }
    JsonNode node;
    try {
      node = JSON.readTree(new String(r.body(), StandardCharsets.UTF_8));
    } catch (JsonProcessingException e) {
      throw new RegistryException(400, 400, "Invalid JSON body: " + e.getOriginalMessage());
    }
    if (node == null || !node.isObject()) {
      throw new RegistryException(400, 400, "Request body must be a JSON object");
    }
    return node;
  }

  // ---- HTTP plumbing

  private static Response only(Request r, String method, Supplier<Response> action) {
    return r.method().equals(method) ? action.get() : methodNotAllowed();
  }

  private static Response notFound() {
    return error(404, 404, "HTTP 404 Not Found");
  }

  private static Response methodNotAllowed() {
    return error(405, 405, "HTTP 405 Method Not Allowed");
  }

  private static Response error(int status, int code, String message) {
    ObjectNode body = JSON.createObjectNode().put("error_code", code).put("message", message);
    return new Response(status, body.toString());
  }

  private static Request read(HttpExchange exchange) throws IOException {
    String rawPath = exchange.getRequestURI().getRawPath();
    List<String> path = new ArrayList<>();
    for (String segment : rawPath.split("/")) {
      if (!segment.isEmpty()) {
        path.add(percentDecode(segment));
      }
    }
    Map<String, String> query = new HashMap<>();
    String rawQuery = exchange.getRequestURI().getRawQuery();
    if (rawQuery != null) {
      for (String pair : rawQuery.split("&")) {
        int eq = pair.indexOf('=');
        String key = eq < 0 ? pair : pair.substring(0, eq);
        String value = eq < 0 ? "" : pair.substring(eq + 1);
        query.put(percentDecode(key.replace('+', ' ')), percentDecode(value.replace('+', ' ')));
      }
    }
    byte[] body;
    try (var in = exchange.getRequestBody()) {
      body = in.readNBytes(MAX_BODY_BYTES + 1);
    }
    if (body.length > MAX_BODY_BYTES) {
      throw new RegistryException(413, 413, "Request body too large");
    }
    return new Request(exchange.getRequestMethod().toUpperCase(Locale.ROOT), path, query, body);
  }

  /**
   * Decodes %XX escapes as UTF-8 without treating '+' as a space, since in a path '+' is literal (a
   * subject may contain it).
   */
  static String percentDecode(String s) {
    if (s.indexOf('%') < 0) {
      return s;
    }
    ByteArrayOutputStream out = new ByteArrayOutputStream(s.length());
    int i = 0;
    while (i < s.length()) {
      if (s.charAt(i) == '%' && i + 2 < s.length()) {
        int hi = Character.digit(s.charAt(i + 1), 16);
        int lo = Character.digit(s.charAt(i + 2), 16);
        if (hi >= 0 && lo >= 0) {
          out.write(hi * 16 + lo);
          i += 3;
          continue;
        }
      }
      int codePoint = s.codePointAt(i);
      out.writeBytes(new String(Character.toChars(codePoint)).getBytes(StandardCharsets.UTF_8));
      i += Character.charCount(codePoint);
    }
    return out.toString(StandardCharsets.UTF_8);
  }

  private static void send(HttpExchange exchange, Response response) throws IOException {
    byte[] bytes = response.body().getBytes(StandardCharsets.UTF_8);
    exchange.getResponseHeaders().set("Content-Type", CONTENT_TYPE);
    exchange.sendResponseHeaders(response.status(), bytes.length);
    try (OutputStream out = exchange.getResponseBody()) {
      out.write(bytes);
    }
  }
}
