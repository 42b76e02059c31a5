package io.aibroker.connector.workersai;

import io.aibroker.connector.Connector;
import io.aibroker.connector.ConnectorContext;
import io.aibroker.connector.ConnectorFactory;

/** Creates {@link WorkersAiConnector}s; registered with {@link java.util.ServiceLoader}. */
public final class WorkersAiConnectorFactory implements ConnectorFactory<WorkersAiConfig> {

  /** The name to use in configuration. */
  public static final String NAME = "workers-ai";

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public Class<WorkersAiConfig> configType() {
    return WorkersAiConfig.class;
  }

  @Override
  public Connector create(WorkersAiConfig config, ConnectorContext context) {
    return new WorkersAiConnector(config, context.clock());
  }
}
