package io.aibroker.connector.bedrock;

import io.aibroker.connector.Connector;
import io.aibroker.connector.testing.ConnectorConformanceSuite;
import io.aibroker.connector.testing.ExpectedErrors;
import io.aibroker.connector.testing.FakeProviderServer;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;

/**
 * The shared connector conformance suite against {@link BedrockFakeServer}, authenticating with a
 * Bedrock API key. Embeddings use Cohere, which embeds all inputs in one call; Titan (one call per
 * input) is covered by {@link BedrockConnectorTest}.
 */
class BedrockConformanceTest extends ConnectorConformanceSuite {

  static final String CHAT_MODEL = "anthropic.claude-3-haiku-20240307-v1:0";
  static final String COHERE_MODEL = "cohere.embed-english-v3";

  @Override
  protected FakeProviderServer startServer() throws IOException {
    return new BedrockFakeServer();
  }

  @Override
  protected Connector connector(FakeProviderServer server, Duration callTimeout) {
    BedrockConfig config =
        new BedrockConfig("us-east-1", server.baseUri(), CANARY_SECRET, null, callTimeout, 0);
    return new BedrockConnector(config, Clock.systemUTC());
  }

  @Override
  protected String chatModel() {
    return CHAT_MODEL;
  }

  @Override
  protected String embeddingModel() {
    return COHERE_MODEL;
  }

  @Override
  protected ExpectedErrors expectedErrors() {
    // Bedrock sends no retry hint with its 429s.
    return new ExpectedErrors(
        "ThrottlingException",
        null,
        "ServiceUnavailableException",
        "ValidationException",
        "UnrecognizedClientException",
        "AccessDeniedException");
  }
}
