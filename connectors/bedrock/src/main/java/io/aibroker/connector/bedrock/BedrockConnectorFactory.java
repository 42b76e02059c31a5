package io.aibroker.connector.bedrock;

import io.aibroker.connector.Connector;
import io.aibroker.connector.ConnectorContext;
import io.aibroker.connector.ConnectorFactory;

/** Creates {@link BedrockConnector}s; registered with {@link java.util.ServiceLoader}. */
public final class BedrockConnectorFactory implements ConnectorFactory<BedrockConfig> {

  /** The name to use in configuration. */
  public static final String NAME = BedrockErrorMapper.PROVIDER;

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public Class<BedrockConfig> configType() {
    return BedrockConfig.class;
  }

  @Override
  public Connector create(BedrockConfig config, ConnectorContext context) {
    return new BedrockConnector(config, context.clock());
  }
}
