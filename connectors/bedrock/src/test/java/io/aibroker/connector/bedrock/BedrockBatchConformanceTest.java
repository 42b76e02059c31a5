package io.aibroker.connector.bedrock;

import io.aibroker.connector.Connector;
import io.aibroker.connector.testing.BatchConformanceSuite;
import io.aibroker.connector.testing.ConnectorConformanceSuite;
import io.aibroker.connector.testing.FakeBatchJobs;
import io.aibroker.connector.testing.FakeProviderServer;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;

/**
 * The shared batch conformance suite against {@link BedrockBatchFakeServer}: a Claude model, the
 * canary as the Bedrock API key, dummy SigV4 keys for S3.
 */
class BedrockBatchConformanceTest extends BatchConformanceSuite {

  static final String CHAT_MODEL = "anthropic.claude-3-5-sonnet-20240620-v1:0";

  @Override
  protected FakeProviderServer startServer() throws IOException {
    return new BedrockBatchFakeServer();
  }

  @Override
  protected FakeBatchJobs jobs(FakeProviderServer server) {
    return ((BedrockBatchFakeServer) server).batchJobs();
  }

  @Override
  protected Connector connector(FakeProviderServer server) {
    return ((BedrockBatchFakeServer) server)
        .connector(
            null,
            ConnectorConformanceSuite.CANARY_SECRET,
            Duration.ofSeconds(30),
            Clock.systemUTC());
  }

  @Override
  protected String chatModel() {
    return CHAT_MODEL;
  }
}
