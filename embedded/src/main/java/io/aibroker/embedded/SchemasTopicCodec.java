package io.aibroker.embedded;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.aibroker.registry.CompatibilityLevel;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Encodes registry changes in Confluent Schema Registry's {@code _schemas} record layout and
 * applies such records to a {@link RegistryState}.
 *
 * <p>Keys: {@code {"keytype":"SCHEMA","subject":s,"version":v,"magic":1}} and {@code
 * {"keytype":"CONFIG","subject":s|null,"magic":0}}. Values: {@code
 * {"subject","version","id","schema","deleted"}} and {@code {"compatibilityLevel":"FULL"}}; a null
 * value deletes. Other key types Confluent writes (NOOP, MODE, ...) are skipped.
 */
final class SchemasTopicCodec {
  private static final Logger LOG = LoggerFactory.getLogger(SchemasTopicCodec.class);
  private static final ObjectMapper JSON = new ObjectMapper();

  private SchemasTopicCodec() {}

  static byte[] schemaKey(String subject, int version) {
    ObjectNode key = JSON.createObjectNode();
    key.put("keytype", "SCHEMA");
    key.put("subject", subject);
    key.put("version", version);
    key.put("magic", 1);
    return bytes(key);
  }

  static byte[] schemaValue(RegisteredSchema schema) {
    ObjectNode value = JSON.createObjectNode();
    value.put("subject", schema.subject());
    value.put("version", schema.version());
    value.put("id", schema.id());
    value.put("schema", schema.schema());
    value.put("deleted", schema.deleted());
    return bytes(value);
  }

  static byte[] configKey(String subject) {
    ObjectNode key = JSON.createObjectNode();
    key.put("keytype", "CONFIG");
    if (subject == null) {
      key.putNull("subject");
    } else {
      key.put("subject", subject);
    }
    key.put("magic", 0);
    return bytes(key);
  }

  static byte[] configValue(CompatibilityLevel level) {
    ObjectNode value = JSON.createObjectNode();
    value.put("compatibilityLevel", level.name());
    return bytes(value);
  }

  /**
   * Applies one record of the topic to {@code state}. Records this registry cannot use are logged
   * and skipped rather than failing startup, as the topic may hold other writers' record types.
   */
  static void apply(byte[] keyBytes, byte[] valueBytes, RegistryState state) {
    JsonNode key = parse(keyBytes).orElse(null);
    if (key == null || !key.isObject()) {
      LOG.warn("Skipping _schemas record with unreadable key");
      return;
    }
    String keyType = key.path("keytype").asText("");
    switch (keyType) {
      case "SCHEMA" -> applySchema(key, valueBytes, state);
      case "CONFIG" -> applyConfig(key, valueBytes, state);
      default -> LOG.debug("Skipping _schemas record of key type {}", keyType);
    }
  }

  private static void applySchema(JsonNode key, byte[] valueBytes, RegistryState state) {
    String subject = key.path("subject").asText(null);
    int version = key.path("version").asInt(0);
    if (subject == null || version <= 0) {
      LOG.warn("Skipping SCHEMA record with bad key {}", key);
      return;
    }
    if (valueBytes == null) {
      state.remove(subject, version);
      return;
    }
    JsonNode value = parse(valueBytes).orElse(null);
    if (value == null || !value.hasNonNull("schema") || !value.hasNonNull("id")) {
      LOG.warn("Skipping SCHEMA record for {} v{} with unreadable value", subject, version);
      return;
    }
    String type = value.path("schemaType").asText("AVRO");
    if (!"AVRO".equalsIgnoreCase(type)) {
      LOG.warn("Skipping {} schema {} v{}: only AVRO is served", type, subject, version);
      return;
    }
    state.put(
        new RegisteredSchema(
            subject,
            version,
            value.get("id").asInt(),
            normalised(value.get("schema").asText()),
            value.path("deleted").asBoolean(false)));
  }

  private static void applyConfig(JsonNode key, byte[] valueBytes, RegistryState state) {
    JsonNode subjectNode = key.get("subject");
    String subject = subjectNode == null || subjectNode.isNull() ? null : subjectNode.asText();
    if (valueBytes == null) {
      state.setLevel(subject, null);
      return;
    }
    JsonNode value = parse(valueBytes).orElse(null);
    String level = value == null ? null : value.path("compatibilityLevel").asText(null);
    CompatibilityLevel parsed = CompatibilityLevel.find(level).orElse(null);
    if (parsed == null) {
      LOG.warn("Skipping CONFIG record for {} with unknown level {}", subject, level);
      return;
    }
    state.setLevel(subject, parsed);
  }

  /**
   * Records written by other registries may format schemas differently; identity needs one form.
   */
  private static String normalised(String schema) {
    try {
      return AvroSchemas.canonical(schema);
    } catch (RuntimeException e) {
      return schema;
    }
  }

  private static Optional<JsonNode> parse(byte[] bytes) {
    if (bytes == null) {
      return Optional.empty();
    }
    try {
      return Optional.of(JSON.readTree(bytes));
    } catch (IOException e) {
      return Optional.empty();
    }
  }

  private static byte[] bytes(JsonNode node) {
    return node.toString().getBytes(StandardCharsets.UTF_8);
  }
}
