package io.aibroker.registry;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Ticker;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.apache.avro.Schema;
import org.apache.avro.SchemaParseException;

/**
 * {@link SchemaRegistryClient} speaking the Confluent Schema Registry REST API over the JDK HTTP
 * client.
 *
 * <p>Caches the id of each schema per subject and the schema of each id; both never change in a
 * registry, so a warm client serializes and deserializes without HTTP calls. Retries, failover and
 * authentication follow the {@link SchemaRegistryConfig}.
 *
 * <p>It also remembers, for {@link #UNKNOWN_ID_TTL}, each schema id the registry answered "schema
 * not found" (404, error 40403) for, up to {@link #MAX_UNKNOWN_IDS} ids: records naming a bogus id
 * then cost one registry call per id and interval, not one each, while an id registered later is
 * found once the interval is over. Other failures (unreachable, 5xx) are never remembered.
 */
public final class RestSchemaRegistryClient implements SchemaRegistryClient {

  /** How long an id the registry does not know is answered from memory. */
  public static final Duration UNKNOWN_ID_TTL = Duration.ofSeconds(30);

  /** How many unknown ids are remembered at most; beyond, some are forgotten early. */
  public static final int MAX_UNKNOWN_IDS = 10_000;

  private static final ObjectMapper JSON = new ObjectMapper();

  private final SchemaRegistryConfig config;
  private final RegistryHttp http;
  private final Map<String, Map<Schema, Integer>> idsBySubject = new ConcurrentHashMap<>();
  private final Map<Integer, Schema> schemasById = new ConcurrentHashMap<>();

  /** The registry's "not found" message of each id it did not know, while remembered. */
  private final Cache<Integer, String> unknownIds;

  /** Creates a client; no connection is made until the first call. */
  public RestSchemaRegistryClient(SchemaRegistryConfig config) {
    // System.nanoTime, not the wall clock: setting the clock back must not prolong the memory.
    this(config, Ticker.systemTicker(), MAX_UNKNOWN_IDS);
  }

  /**
   * Creates a client whose memory of unknown schema ids runs on the given clock (tests use a
   * settable one); no connection is made until the first call.
   */
  public RestSchemaRegistryClient(SchemaRegistryConfig config, Clock clock) {
    this(config, clock, MAX_UNKNOWN_IDS);
  }

  RestSchemaRegistryClient(SchemaRegistryConfig config, Clock clock, int maxUnknownIds) {
    this(config, ticker(clock), maxUnknownIds);
  }

  private RestSchemaRegistryClient(SchemaRegistryConfig config, Ticker ticker, int maxUnknownIds) {
    this.config = Objects.requireNonNull(config, "config");
    this.http = new RegistryHttp(config, JSON);
    this.unknownIds =
        Caffeine.newBuilder()
            .maximumSize(maxUnknownIds)
            .expireAfterWrite(UNKNOWN_ID_TTL)
            .ticker(ticker)
            // Upkeep on the calling thread: no pool threads, and tests see evictions at once.
            .executor(Runnable::run)
            .build();
  }

  /** The settings of this client. */
  public SchemaRegistryConfig config() {
    return config;
  }

  @Override
  public int register(String subject, Schema schema) {
    Integer cached = cachedId(subject, schema);
    if (cached != null) {
      return cached;
    }
    String what = "Registering a schema under subject '" + subject + "'";
    JsonNode answer =
        http.send("POST", "/subjects/" + encode(subject) + "/versions", schemaBody(schema), what);
    int id = requiredInt(answer, "id", what);
    remember(subject, schema, id);
    return id;
  }

  @Override
  public int getId(String subject, Schema schema) {
    Integer cached = cachedId(subject, schema);
    return cached != null ? cached : lookup(subject, schema).id();
  }

  @Override
  public SchemaMetadata lookup(String subject, Schema schema) {
    String what = "Looking up a schema under subject '" + subject + "'";
    JsonNode answer = http.send("POST", "/subjects/" + encode(subject), schemaBody(schema), what);
    SchemaMetadata metadata =
        new SchemaMetadata(
            requiredInt(answer, "id", what), subject, requiredInt(answer, "version", what), schema);
    remember(subject, schema, metadata.id());
    return metadata;
  }

