package io.aibroker.connector.azureopenai;

import io.aibroker.connector.Connector;
import io.aibroker.connector.ConnectorContext;
import io.aibroker.connector.ConnectorFactory;

/** Creates {@link AzureOpenAiConnector}s; registered with {@link java.util.ServiceLoader}. */
public final class AzureOpenAiConnectorFactory implements ConnectorFactory<AzureOpenAiConfig> {

  /** The name to use in configuration. */
  public static final String NAME = "azure-openai";

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public Class<AzureOpenAiConfig> configType() {
    return AzureOpenAiConfig.class;
  }

  @Override
  public Connector create(AzureOpenAiConfig config, ConnectorContext context) {
    return new AzureOpenAiConnector(config, context);
  }
}
