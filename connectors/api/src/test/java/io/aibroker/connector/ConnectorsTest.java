package io.aibroker.connector;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ConnectorsTest {

  private final EchoConnectorFactory echo = new EchoConnectorFactory();

  @Test
  void discoversFactoriesRegisteredWithServiceLoader() {
    assertThat(Connectors.discover()).extracting(ConnectorFactory::name).contains("test-echo");
    assertThat(Connectors.factory("test-echo")).isInstanceOf(EchoConnectorFactory.class);
  }

  @Test
  void unknownConnectorNameListsTheKnownOnes() {
    assertThatThrownBy(() -> Connectors.factory("bedrok"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("Unknown connector 'bedrok'")
        .hasMessageContaining("known connectors: [")
        .hasMessageContaining("test-echo");
  }

  @Test
  void createsAnInstrumentedConnectorFromRawConfig() throws Exception {
    Connector connector =
        Connectors.create("test-echo", Map.of("greeting", "hi"), ConnectorContext.defaults());

    assertThat(connector).isInstanceOf(InstrumentedConnector.class);
    ProviderResponse response =
        connector
            .call(ProviderCall.chat("r", "t", "m", List.of(ChatMessage.user("x"))))
            .toCompletableFuture()
            .get();
    assertThat(response.text()).isEqualTo("hi");
  }

  @Test
  void missingOrNullConfigTakesTheRecordDefaults() {
    assertThat(Connectors.config(echo, null))
        .isEqualTo(new EchoConnectorFactory.Config("hello", Duration.ZERO, 0));
    assertThat(Connectors.config(echo, Map.of())).isEqualTo(Connectors.config(echo, null));
  }

  @Test
  void readsDurationsInSimpleAndIsoForm() {
    assertThat(Connectors.config(echo, Map.of("delay", "20ms")).delay())
        .isEqualTo(Duration.ofMillis(20));
    assertThat(Connectors.config(echo, Map.of("delay", "PT0.02S")).delay())
        .isEqualTo(Duration.ofMillis(20));
    assertThat(Connectors.config(echo, Map.of("delay", Duration.ofSeconds(3))).delay())
        .isEqualTo(Duration.ofSeconds(3));
  }

  @Test
  void unknownPropertyNamesThePropertyTheConnectorAndTheKnownProperties() {
    assertThatThrownBy(() -> Connectors.config(echo, Map.of("greting", "hi")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("Invalid configuration for connector 'test-echo'")
        .hasMessageContaining("unknown property 'greting'")
        .hasMessageContaining("[delay, greeting, repeat]");
  }

  @Test
  void invalidValueNamesTheProperty() {
    assertThatThrownBy(() -> Connectors.config(echo, Map.of("delay", "soon")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("Invalid configuration for connector 'test-echo' at 'delay'")
        .hasMessageContaining("Invalid duration 'soon'");
  }

  @Test
  void bareNumberDurationIsRejectedBecauseItsUnitWouldBeAGuess() {
    assertThatThrownBy(() -> Connectors.config(echo, Map.of("delay", 20)))
        .hasMessageContaining("at 'delay'")
        .hasMessageContaining("needs a unit");
  }

  @Test
  void validationFailureOfTheRecordIsReportedAsIs() {
    assertThatThrownBy(() -> Connectors.config(echo, Map.of("repeat", -1)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("Invalid configuration for connector 'test-echo': repeat must be >= 0, was -1");
  }
}
