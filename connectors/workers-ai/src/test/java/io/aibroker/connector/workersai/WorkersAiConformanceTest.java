package io.aibroker.connector.workersai;

import static org.assertj.core.api.Assertions.assertThat;

import io.aibroker.connector.Connector;
import io.aibroker.connector.TokenUsage;
import io.aibroker.connector.testing.ConnectorConformanceSuite;
import io.aibroker.connector.testing.ExpectedErrors;
import io.aibroker.connector.testing.FakeProviderServer;
import io.aibroker.connector.testing.FakeReplies;
import io.aibroker.connector.testing.RecordedRequest;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;

/** The shared connector conformance suite against the native REST endpoint. */
class WorkersAiConformanceTest extends ConnectorConformanceSuite {

  static final ExpectedErrors EXPECTED_ERRORS =
      new ExpectedErrors(
          "3040",
          FakeReplies.RETRY_AFTER,
          // the edge's HTML 503 page carries no code
          null,
          "5006",
          "10000",
          "10000");

  @Override
  protected FakeProviderServer startServer() throws IOException {
    return new WorkersAiFakeServer();
  }

  @Override
  protected Connector connector(FakeProviderServer server, Duration callTimeout) {
    WorkersAiFakeServer fake = (WorkersAiFakeServer) server;
    return new WorkersAiConnector(
        new WorkersAiConfig(
            WorkersAiFakeServer.ACCOUNT,
            CANARY_SECRET,
            fake.nativeBaseUrl(),
            Duration.ofSeconds(5),
            callTimeout),
        Clock.systemUTC());
  }

  /** Workers AI caches prefixes on its own and reports no cache writes: there is no field. */
  @Override
  protected TokenUsage expectedCachedUsage() {
    TokenUsage sent = FakeReplies.CACHED_CHAT_USAGE;
    return sent.withCache(sent.cacheReadInputTokens(), 0, 0);
  }

  /** Workers AI caches on its own: the cache points leave no trace in the request. */
  @Override
  protected void assertCachePointsSent(RecordedRequest request) {
    assertThat(request.body()).doesNotContainIgnoringCase("cache");
    assertThat(request.body()).contains("\"Be brief.\"").contains("\"Say hello.\"");
  }

  @Override
  protected String chatModel() {
    return "@cf/meta/llama-3.1-8b-instruct";
  }

  @Override
  protected String embeddingModel() {
    return "@cf/baai/bge-base-en-v1.5";
  }

  @Override
  protected ExpectedErrors expectedErrors() {
    return EXPECTED_ERRORS;
  }
}
