package io.aibroker.connector.azureopenai;

import static org.assertj.core.api.Assertions.assertThat;

import io.aibroker.connector.Connector;
import io.aibroker.connector.ConnectorContext;
import io.aibroker.connector.TokenUsage;
import io.aibroker.connector.testing.ConnectorConformanceSuite;
import io.aibroker.connector.testing.ExpectedErrors;
import io.aibroker.connector.testing.FakeProviderServer;
import io.aibroker.connector.testing.FakeReplies;
import io.aibroker.connector.testing.RecordedRequest;
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

  /** Azure caches on its own and reports no cache writes: there is no field for them. */
  @Override
  protected TokenUsage expectedCachedUsage() {
    TokenUsage sent = FakeReplies.CACHED_CHAT_USAGE;
    return sent.withCache(sent.cacheReadInputTokens(), 0, 0);
  }

  /** Azure caches on its own: the cache points leave no trace in the request. */
  @Override
  protected void assertCachePointsSent(RecordedRequest request) {
    assertThat(request.body()).doesNotContainIgnoringCase("cache");
    assertThat(request.body()).contains("\"Be brief.\"").contains("\"Say hello.\"");
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