  @Override
  public Schema getById(int id) {
    Schema cached = schemasById.get(id);
    if (cached != null) {
      return cached;
    }
    String unknown = unknownIds.getIfPresent(id);
    if (unknown != null) {
      throw new SchemaNotFoundException(unknown);
    }
    String what = "Looking up schema id " + id;
    JsonNode answer;
    try {
      answer = http.send("GET", "/schemas/ids/" + id, null, what);
    } catch (SchemaNotFoundException e) {
      if (e.httpStatus() == SchemaNotFoundException.HTTP_STATUS) {
        unknownIds.put(id, e.getMessage());
      }
      throw e;
    }
    Schema schema = parseSchema(answer, what);
    Schema raced = schemasById.putIfAbsent(id, schema);
    return raced != null ? raced : schema;
  }

  @Override
  public SchemaMetadata getLatest(String subject) {
    return getVersion(subject, LATEST_VERSION);
  }

  @Override
  public SchemaMetadata getVersion(String subject, int version) {
    String versionText = version == LATEST_VERSION ? "latest" : Integer.toString(version);
    String what = "Getting version " + versionText + " of subject '" + subject + "'";
    JsonNode answer =
        http.send("GET", "/subjects/" + encode(subject) + "/versions/" + versionText, null, what);
    Schema schema = parseSchema(answer, what);
    SchemaMetadata metadata =
        new SchemaMetadata(
            requiredInt(answer, "id", what), subject, requiredInt(answer, "version", what), schema);
    schemasById.putIfAbsent(metadata.id(), schema);
    return metadata;
  }

  @Override
  public List<String> subjects() {
    JsonNode answer = http.send("GET", "/subjects", null, "Listing subjects");
    List<String> subjects = new ArrayList<>();
    requiredArray(answer, "Listing subjects").forEach(n -> subjects.add(n.asText()));
    return List.copyOf(subjects);
  }

  @Override
  public List<Integer> versions(String subject) {
    String what = "Listing versions of subject '" + subject + "'";
    JsonNode answer = http.send("GET", "/subjects/" + encode(subject) + "/versions", null, what);
    return intList(answer, what);
  }

  @Override
  public boolean testCompatibility(String subject, Schema schema) {
    String what = "Testing compatibility with subject '" + subject + "'";
    try {
      JsonNode answer =
          http.send(
              "POST",
              "/compatibility/subjects/" + encode(subject) + "/versions/latest",
              schemaBody(schema),
              what);
      JsonNode flag = answer.path("is_compatible");
      if (!flag.isBoolean()) {
        throw unexpected(what, "is_compatible");
      }
      return flag.booleanValue();
    } catch (SubjectNotFoundException | VersionNotFoundException e) {
      // Older registries answer 404 for a subject without versions; nothing to be incompatible
      // with.
      return true;
    }
  }

  @Override
  public String getCompatibility(String subjectOrNull) {
    if (subjectOrNull != null) {
      String what = "Getting the compatibility level of subject '" + subjectOrNull + "'";
      try {
        // defaultToGlobal makes newer registries answer with the level in force.
        JsonNode answer =
            http.send(
                "GET", "/config/" + encode(subjectOrNull) + "?defaultToGlobal=true", null, what);
        return compatibilityLevel(answer, what);
      } catch (SchemaRegistryException e) {
        // 40401/40408: the subject has no level of its own, so the global one applies.
        if (e.httpStatus() != 404) {
          throw e;
        }
      }
    }
    String what = "Getting the global compatibility level";
    return compatibilityLevel(http.send("GET", "/config", null, what), what);
  }

  @Override
  public void setCompatibility(String subjectOrNull, String level) {
    Objects.requireNonNull(level, "level");
    ObjectNode body = JSON.createObjectNode().put("compatibility", level);
    String path = subjectOrNull == null ? "/config" : "/config/" + encode(subjectOrNull);
    String what =
        subjectOrNull == null
            ? "Setting the global compatibility level to " + level
            : "Setting the compatibility level of subject '" + subjectOrNull + "' to " + level;
    http.send("PUT", path, body, what);
  }

