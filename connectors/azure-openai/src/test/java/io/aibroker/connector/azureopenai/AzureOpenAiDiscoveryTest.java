package io.aibroker.connector.azureopenai;

import static org.assertj.core.api.Assertions.assertThat;

import io.aibroker.connector.Connector;
import io.aibroker.connector.ConnectorContext;
import io.aibroker.connector.ConnectorFactory;
import io.aibroker.connector.Connectors;
import io.aibroker.connector.InstrumentedConnector;
import java.util.Map;
import org.junit.jupiter.api.Test;

class AzureOpenAiDiscoveryTest {

  @Test
  void serviceLoaderFindsTheFactory() {
    assertThat(Connectors.discover()).extracting(ConnectorFactory::name).contains("azure-openai");
    assertThat(Connectors.factory("azure-openai")).isInstanceOf(AzureOpenAiConnectorFactory.class);
  }

  @Test
  void createsAnInstrumentedConnectorWithoutTouchingTheNetwork() {
    // An unreachable endpoint: creating must not connect, so a broker still starts.
    try (Connector connector =
        Connectors.create(
            "azure-openai",
            Map.of("endpoint", "https://unreachable.invalid", "apiKey", "k"),
            ConnectorContext.defaults())) {

      assertThat(connector).isInstanceOf(InstrumentedConnector.class);
      assertThat(connector.provider()).isEqualTo("azure-openai");
      assertThat(((InstrumentedConnector) connector).delegate())
          .isInstanceOf(AzureOpenAiConnector.class);
    }
  }

  @Test
  void withoutAnyKeyTheConnectorIsBuiltForEntraId() {
    AzureOpenAiClients.Built built =
        AzureOpenAiClients.build(
            AzureOpenAiConfig.of(java.net.URI.create("https://unreachable.invalid")),
            null,
            name -> null);
    try {
      assertThat(built.apiKey()).as("no key: DefaultAzureCredential").isNull();
      assertThat(built.client()).isNotNull();
    } finally {
      built.pool().dispose();
    }
  }
}
