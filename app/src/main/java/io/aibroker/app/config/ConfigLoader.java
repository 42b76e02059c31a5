package io.aibroker.app.config;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * Reads the configuration: built-in defaults, then the user's YAML file merged over them, then
 * environment variables {@code AIBROKER_<PATH>} overriding single scalar settings (path segments
 * upper-cased, dots and dashes as underscores: {@code kafka.bootstrap-servers} is {@code
 * AIBROKER_KAFKA_BOOTSTRAP_SERVERS}). Environment variables {@code AIBROKER_KAFKA_CLIENT_<PROP>}
 * add entries to the {@code kafka.client} map, the property name lower-cased with underscores as
 * dots ({@code AIBROKER_KAFKA_CLIENT_SASL_JAAS_CONFIG} is {@code sasl.jaas.config}), as Confluent's
 * images do: Kafka client property names contain only dots. {@code
 * AIBROKER_KAFKA_EMBEDDED_BROKER_<PROP>} adds entries to {@code kafka.embedded-broker} the same
 * way.
 */
public final class ConfigLoader {

  /** Prefix of environment variables that override settings. */
  public static final String ENV_PREFIX = "AIBROKER_";

  /** Prefix of environment variables that become {@code kafka.client} entries. */
  public static final String KAFKA_CLIENT_ENV_PREFIX = ENV_PREFIX + "KAFKA_CLIENT_";

  /** Prefix of environment variables that become {@code kafka.embedded-broker} entries. */
  public static final String EMBEDDED_BROKER_ENV_PREFIX = ENV_PREFIX + "KAFKA_EMBEDDED_BROKER_";

  private static final Pattern KAFKA_CLIENT_SUFFIX =
      Pattern.compile("[A-Za-z0-9]+(_[A-Za-z0-9]+)*");

  private static final ObjectMapper YAML =
      new ObjectMapper(new YAMLFactory())
          .setPropertyNamingStrategy(PropertyNamingStrategies.KEBAB_CASE)
          .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
          .findAndRegisterModules();

  private ConfigLoader() {}

  /**
   * Loads the configuration.
   *
   * @param file the user's YAML file, or null for defaults only
   * @param env environment variables (normally {@code System.getenv()})
   */
  public static AppConfig load(Path file, Map<String, String> env) {
    return load(file, env, Map.of());
  }

  /**
   * Loads the configuration with command-line overrides on top of everything else.
   *
   * @param file the user's YAML file, or null for defaults only
   * @param env environment variables (normally {@code System.getenv()})
   * @param overrides setting path (e.g. {@code kafka.bootstrap-servers}) -> value
   */
  public static AppConfig load(Path file, Map<String, String> env, Map<String, String> overrides) {
    ObjectNode tree = defaults();
    if (file != null) {
      merge(tree, read(file));
    }
    Map<String, String> settings = new HashMap<>(env);
    overrides.forEach((path, value) -> settings.put(envName(path), value));
    applyEnvironment(tree, "", settings);
    applyPropertyEnvironment(tree, settings, KAFKA_CLIENT_ENV_PREFIX, "client", "client");
    applyPropertyEnvironment(
        tree, settings, EMBEDDED_BROKER_ENV_PREFIX, "embedded-broker", "broker");
    try {
      return YAML.treeToValue(tree, AppConfig.class);
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException("invalid configuration: " + e.getOriginalMessage(), e);
    }
  }

  /**
   * The names of every environment variable that overrides a built-in setting. Variables {@code
   * AIBROKER_KAFKA_CLIENT_<PROP>} ({@link #kafkaClientProperty}) are understood too.
   */
  public static List<String> environmentVariables() {
    return SettingNames.ALL;
  }

  /** The setting variables, read from the built-in defaults once. */
  private static final class SettingNames {
    static final List<String> ALL;

    static {
      List<String> names = new ArrayList<>();
      collectNames(defaults(), "", names);
      ALL = List.copyOf(names);
    }
  }

  /**
   * The {@code kafka.client} property an environment variable sets: {@code
   * AIBROKER_KAFKA_CLIENT_SASL_JAAS_CONFIG} is {@code sasl.jaas.config}. Empty for any other
   * variable, including a setting's own variable that happens to share the prefix.
   *
   * @throws IllegalArgumentException for a variable with the prefix that names no property (e.g.
   *     {@code AIBROKER_KAFKA_CLIENT_} or {@code AIBROKER_KAFKA_CLIENT_SASL__MECHANISM})
   */
  public static Optional<String> kafkaClientProperty(String variable) {
    return kafkaProperty(variable, KAFKA_CLIENT_ENV_PREFIX, "client");
  }

