package io.aibroker.connector;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.databind.exc.ValueInstantiationException;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.ServiceLoader;
import java.util.TreeSet;
import java.util.stream.Collectors;

/**
 * Finds connector factories on the class path and creates instrumented connectors from raw
 * (YAML-shaped) config.
 */
public final class Connectors {

  private static final JsonMapper CONFIG_MAPPER =
      JsonMapper.builder()
          .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
          .addModule(new ConnectorConfigModule())
          .build();

  private Connectors() {}

  /**
   * All factories registered with {@link ServiceLoader}, in class-path order.
   *
   * @throws IllegalStateException if two factories share a name
   */
  public static List<ConnectorFactory<?>> discover() {
    ClassLoader loader = Thread.currentThread().getContextClassLoader();
    if (loader == null) {
      loader = Connectors.class.getClassLoader();
    }
    Map<String, ConnectorFactory<?>> byName = new LinkedHashMap<>();
    for (ConnectorFactory<?> factory : ServiceLoader.load(ConnectorFactory.class, loader)) {
      ConnectorFactory<?> previous = byName.putIfAbsent(factory.name(), factory);
      if (previous != null) {
        throw new IllegalStateException(
            "Two connector factories are named '"
                + factory.name()
                + "': "
                + previous.getClass().getName()
                + " and "
                + factory.getClass().getName());
      }
    }
    return List.copyOf(byName.values());
  }

  /**
   * The factory called {@code name}.
   *
   * @throws IllegalArgumentException if there is none, listing the names there are
   */
  public static ConnectorFactory<?> factory(String name) {
    Objects.requireNonNull(name, "name");
    List<ConnectorFactory<?>> factories = discover();
    return factories.stream()
        .filter(factory -> factory.name().equals(name))
        .findFirst()
        .orElseThrow(
            () ->
                new IllegalArgumentException(
                    "Unknown connector '"
                        + name
                        + "'; known connectors: "
                        + factories.stream()
                            .map(ConnectorFactory::name)
                            .sorted()
                            .collect(Collectors.joining(", ", "[", "]"))));
  }

  /**
   * Creates the connector called {@code name} from its raw config, wrapped in an {@link
   * InstrumentedConnector}.
   *
   * @param rawConfig the connector's config section as plain maps/lists/scalars (e.g. parsed YAML);
   *     {@code null} means all defaults
   * @throws IllegalArgumentException for an unknown connector or invalid config, naming the
   *     connector and the offending property
   */
  public static Connector create(String name, Map<String, ?> rawConfig, ConnectorContext context) {
    Objects.requireNonNull(context, "context");
    return create(factory(name), rawConfig, context);
  }

  /** Like {@link #create(String, Map, ConnectorContext)} with a factory in hand. */
  public static <C> Connector create(
      ConnectorFactory<C> factory, Map<String, ?> rawConfig, ConnectorContext context) {
    C config = config(factory, rawConfig);
    Connector connector = factory.create(config, context);
    if (connector == null) {
      throw new IllegalStateException("Connector factory '" + factory.name() + "' returned null");
    }
    return InstrumentedConnector.wrap(connector);
  }

  /**
   * Builds and validates {@code factory}'s config record from raw config without creating a
   * connector, e.g. to check a config file.
   *
   * @throws IllegalArgumentException if the config is invalid, naming the connector and property
   */
  public static <C> C config(ConnectorFactory<C> factory, Map<String, ?> rawConfig) {
    Map<String, ?> raw = rawConfig == null ? Map.of() : rawConfig;
    try {
      return CONFIG_MAPPER.convertValue(raw, factory.configType());
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(
          "Invalid configuration for connector '" + factory.name() + "'" + describe(e), e);
    }
  }

  private static String describe(IllegalArgumentException conversionFailure) {
    Throwable cause = conversionFailure.getCause();
    if (!(cause instanceof JsonMappingException mapping)) {
      return ": " + conversionFailure.getMessage();
    }
    if (mapping instanceof UnrecognizedPropertyException unknown) {
      List<String> known = new ArrayList<>();
      if (unknown.getKnownPropertyIds() != null) {
        unknown.getKnownPropertyIds().forEach(id -> known.add(String.valueOf(id)));
      }
      return ": unknown property '"
          + path(mapping)
          + "'; known properties: "
          + new TreeSet<>(known);
    }
    String at = mapping.getPath().isEmpty() ? "" : " at '" + path(mapping) + "'";
    if (mapping instanceof ValueInstantiationException && mapping.getCause() != null) {
      // The config record's own validation failed; its message says what and why.
      return at + ": " + mapping.getCause().getMessage();
    }
    return at + ": " + mapping.getOriginalMessage();
  }

  private static String path(JsonMappingException mapping) {
    StringBuilder path = new StringBuilder();
    for (JsonMappingException.Reference reference : mapping.getPath()) {
      if (reference.getFieldName() != null) {
        path.append(path.isEmpty() ? "" : ".").append(reference.getFieldName());
      } else if (reference.getIndex() >= 0) {
        path.append('[').append(reference.getIndex()).append(']');
      }
    }
    return path.toString();
  }
}
