package io.aibroker.connector.azureopenai;

import io.aibroker.connector.Connector;
import io.aibroker.connector.ConnectorContext;
import io.aibroker.connector.testing.BatchConformanceSuite;
import io.aibroker.connector.testing.ConnectorConformanceSuite;
import io.aibroker.connector.testing.FakeBatchJobs;
import io.aibroker.connector.testing.FakeProviderServer;
import java.io.IOException;

/** The shared batch conformance suite, against {@link AzureOpenAiFakeServer}'s Global Batch. */
class AzureOpenAiBatchConformanceTest extends BatchConformanceSuite {

  /** A Global Batch deployment, named as Azure's docs suggest. */
  static final String BATCH_DEPLOYMENT = "gpt-4o-mini-global-batch";

  @Override
  protected FakeProviderServer startServer() throws IOException {
    return new AzureOpenAiFakeServer(AzureOpenAiConformanceTest.CHAT_DEPLOYMENT, BATCH_DEPLOYMENT);
  }

  @Override
  protected FakeBatchJobs jobs(FakeProviderServer server) {
    return ((AzureOpenAiFakeServer) server).batchJobs();
  }

  @Override
  protected Connector connector(FakeProviderServer server) {
    AzureOpenAiConfig config =
        AzureOpenAiConfig.of(server.baseUri()).withApiKey(ConnectorConformanceSuite.CANARY_SECRET);
    return new AzureOpenAiConnector(
        config, ConnectorContext.defaults(), server.clientSslContext(), name -> null);
  }

  @Override
  protected String chatModel() {
    return "gpt-4o-mini";
  }

  @Override
  protected String deployment() {
    return BATCH_DEPLOYMENT;
  }
}
