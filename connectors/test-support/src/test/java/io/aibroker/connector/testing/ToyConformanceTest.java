package io.aibroker.connector.testing;

import io.aibroker.connector.Connector;
import java.io.IOException;
import java.time.Duration;

/**
 * The conformance suite against {@link ToyConnector}, over HTTPS so the fake's TLS is exercised
 * too. {@link ConformanceSuiteCatchesBrokenConnectorsTest} re-runs it with {@link #bug} set.
 */
class ToyConformanceTest extends ConnectorConformanceSuite {

  /** The defect to build connectors with; only the broken-connector test changes it. */
  static volatile ToyConnector.Bug bug = ToyConnector.Bug.NONE;

  @Override
  protected FakeProviderServer startServer() throws IOException {
    return new ToyFakeServer(true);
  }

  @Override
  protected Connector connector(FakeProviderServer server, Duration callTimeout) {
    return new ToyConnector(
        server.baseUri(), CANARY_SECRET, callTimeout, bug, server.clientSslContext());
  }

  @Override
  protected String chatModel() {
    return "toy-chat";
  }

  @Override
  protected String embeddingModel() {
    return "toy-embed";
  }

  @Override
  protected ExpectedErrors expectedErrors() {
    return new ExpectedErrors(
        "slow_down", FakeReplies.RETRY_AFTER, "overloaded", "invalid", "bad_key", "denied");
  }
}
