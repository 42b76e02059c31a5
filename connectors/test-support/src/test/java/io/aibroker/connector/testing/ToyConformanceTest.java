package io.aibroker.connector.testing;

import static org.assertj.core.api.Assertions.assertThat;

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
  protected void assertCachePointsSent(RecordedRequest request) {
    assertThat(request.body()).contains("\"cachePoints\":[\"ONE_HOUR\",\"FIVE_MINUTES\"]");
  }

  @Override
  protected ExpectedErrors expectedErrors() {
    return new ExpectedErrors(
        "slow_down", FakeReplies.RETRY_AFTER, "overloaded", "invalid", "bad_key", "denied");
  }
}
