package io.aibroker.connector.workersai;

import io.aibroker.connector.Connector;
import io.aibroker.connector.testing.ConnectorConformanceSuite;
import io.aibroker.connector.testing.ExpectedErrors;
import io.aibroker.connector.testing.FakeProviderServer;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;

/** The shared connector conformance suite through an AI Gateway URL, without an account id. */
class WorkersAiGatewayConformanceTest extends ConnectorConformanceSuite {

  @Override
  protected FakeProviderServer startServer() throws IOException {
    return new WorkersAiFakeServer();
  }

  @Override
  protected Connector connector(FakeProviderServer server, Duration callTimeout) {
    WorkersAiFakeServer fake = (WorkersAiFakeServer) server;
    return new WorkersAiConnector(
        new WorkersAiConfig(
            null, CANARY_SECRET, fake.gatewayBaseUrl(), Duration.ofSeconds(5), callTimeout),
        Clock.systemUTC());
  }

  @Override
  protected String chatModel() {
    return "@cf/meta/llama-3.1-8b-instruct";
  }

  @Override
  protected String embeddingModel() {
    return "@cf/baai/bge-m3";
  }

  @Override
  protected ExpectedErrors expectedErrors() {
    return WorkersAiConformanceTest.EXPECTED_ERRORS;
  }
}