  @Override
  public List<Integer> deleteSubject(String subject) {
    String what = "Deleting subject '" + subject + "'";
    JsonNode answer = http.send("DELETE", "/subjects/" + encode(subject), null, what);
    idsBySubject.remove(subject);
    return intList(answer, what);
  }

  @Override
  public void close() {
    http.close();
  }

  @Override
  public String toString() {
    return "RestSchemaRegistryClient[" + http + "]";
  }

  /** How many unknown ids are remembered now (after pending evictions). */
  long unknownIdsRemembered() {
    unknownIds.cleanUp();
    return unknownIds.estimatedSize();
  }

  private static Ticker ticker(Clock clock) {
    Objects.requireNonNull(clock, "clock");
    return () -> {
      Instant now = clock.instant();
      return TimeUnit.SECONDS.toNanos(now.getEpochSecond()) + now.getNano();
    };
  }

  private Integer cachedId(String subject, Schema schema) {
    Map<Schema, Integer> ids = idsBySubject.get(Objects.requireNonNull(subject, "subject"));
    return ids == null ? null : ids.get(Objects.requireNonNull(schema, "schema"));
  }

  private void remember(String subject, Schema schema, int id) {
    idsBySubject.computeIfAbsent(subject, s -> new ConcurrentHashMap<>()).put(schema, id);
    schemasById.putIfAbsent(id, schema);
  }

  private static ObjectNode schemaBody(Schema schema) {
    // schemaType is omitted: AVRO is the default and old registries reject the field.
    return JSON.createObjectNode().put("schema", schema.toString());
  }

  private static Schema parseSchema(JsonNode answer, String what) {
    JsonNode type = answer.path("schemaType");
    if (type.isTextual() && !type.asText().equalsIgnoreCase("AVRO")) {
      throw new SchemaRegistryException(
          what + " failed: the schema is of type " + type.asText() + ", not AVRO",
          200,
          SchemaRegistryException.NO_RESPONSE);
    }
    JsonNode text = answer.path("schema");
    if (!text.isTextual()) {
      throw unexpected(what, "schema");
    }
    try {
      return new Schema.Parser().parse(text.asText());
    } catch (SchemaParseException e) {
      throw new SchemaRegistryException(
          what + " failed: the registry returned an invalid Avro schema: " + e.getMessage(),
          200,
          SchemaRegistryException.NO_RESPONSE,
          e);
    }
  }

  private static int requiredInt(JsonNode answer, String field, String what) {
    JsonNode value = answer.path(field);
    if (!value.isIntegralNumber() || !value.canConvertToInt()) {
      throw unexpected(what, field);
    }
    return value.intValue();
  }

  private static JsonNode requiredArray(JsonNode answer, String what) {
    if (!answer.isArray()) {
      throw new SchemaRegistryException(
          what + " failed: unexpected answer from the schema registry: expected a JSON array",
          200,
          SchemaRegistryException.NO_RESPONSE);
    }
    return answer;
  }

  private static List<Integer> intList(JsonNode answer, String what) {
    List<Integer> values = new ArrayList<>();
    for (JsonNode node : requiredArray(answer, what)) {
      values.add(node.asInt());
    }
    return List.copyOf(values);
  }

  private static String compatibilityLevel(JsonNode answer, String what) {
    // GET answers {"compatibilityLevel": ...}; some servers use the PUT spelling "compatibility".
    JsonNode level = answer.path("compatibilityLevel");
    if (!level.isTextual()) {
      level = answer.path("compatibility");
    }
    if (!level.isTextual()) {
      throw unexpected(what, "compatibilityLevel");
    }
    return level.asText();
  }

  private static SchemaRegistryException unexpected(String what, String field) {
    return new SchemaRegistryException(
        what + " failed: unexpected answer from the schema registry: no '" + field + "' field",
        200,
        SchemaRegistryException.NO_RESPONSE);
  }

  private static String encode(String pathSegment) {
    Objects.requireNonNull(pathSegment, "subject");
    return URLEncoder.encode(pathSegment, StandardCharsets.UTF_8).replace("+", "%20");
  }
}
