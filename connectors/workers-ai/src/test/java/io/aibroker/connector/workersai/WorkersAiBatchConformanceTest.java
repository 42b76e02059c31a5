package io.aibroker.connector.workersai;

import io.aibroker.connector.Connector;
import io.aibroker.connector.testing.BatchConformanceSuite;
import io.aibroker.connector.testing.ConnectorConformanceSuite;
import io.aibroker.connector.testing.FakeBatchJobs;
import io.aibroker.connector.testing.FakeProviderServer;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;

/** The shared batch conformance suite against the fake's async batch API. */
class WorkersAiBatchConformanceTest extends BatchConformanceSuite {

  @Override
  protected FakeProviderServer startServer() throws IOException {
    return new WorkersAiFakeServer();
  }

  @Override
  protected FakeBatchJobs jobs(FakeProviderServer server) {
    return ((WorkersAiFakeServer) server).batchJobs();
  }

  @Override
  protected Connector connector(FakeProviderServer server) {
    return new WorkersAiConnector(
        new WorkersAiConfig(
            WorkersAiFakeServer.ACCOUNT,
            ConnectorConformanceSuite.CANARY_SECRET,
            ((WorkersAiFakeServer) server).nativeBaseUrl(),
            Duration.ofSeconds(5),
            Duration.ofSeconds(30)),
        Clock.systemUTC());
  }

  @Override
  protected String chatModel() {
    return "@cf/meta/llama-3.1-8b-instruct";
  }
}