  /**
   * The Kafka property a variable with {@code prefix} sets, as {@link #kafkaClientProperty}; {@code
   * kind} names what it configures in the error.
   */
  private static Optional<String> kafkaProperty(String variable, String prefix, String kind) {
    if (!variable.startsWith(prefix) || environmentVariables().contains(variable)) {
      return Optional.empty();
    }
    String suffix = variable.substring(prefix.length());
    if (!KAFKA_CLIENT_SUFFIX.matcher(suffix).matches()) {
      throw new IllegalArgumentException(
          variable
              + " names no Kafka "
              + kind
              + " property: expected "
              + prefix
              + "<PROPERTY> with the property's dots as single underscores");
    }
    return Optional.of(suffix.toLowerCase(Locale.ROOT).replace('_', '.'));
  }

  /** Adds the properties of the variables with {@code prefix} to the map {@code kafka.<key>}. */
  private static void applyPropertyEnvironment(
      ObjectNode tree, Map<String, String> env, String prefix, String key, String kind) {
    Map<String, String> entries = new TreeMap<>();
    env.forEach(
        (name, value) -> kafkaProperty(name, prefix, kind).ifPresent(p -> entries.put(p, value)));
    if (entries.isEmpty()) {
      return;
    }
    ObjectNode kafka =
        tree.get("kafka") instanceof ObjectNode existing ? existing : tree.putObject("kafka");
    JsonNode map = kafka.get(key);
    ObjectNode merged = map instanceof ObjectNode existing ? existing : YAML.createObjectNode();
    entries.forEach((property, value) -> merged.set(property, new TextNode(value)));
    kafka.set(key, merged);
  }

  private static void collectNames(JsonNode node, String path, List<String> names) {
    node.fields()
        .forEachRemaining(
            e -> {
              String key = path.isEmpty() ? e.getKey() : path + "." + e.getKey();
              if (e.getValue().isObject()) {
                collectNames(e.getValue(), key, names);
              } else if (e.getValue().isValueNode() || e.getValue().isArray()) {
                names.add(envName(key)); // lists take comma-separated values
              }
            });
  }

  private static ObjectNode defaults() {
    try (InputStream in = ConfigLoader.class.getResourceAsStream("/aibroker-default.yaml")) {
      return (ObjectNode) YAML.readTree(in);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read built-in defaults", e);
    }
  }

  private static JsonNode read(Path file) {
    if (!Files.isReadable(file)) {
      throw new IllegalArgumentException("cannot read configuration file " + file);
    }
    try {
      JsonNode node = YAML.readTree(file.toFile());
      if (node == null || node.isMissingNode() || node.isNull()) {
        return YAML.createObjectNode();
      }
      if (!node.isObject()) {
        throw new IllegalArgumentException(file + " must hold a YAML mapping");
      }
      return node;
    } catch (IOException e) {
      throw new IllegalArgumentException("cannot parse " + file + ": " + e.getMessage(), e);
    }
  }

  /** Deep-merges objects; anything else (scalars, lists) in {@code override} replaces. */
  private static void merge(ObjectNode base, JsonNode override) {
    Iterator<Map.Entry<String, JsonNode>> fields = override.fields();
    while (fields.hasNext()) {
      var field = fields.next();
      JsonNode existing = base.get(field.getKey());
      if (existing instanceof ObjectNode existingObject && field.getValue().isObject()) {
        merge(existingObject, field.getValue());
      } else {
        base.set(field.getKey(), field.getValue());
      }
    }
  }

  private static void applyEnvironment(ObjectNode node, String path, Map<String, String> env) {
    Iterator<Map.Entry<String, JsonNode>> fields = node.fields();
    while (fields.hasNext()) {
      var field = fields.next();
      String key = path.isEmpty() ? field.getKey() : path + "." + field.getKey();
      if (field.getValue() instanceof ObjectNode child) {
        applyEnvironment(child, key, env);
      } else {
        String value = env.get(envName(key));
        if (value != null) {
          field.setValue(field.getValue().isArray() ? list(value) : new TextNode(value));
        }
      }
    }
  }

  private static JsonNode list(String commaSeparated) {
    var array = YAML.createArrayNode();
    for (String item : commaSeparated.split(",")) {
      if (!item.isBlank()) {
        array.add(item.trim());
      }
    }
    return array;
  }

  static String envName(String path) {
    return ENV_PREFIX + path.toUpperCase(Locale.ROOT).replace('.', '_').replace('-', '_');
  }
}
