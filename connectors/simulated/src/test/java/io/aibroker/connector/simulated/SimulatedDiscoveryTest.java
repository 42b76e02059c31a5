package io.aibroker.connector.simulated;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.aibroker.connector.ChatMessage;
import io.aibroker.connector.Connector;
import io.aibroker.connector.ConnectorContext;
import io.aibroker.connector.ConnectorFactory;
import io.aibroker.connector.ConnectorMetrics;
import io.aibroker.connector.Connectors;
import io.aibroker.connector.InstrumentedConnector;
import io.aibroker.connector.ProviderCall;
import io.aibroker.connector.ProviderResponse;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SimulatedDiscoveryTest {

  @Test
  void serviceLoaderFindsTheSimulatedFactory() {
    assertThat(Connectors.discover()).extracting(ConnectorFactory::name).contains("simulated");
    assertThat(Connectors.factory("simulated")).isInstanceOf(SimulatedConnectorFactory.class);
  }

  @Test
  void unknownNameListsSimulatedAmongTheKnownConnectors() {
    assertThatThrownBy(() -> Connectors.factory("simulator"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("Unknown connector 'simulator'; known connectors: [simulated]");
  }

  @Test
  void createdConnectorIsInstrumentedAndRecordsNoMetricsItself() {
    SimpleMeterRegistry registry = new SimpleMeterRegistry();
    try (Connector connector =
        Connectors.create(
            "simulated",
            Map.of("latency", "1ms"),
            new ConnectorContext(Clock.systemUTC(), registry))) {

      ProviderResponse response =
          connector
              .call(ProviderCall.chat("r1", "t1", "sim-small", List.of(ChatMessage.user("hello"))))
              .toCompletableFuture()
              .join();

      assertThat(connector).isInstanceOf(InstrumentedConnector.class);
      assertThat(connector.provider()).isEqualTo("simulated");
      assertThat(response.providerLatency()).isPositive();
      assertThat(response.usage().outputTokens()).isPositive();
      // the worker records every call once (WorkerMetrics); the connector does not record it again
      assertThat(registry.find(ConnectorMetrics.CALL).meters()).isEmpty();
      assertThat(registry.find(ConnectorMetrics.TOKENS).meters()).isEmpty();
    }
  }
}
