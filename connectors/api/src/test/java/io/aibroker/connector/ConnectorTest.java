package io.aibroker.connector;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ConnectorTest {

  @Test
  void defaultStreamEmitsTheWholeTextAsOneDelta() {
    Connector connector =
        new EchoConnectorFactory()
            .create(
                Connectors.config(new EchoConnectorFactory(), Map.of("greeting", "hi there")),
                ConnectorContext.defaults());
    List<TextDelta> deltas = new ArrayList<>();

    ProviderResponse response =
        connector.stream(
                ProviderCall.chat("r", "t", "m", List.of(ChatMessage.user("x"))), deltas::add)
            .toCompletableFuture()
            .join();

    assertThat(deltas).containsExactly(new TextDelta(0, "hi there"));
    assertThat(response.text()).isEqualTo("hi there");
  }
}
