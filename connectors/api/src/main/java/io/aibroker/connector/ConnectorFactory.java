package io.aibroker.connector;

/**
 * Creates connectors of one kind. Implementations are found with {@link java.util.ServiceLoader}
 * (list them in {@code META-INF/services/io.aibroker.connector.ConnectorFactory}) and need a public
 * no-argument constructor.
 *
 * @param <C> the config record; it validates itself in its constructor and Jackson builds it from
 *     the connector's YAML section (see {@link Connectors#create}), so durations can be written as
 *     {@code 20ms} or {@code PT0.02S}
 */
public interface ConnectorFactory<C> {

  /** The name used in configuration, e.g. {@code simulated}. Unique among factories. */
  String name();

  /** The config record type. */
  Class<C> configType();

  /**
   * Creates a connector. Should not do network I/O, so a broker with an unreachable provider still
   * starts.
   *
   * @param config the validated config
   * @param context clock and meter registry to use
   */
  Connector create(C config, ConnectorContext context);
}
