package io.aibroker.embedded;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.Headers;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import io.aibroker.embedded.SchemaRegistryService.SchemaRequest;
import io.aibroker.registry.CompatibilityLevel;
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
 *
 * <p>Reads are served to anyone who reaches the registry. Everything else (registering, config
 * changes, deletes, and any method this registry does not know) is a change, refused with 403
 * unless {@link WriteAccess} permits it. A request with a body needs a Confluent JSON content type
 * ({@link RequestContentType}), else it gets 415. Together these keep a web page in a browser from
 * changing a registry on the browser's machine, by a forged request or by DNS rebinding.
 *
 * <p>Server errors answer with a generic message; the cause is only logged.
 */
final class RegistryHttpHandler implements HttpHandler {
  static final String CONTENT_TYPE = "application/vnd.schemaregistry.v1+json";
  private static final Logger LOG = LoggerFactory.getLogger(RegistryHttpHandler.class);
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final int MAX_BODY_BYTES = 16 * 1024 * 1024;

  /** Confluent's error code for 403: the caller may not perform the operation. */
  static final int FORBIDDEN_ERROR_CODE = 40301;

  /** Confluent's error code for a failure inside the registry. */
  static final int INTERNAL_ERROR_CODE = 50001;

  /** The message of every 5xx answer, so no internal detail reaches the caller. */
  static final String INTERNAL_ERROR_MESSAGE = "internal server error";

  private final SchemaRegistryService service;
  private final WriteAccess writeAccess;

  RegistryHttpHandler(SchemaRegistryService service, WriteAccess writeAccess) {
    this.service = service;
    this.writeAccess = writeAccess;
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
      response = respond(exchange);
    } catch (RegistryException e) {
      response =
          e.httpStatus() >= 500
              ? internalError(exchange, e, e.errorCode())
              : error(e.httpStatus(), e.errorCode(), e.getMessage());
    } catch (RuntimeException e) {
      response = internalError(exchange, e, INTERNAL_ERROR_CODE);
    }
    send(exchange, response);
  }

  /**
   * Checks the caller may do what it asks, and that a body comes as JSON, before reading the body:
   * a refused request costs no more than its headers.
   */
  private Response respond(HttpExchange exchange) throws IOException {
    String method = exchange.getRequestMethod().toUpperCase(Locale.ROOT);
    List<String> path = pathSegments(exchange);
    Headers headers = exchange.getRequestHeaders();
    if (!isRead(method, path) && !permitsChange(headers)) {
      LOG.info(
          "Schema registry refused {} {} from {}: not from {}",
          method,
          exchange.getRequestURI().getRawPath(),
          exchange.getRemoteAddress(),
          writeAccess);
      return error(403, FORBIDDEN_ERROR_CODE, writeAccess.refusal());
    }
    if (hasBody(method, headers) && !RequestContentType.accepted(headers.get("Content-Type"))) {
      return error(
          415,
          415,
          "HTTP 415 Unsupported Media Type: send the body as " + RequestContentType.describe());
    }
    return route(new Request(method, path, query(exchange), body(exchange)));
  }

  /**
   * Whether a request only reads: GET and HEAD, and the two POSTs that send a schema to compare
   * (lookup under a subject, compatibility test). Anything else counts as a change, including
   * methods no route knows, so a route added later is guarded unless declared a read here.
   */
  private static boolean isRead(String method, List<String> path) {
    return switch (method) {
      case "GET", "HEAD" -> true;
      case "POST" ->
          !path.isEmpty()
              && (path.get(0).equals("compatibility")
                  || (path.get(0).equals("subjects") && path.size() == 2));
      default -> false;
    };
  }

  private boolean permitsChange(Headers headers) {
    List<String> hosts = headers.get("Host");
    List<String> authorizations = headers.get("Authorization");
    // More than one of either is no request a well-behaved client makes.
    String host = hosts != null && hosts.size() == 1 ? hosts.get(0) : null;
    String authorization =
        authorizations != null && authorizations.size() == 1 ? authorizations.get(0) : null;
    return writeAccess.permits(host, authorization);
  }

  /** Whether a request carries a body: every POST and PUT, and any declaring one in its headers. */
  private static boolean hasBody(String method, Headers headers) {
    if (method.equals("POST") || method.equals("PUT") || method.equals("PATCH")) {
      return true;
    }
    String length = headers.getFirst("Content-Length");
    return headers.containsKey("Transfer-Encoding")
        || (length != null && !length.strip().equals("0"));
  }

  private static Response internalError(HttpExchange exchange, Exception e, int errorCode) {
    LOG.warn(
        "Schema registry request {} {} failed",
        exchange.getRequestMethod(),
        exchange.getRequestURI().getRawPath(),
        e);
    return error(500, errorCode, INTERNAL_ERROR_MESSAGE);
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

  private static List<String> pathSegments(HttpExchange exchange) {
    List<String> path = new ArrayList<>();
    for (String segment : exchange.getRequestURI().getRawPath().split("/")) {
      if (!segment.isEmpty()) {
        path.add(percentDecode(segment));
      }
    }
    return path;
  }

  private static Map<String, String> query(HttpExchange exchange) {
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
    return query;
  }

  private static byte[] body(HttpExchange exchange) throws IOException {
    byte[] body;
    try (var in = exchange.getRequestBody()) {
      body = in.readNBytes(MAX_BODY_BYTES + 1);
    }
    if (body.length > MAX_BODY_BYTES) {
      throw new RegistryException(413, 413, "Request body too large");
    }
    return body;
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
