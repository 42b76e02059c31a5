package io.aibroker.connector.simulated;

import io.aibroker.connector.Connector;
import io.aibroker.connector.ConnectorContext;
import io.aibroker.connector.ConnectorFactory;
import java.util.ServiceLoader;

/** Creates {@link SimulatedConnector}s; registered with {@link ServiceLoader}. */
public final class SimulatedConnectorFactory implements ConnectorFactory<SimulatedConfig> {

  /** The name to use in configuration. */
  public static final String NAME = "simulated";

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public Class<SimulatedConfig> configType() {
    return SimulatedConfig.class;
  }

  @Override
  public Connector create(SimulatedConfig config, ConnectorContext context) {
    return new SimulatedConnector(config, context.clock());
  }
}
