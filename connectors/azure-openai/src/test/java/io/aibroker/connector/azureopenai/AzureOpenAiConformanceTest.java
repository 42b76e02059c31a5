package io.aibroker.connector.azureopenai;

import io.aibroker.connector.Connector;
import io.aibroker.connector.ConnectorContext;
import io.aibroker.connector.testing.ConnectorConformanceSuite;
import io.aibroker.connector.testing.ExpectedErrors;
import io.aibroker.connector.testing.FakeProviderServer;
import io.aibroker.connector.testing.FakeReplies;
import java.io.IOException;
import java.time.Duration;

/** The shared connector conformance suite, against {@link AzureOpenAiFakeServer} over HTTPS. */
class AzureOpenAiConformanceTest extends ConnectorConformanceSuite {

  static final String CHAT_DEPLOYMENT = "gpt-4o-mini";
  static final String EMBEDDING_DEPLOYMENT = "text-embedding-3-small";

  @Override
  protected FakeProviderServer startServer() throws IOException {
    return new AzureOpenAiFakeServer(CHAT_DEPLOYMENT, EMBEDDING_DEPLOYMENT);
  }

  @Override
  protected Connector connector(FakeProviderServer server, Duration callTimeout) {
    AzureOpenAiConfig config =
        AzureOpenAiConfig.of(server.baseUri())
            .withApiKey(CANARY_SECRET)
            .withRequestTimeout(callTimeout);
    return new AzureOpenAiConnector(
        config, ConnectorContext.defaults(), server.clientSslContext(), name -> null);
  }

  @Override
  protected String chatModel() {
    return CHAT_DEPLOYMENT;
  }

  @Override
  protected String embeddingModel() {
    return EMBEDDING_DEPLOYMENT;
  }

  @Override
  protected ExpectedErrors expectedErrors() {
    return new ExpectedErrors(
        AzureOpenAiFakeServer.RATE_LIMIT_CODE,
        FakeReplies.RETRY_AFTER,
        AzureOpenAiFakeServer.SERVER_ERROR_CODE,
        AzureOpenAiFakeServer.BAD_REQUEST_CODE,
        AzureOpenAiFakeServer.UNAUTHORIZED_CODE,
        AzureOpenAiFakeServer.FORBIDDEN_CODE);
  }
}
